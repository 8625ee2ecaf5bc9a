import type { Clock } from '../../_platform/clock';

/** One recent call to a provider, as the audit trail has it. */
export interface ProviderCall {
  readonly latencyMs: number;
  /** No usable answer: a 5xx, a timeout, a refused connection, an open breaker or a rate limit. */
  readonly failed: boolean;
}

export interface BreakerView {
  readonly provider: string;
  readonly state: 'closed' | 'open' | 'half_open';
  readonly consecutiveFailures: number;
  readonly openedAt?: string;
}

/** What the operators' view reads: the shared breakers and the audit trail. */
export interface IntegrationMonitor {
  breakers(): Promise<BreakerView[]>;
  /** The provider's latest calls (at most a recent window), newest first. */
  recentCalls(provider: string): Promise<ProviderCall[]>;
}

export interface ProviderHealth {
  readonly provider: string;
  readonly breaker: Omit<BreakerView, 'provider'>;
  /** Calls in the window the figures are taken from. */
  readonly calls: number;
  /** Failed calls / calls, 0 to 1; null without calls. */
  readonly errorRate: number | null;
  readonly latencyMs: { readonly p50: number; readonly p95: number } | null;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/**
 * Per provider: its circuit breaker (closed when it never failed), its error rate and latency over its latest calls.
 * A provider nobody called yet shows a closed breaker and no figures.
 */
export const integrationHealth = async (
  deps: { monitor: IntegrationMonitor; clock: Clock },
  providers: readonly string[],
): Promise<{ checkedAt: string; providers: ProviderHealth[] }> => {
  const breakers = new Map((await deps.monitor.breakers()).map((b) => [b.provider, b]));
  const health = await Promise.all(providers.map(async (provider): Promise<ProviderHealth> => {
    const calls = await deps.monitor.recentCalls(provider);
    const latencies = calls.map((c) => c.latencyMs).sort((a, b) => a - b);
    const { provider: _name, ...breaker } = breakers.get(provider) ?? { provider, state: 'closed' as const, consecutiveFailures: 0 };
    return {
      provider,
      breaker,
      calls: calls.length,
      errorRate: calls.length === 0 ? null : calls.filter((c) => c.failed).length / calls.length,
      latencyMs: latencies.length === 0 ? null : { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
    };
  }));
  return { checkedAt: deps.clock.now().toISOString(), providers: health };
};
