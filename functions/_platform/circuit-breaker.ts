import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from './clock';
import { ProviderRetryableError } from './errors';

/** The probe call's hold on a half-open breaker: who probes and until when (epoch ms) the lease stands. */
export interface ProbeLease {
  readonly id: string;
  readonly until: number;
}

/**
 * A provider's breaker as stored, shared by every Lambda instance. Times are epoch milliseconds. An `open` breaker
 * is half-open from `halfOpenAt` on: then one caller may take the probe lease and try the provider.
 */
export type BreakerRecord =
  | {
      readonly provider: string;
      readonly state: 'closed';
      readonly consecutiveFailures: number;
      readonly lastFailureAt?: number;
    }
  | {
      readonly provider: string;
      readonly state: 'open';
      readonly consecutiveFailures: number;
      readonly lastFailureAt?: number;
      readonly openedAt: number;
      readonly halfOpenAt: number;
      readonly probe?: ProbeLease;
    };

/**
 * Where breakers live. Every method is one atomic (conditional) write or one read, so instances that race agree:
 * exactly one of them trips a breaker, takes a probe lease, or closes it.
 */
export interface CircuitBreakerStore {
  /** The provider's breaker; undefined when it never failed. May be slightly stale (an eventually consistent read). */
  get(provider: string): Promise<BreakerRecord | undefined>;
  /** Adds one consecutive failure at `at` (creating a closed breaker if none) and returns the breaker after it. */
  recordFailure(provider: string, at: number): Promise<BreakerRecord>;
  /** Resets the failure count of a closed breaker; no-op when it is open meanwhile. */
  resetFailures(provider: string): Promise<void>;
  /**
   * Opens a closed breaker that has at least `threshold` consecutive failures. Returns true for the one caller that
   * opened it, false when it was open already or a success reset it meanwhile.
   */
  trip(provider: string, threshold: number, at: number, halfOpenAt: number): Promise<boolean>;
  /**
   * Takes the probe lease of an open breaker whose `halfOpenAt` has passed (at `now`) and whose previous lease, if any,
   * has expired. Returns true for the one caller that got it.
   */
  claimProbe(provider: string, lease: ProbeLease, now: number): Promise<boolean>;
  /** The probe succeeded: closes the breaker if `probeId` still holds the lease. Returns true when it closed it. */
  close(provider: string, probeId: string): Promise<boolean>;
  /** The probe failed: opens the breaker again from `at` if `probeId` still holds the lease. */
  reopen(provider: string, probeId: string, at: number, halfOpenAt: number): Promise<void>;
  /** Every breaker that has ever failed, for the health endpoint. */
  list(): Promise<BreakerRecord[]>;
}

/** A breaker as the health endpoint reports it (times in ISO 8601). */
export interface BreakerStatus {
  readonly provider: string;
  readonly state: 'closed' | 'open' | 'half_open';
  readonly consecutiveFailures: number;
  readonly openedAt?: string;
  readonly lastFailureAt?: string;
}

/** Defaults of ARCHITECTURE.md: open after 5 consecutive failed calls, half-open 30 s later. */
export const BREAKER_FAILURE_THRESHOLD = 5;
export const BREAKER_COOL_DOWN_MS = 30_000;

/** Thrown instead of calling a provider whose breaker is open. Step Functions sees a ProviderRetryableError. */
export class CircuitOpenError extends ProviderRetryableError {
  override readonly details: { provider: string; breaker: 'open' };

  constructor(provider: string) {
    super(provider, `${provider}: circuit breaker is open, the provider is not called`);
    this.details = { provider, breaker: 'open' };
  }
}

/** Permission to call a provider: as usual (breaker closed) or as the one probe of a half-open breaker. */
export type Admission =
  | { readonly provider: string; readonly probeId?: undefined; readonly failuresSeen: number }
  | { readonly provider: string; readonly probeId: string; readonly failuresSeen: number };

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the breaker; BREAKER_FAILURE_THRESHOLD unless given. */
  readonly failureThreshold?: number;
  /** How long an open breaker fails fast before one probe may try; BREAKER_COOL_DOWN_MS unless given. */
  readonly coolDownMs?: number;
  readonly clock?: Clock;
  /** Told when this instance opened or closed a breaker (exactly one instance does, thanks to conditional writes). */
  readonly onChange?: (change: { provider: string; state: 'open' | 'closed' }) => Promise<void>;
}

