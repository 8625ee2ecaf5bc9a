import { integrationHealth, type IntegrationMonitor, type ProviderCall } from '../../../../../functions/operations/domain/integration-health';

const clock = { now: () => new Date('2026-11-23T10:00:00.000Z') };
const monitorWith = (breakers: Awaited<ReturnType<IntegrationMonitor['breakers']>>, calls: Record<string, ProviderCall[]>): IntegrationMonitor => ({
  breakers: async () => breakers,
  recentCalls: async (provider) => calls[provider] ?? [],
});

describe('integrationHealth', () => {
  it('reports each provider’s breaker, error rate and latency percentiles over its latest calls', async () => {
    const calls = Array.from({ length: 20 }, (_, i) => ({ latencyMs: (i + 1) * 10, failed: i < 5 }));
    const monitor = monitorWith([{ provider: 'bkash', state: 'open', consecutiveFailures: 5, openedAt: '2026-11-23T09:59:00.000Z' }], { bkash: calls });

    const report = await integrationHealth({ monitor, clock }, ['bkash']);

    expect(report).toEqual({
      checkedAt: '2026-11-23T10:00:00.000Z',
      providers: [{
        provider: 'bkash',
        breaker: { state: 'open', consecutiveFailures: 5, openedAt: '2026-11-23T09:59:00.000Z' },
        calls: 20,
        errorRate: 0.25,
        latencyMs: { p50: 100, p95: 190 },
      }],
    });
  });

  it('shows a provider nobody called yet as closed, without figures', async () => {
    const report = await integrationHealth({ monitor: monitorWith([], {}), clock }, ['nagad']);
    expect(report.providers).toEqual([{ provider: 'nagad', breaker: { state: 'closed', consecutiveFailures: 0 }, calls: 0, errorRate: null, latencyMs: null }]);
  });
});
