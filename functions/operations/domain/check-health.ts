import type { Clock } from '../../_platform/clock';
import type { DependencyProbe } from './ports';

/** A probe's own verdict, with a reason that is safe to show on a public endpoint (no ARNs, no account ids). */
export class DependencyUnhealthyError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'DependencyUnhealthyError';
  }
}

export interface DependencyHealth {
  name: string;
  status: 'ok' | 'error';
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checkedAt: string;
  dependencies: DependencyHealth[];
}

export interface HealthDeps {
  probes: readonly DependencyProbe[];
  clock: Clock;
  /** Time each probe gets before it counts as failed. */
  deadlineMs: number;
}

const publicReason = (error: unknown): string => {
  if (error instanceof DependencyUnhealthyError) return error.message;
  if (error instanceof Error) return error.name;
  return 'unknown error';
};

const probeWithDeadline = async (probe: DependencyProbe, deps: HealthDeps): Promise<DependencyHealth> => {
  const started = deps.clock.now().getTime();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DependencyUnhealthyError(`no answer within ${deps.deadlineMs} ms`));
    }, deps.deadlineMs);
  });
  try {
    await Promise.race([probe.check(controller.signal), deadline]);
    return { name: probe.name, status: 'ok', latencyMs: deps.clock.now().getTime() - started };
  } catch (error) {
    return { name: probe.name, status: 'error', latencyMs: deps.clock.now().getTime() - started, error: publicReason(error) };
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Checks every dependency in parallel, each with its own deadline, and never throws: a failing or hanging probe
 * becomes an `error` entry. The report is `ok` only when every dependency is.
 */
export const checkHealth = async (deps: HealthDeps): Promise<HealthReport> => {
  const checkedAt = deps.clock.now().toISOString();
  const dependencies = await Promise.all(deps.probes.map((probe) => probeWithDeadline(probe, deps)));
  return {
    status: dependencies.every((dependency) => dependency.status === 'ok') ? 'ok' : 'degraded',
    checkedAt,
    dependencies,
  };
};