export interface CircuitBreaker {
  /**
   * Lets a call through or throws CircuitOpenError. Costs one store read, none while this instance knows the breaker
   * is open and cooling down, plus one conditional write when it tries to become the probe. `probeLeaseMs` bounds
   * how long the probe may hold the breaker (the probe call's timeout plus a margin).
   */
  admit(provider: string, probeLeaseMs: number): Promise<Admission>;
  /** The admitted call reached the provider and it answered sensibly. Writes only when the breaker changes. */
  succeeded(admission: Admission): Promise<void>;
  /** The admitted call failed at the provider (5xx, 429, timeout, connection failure). */
  failed(admission: Admission): Promise<void>;
}

/**
 * The breaker policy over a shared store. A closed breaker with no failures is never written on success, so the
 * happy path costs one read. Each instance also remembers a breaker it saw open until its cool-down ends, because
 * nobody can close it before then: during an outage, callers fail fast without touching DynamoDB.
 */
export const createCircuitBreaker = (store: CircuitBreakerStore, options: CircuitBreakerOptions = {}): CircuitBreaker => {
  const threshold = options.failureThreshold ?? BREAKER_FAILURE_THRESHOLD;
  const coolDownMs = options.coolDownMs ?? BREAKER_COOL_DOWN_MS;
  const clock = options.clock ?? systemClock;
  const knownOpenUntil = new Map<string, number>();
  const now = () => clock.now().getTime();
  const notify = async (provider: string, state: 'open' | 'closed') => options.onChange?.({ provider, state });

  return {
    async admit(provider, probeLeaseMs) {
      const at = now();
      const openUntil = knownOpenUntil.get(provider);
      if (openUntil !== undefined && at < openUntil) throw new CircuitOpenError(provider);
      const record = await store.get(provider);
      if (!record || record.state === 'closed') {
        knownOpenUntil.delete(provider);
        return { provider, failuresSeen: record?.consecutiveFailures ?? 0 };
      }
      if (at < record.halfOpenAt) {
        knownOpenUntil.set(provider, record.halfOpenAt);
        throw new CircuitOpenError(provider);
      }
      if (record.probe && record.probe.until > at) throw new CircuitOpenError(provider);
      const probeId = randomUUID();
      if (!(await store.claimProbe(provider, { id: probeId, until: at + probeLeaseMs }, at))) throw new CircuitOpenError(provider);
      return { provider, probeId, failuresSeen: record.consecutiveFailures };
    },

    async succeeded({ provider, probeId, failuresSeen }) {
      if (probeId !== undefined) {
        if (await store.close(provider, probeId)) {
          knownOpenUntil.delete(provider);
          await notify(provider, 'closed');
        }
      } else if (failuresSeen > 0) {
        await store.resetFailures(provider);
      }
    },

    async failed({ provider, probeId }) {
      const at = now();
      if (probeId !== undefined) {
        await store.reopen(provider, probeId, at, at + coolDownMs);
        knownOpenUntil.set(provider, at + coolDownMs);
        return;
      }
      const record = await store.recordFailure(provider, at);
      if (record.state === 'open') {
        knownOpenUntil.set(provider, record.halfOpenAt);
      } else if (record.consecutiveFailures >= threshold && (await store.trip(provider, threshold, at, at + coolDownMs))) {
        knownOpenUntil.set(provider, at + coolDownMs);
        await notify(provider, 'open');
      }
    },
  };
};

/** Every provider's breaker as the health endpoint shows it: an open breaker past its cool-down is `half_open`. */
export const breakerStatuses = async (store: CircuitBreakerStore, clock: Clock = systemClock): Promise<BreakerStatus[]> => {
  const at = clock.now().getTime();
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return (await store.list()).map((record) => ({
    provider: record.provider,
    state: record.state === 'closed' ? 'closed' : at < record.halfOpenAt ? 'open' : 'half_open',
    consecutiveFailures: record.consecutiveFailures,
    ...(record.state === 'open' && { openedAt: iso(record.openedAt) }),
    ...(record.lastFailureAt !== undefined && { lastFailureAt: iso(record.lastFailureAt) }),
  }));
};
