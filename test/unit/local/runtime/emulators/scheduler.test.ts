import type { InvokeFunction } from '../../../../../local/runtime/contracts';
import { createScheduler, type Scheduler } from '../../../../../local/runtime/emulators/scheduler';

const RULE = {
  name: 'weekly-summary',
  arn: 'arn:aws:events:us-east-1:000000000000:rule/weekly-summary',
  scheduleExpression: 'cron(0 9 ? * MON *)',
  enabled: true,
  targets: [{ functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:summary' }],
};

describe('local scheduler', () => {
  let scheduler: Scheduler;
  const calls: Array<{ fn: string; payload: unknown }> = [];
  const invoke: InvokeFunction = async (fn, payload) => {
    calls.push({ fn, payload });
    return { ok: true, payload: 'done' };
  };

  beforeEach(() => {
    calls.length = 0;
    scheduler = createScheduler({ invoke, log: () => undefined, now: () => new Date('2026-11-23T08:59:30Z') });
  });
  afterEach(() => scheduler.stop());

  it('fires a rule on demand with the scheduled event EventBridge sends', async () => {
    scheduler.add(RULE);
    await expect(scheduler.run('weekly-summary')).resolves.toEqual([{ ok: true, payload: 'done' }]);
    expect(calls).toEqual([{
      fn: RULE.targets[0].functionArn,
      payload: expect.objectContaining({
        'detail-type': 'Scheduled Event', source: 'aws.events', resources: [RULE.arn], detail: {}, time: '2026-11-23T08:59:30Z',
      }),
    }]);
  });

  it('gives a target with a constant Input that input instead', async () => {
    scheduler.add({ ...RULE, targets: [{ functionArn: 'summary', input: '{"report":"weekly"}' }] });
    await scheduler.run('weekly-summary');
    expect(calls).toEqual([{ fn: 'summary', payload: { report: 'weekly' } }]);
  });

  it('refuses an unknown rule and a schedule EventBridge would reject', async () => {
    await expect(scheduler.run('nope')).rejects.toThrow('no rule named nope');
    expect(() => scheduler.add({ ...RULE, scheduleExpression: 'rate(0 days)' })).toThrow('at least 1');
  });
});
