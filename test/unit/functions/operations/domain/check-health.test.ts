import { systemClock } from '../../../../../functions/_platform/clock';
import { checkHealth, DependencyUnhealthyError } from '../../../../../functions/operations/domain/check-health';
import type { DependencyProbe } from '../../../../../functions/operations/domain/ports';

const healthy = (name: string): DependencyProbe => ({ name, check: async () => undefined });
const failing = (name: string, error: Error): DependencyProbe => ({
  name,
  check: async () => {
    throw error;
  },
});

describe('checkHealth', () => {
  it('is ok when every dependency is, listing each with its latency', async () => {
    const report = await checkHealth({ probes: [healthy('table:orders'), healthy('topic:events')], clock: systemClock, deadlineMs: 1_000 });

    expect(report).toEqual({
      status: 'ok',
      checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      dependencies: [
        { name: 'table:orders', status: 'ok', latencyMs: expect.any(Number) },
        { name: 'topic:events', status: 'ok', latencyMs: expect.any(Number) },
      ],
    });
  });

  it('is degraded when one dependency fails, and names that one with its public reason', async () => {
    const report = await checkHealth({
      probes: [healthy('table:orders'), failing('table:catalog', new DependencyUnhealthyError('table status CREATING')), healthy('secret:bkash')],
      clock: systemClock,
      deadlineMs: 1_000,
    });

    expect(report.status).toBe('degraded');
    expect(report.dependencies.map((dependency) => dependency.status)).toEqual(['ok', 'error', 'ok']);
    expect(report.dependencies[1]).toEqual({ name: 'table:catalog', status: 'error', latencyMs: expect.any(Number), error: 'table status CREATING' });
  });

  it('reports other errors by their name only, so no ARN or account id reaches the public endpoint', async () => {
    const denied = Object.assign(new Error('User arn:aws:iam::123456789012:role/x is not authorized'), { name: 'AccessDeniedException' });

    const report = await checkHealth({ probes: [failing('secret:nagad', denied)], clock: systemClock, deadlineMs: 1_000 });

    expect(report.dependencies[0].error).toBe('AccessDeniedException');
    expect(JSON.stringify(report)).not.toContain('123456789012');
  });

  it('gives up on a probe at the deadline, aborts it, and still reports the others', async () => {
    let aborted = false;
    const hanging: DependencyProbe = {
      name: 'topic:events',
      check: (signal) =>
        new Promise<void>(() => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
        }),
    };

    const report = await checkHealth({ probes: [hanging, healthy('table:orders')], clock: systemClock, deadlineMs: 20 });

    expect(report.status).toBe('degraded');
    expect(report.dependencies[0]).toMatchObject({ name: 'topic:events', status: 'error', error: 'no answer within 20 ms' });
    expect(report.dependencies[1].status).toBe('ok');
    expect(aborted).toBe(true);
  });

  it('runs the probes in parallel', async () => {
    let running = 0;
    let peak = 0;
    const slow = (name: string): DependencyProbe => ({
      name,
      check: async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
      },
    });

    await checkHealth({ probes: [slow('a'), slow('b'), slow('c')], clock: systemClock, deadlineMs: 1_000 });

    expect(peak).toBe(3);
  });
});
