import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AwsService, type InvokeFunction, type InvokeResult, LOCAL_ACCOUNT_ID, LOCAL_REGION, type Stoppable } from '../contracts';
import { parseSchedule, type Schedule } from './schedule-expression';

/** An `AWS::Events::Rule` with a ScheduleExpression, as the runtime resolved it. */
export interface ScheduledRule {
  readonly name: string;
  readonly arn: string;
  readonly scheduleExpression: string;
  readonly enabled: boolean;
  /** Lambda targets: the function's name or ARN, and the constant Input when the target has one. */
  readonly targets: ReadonlyArray<{ readonly functionArn: string; readonly input?: string }>;
}

interface RunningRule extends ScheduledRule {
  readonly schedule: Schedule;
  nextAt?: number;
}

export interface Scheduler extends Stoppable {
  add(rule: ScheduledRule): void;
  /** Fires a rule now, as its schedule would, and answers each target's result. */
  run(name: string): Promise<InvokeResult[]>;
  /** `GET /_local/rules` and `POST /_local/rules/{name}/run` on the shared AWS endpoint. */
  readonly service: AwsService;
}

/** The event EventBridge gives a scheduled rule's target when the target has no constant Input. */
const scheduledEvent = (rule: ScheduledRule, at: Date) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: LOCAL_ACCOUNT_ID,
  time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: LOCAL_REGION,
  resources: [rule.arn],
  detail: {},
});

/**
 * EventBridge scheduled rules, locally: each enabled rule invokes its Lambda targets on its schedule (checked once a
 * minute, UTC), and any rule can be fired on demand, which is how tests and people try a weekly job without waiting.
 */
export const createScheduler = (deps: { invoke: InvokeFunction; log: (line: string) => void; now?: () => Date }): Scheduler => {
  const now = deps.now ?? (() => new Date());
  const rules = new Map<string, RunningRule>();

  const fire = (rule: ScheduledRule, at: Date): Promise<InvokeResult[]> =>
    Promise.all(rule.targets.map(async (target) => {
      const result = await deps.invoke(target.functionArn, target.input === undefined ? scheduledEvent(rule, at) : JSON.parse(target.input));
      if (!result.ok) deps.log(`[events] rule ${rule.name} → ${target.functionArn}: ${result.errorType}: ${result.errorMessage}`);
      return result;
    }));

  const tick = () => {
    const at = now();
    at.setUTCSeconds(0, 0);
    for (const rule of rules.values()) {
      if (!rule.enabled) continue;
      const due = rule.schedule.kind === 'cron'
        ? rule.schedule.matches(at)
        : rule.schedule.kind === 'rate' && rule.nextAt !== undefined && at.getTime() >= rule.nextAt;
      if (!due) continue;
      if (rule.schedule.kind === 'rate') rule.nextAt = at.getTime() + rule.schedule.everyMs;
      void fire(rule, at);
    }
  };
  // First tick at the next minute boundary, then every minute; unref'd so a schedule never keeps a process alive.
  let interval: NodeJS.Timeout | undefined;
  const firstTick = setTimeout(() => {
    tick();
    interval = setInterval(tick, 60_000);
    interval.unref();
  }, 60_000 - (now().getTime() % 60_000));
  firstTick.unref();

  const run = async (name: string): Promise<InvokeResult[]> => {
    const rule = rules.get(name);
    if (!rule) throw new Error(`no rule named ${name}`);
    return fire(rule, now());
  };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  return {
    add(rule) {
      const schedule = parseSchedule(rule.scheduleExpression);
      if (schedule.kind === 'on-demand') deps.log(`[events] rule ${rule.name}: ${schedule.reason}; it runs only on demand (POST /_local/rules/${rule.name}/run)`);
      rules.set(rule.name, { ...rule, schedule, nextAt: schedule.kind === 'rate' ? now().getTime() + schedule.everyMs : undefined });
    },
    run,
    service: {
      name: 'local-rules',
      matches: (req: IncomingMessage) => (req.url ?? '').startsWith('/_local/rules'),
      async handle(req: IncomingMessage, _body: Buffer, res: ServerResponse) {
        const path = new URL(req.url ?? '/', 'http://local').pathname;
        if (req.method === 'GET' && path === '/_local/rules') {
          return reply(res, 200, [...rules.values()].map(({ name, arn, scheduleExpression, enabled, targets, nextAt }) => ({
            name, arn, scheduleExpression, enabled, targets: targets.map((t) => t.functionArn),
            ...(nextAt !== undefined && { nextAt: new Date(nextAt).toISOString() }),
          })));
        }
        const match = /^\/_local\/rules\/([^/]+)\/run$/.exec(path);
        if (req.method !== 'POST' || !match) return reply(res, 404, { message: 'GET /_local/rules or POST /_local/rules/{name}/run' });
        const name = decodeURIComponent(match[1]);
        if (!rules.has(name)) return reply(res, 404, { message: `no rule named ${name}` });
        return reply(res, 200, { rule: name, results: await run(name) });
      },
    },
    async stop() {
      clearTimeout(firstTick);
      if (interval) clearInterval(interval);
    },
  };
};
