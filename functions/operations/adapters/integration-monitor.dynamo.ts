import { recentAuditSummaries } from '../../_platform/audit-log.dynamo';
import { breakerStatuses } from '../../_platform/circuit-breaker';
import { dynamoCircuitBreakerStore } from '../../_platform/circuit-breaker-store.dynamo';
import type { Clock } from '../../_platform/clock';
import type { IntegrationMonitor } from '../domain/integration-health';

/** How many of a provider's latest calls (today, UTC) the figures cover. */
const RECENT_CALLS = 200;

/** Breakers from INTEGRATION_STATE_TABLE, calls from AUDIT_TABLE. */
export const dynamoIntegrationMonitor = (tables: { integrationState: string; audit: string }, clock: Clock): IntegrationMonitor => {
  const store = dynamoCircuitBreakerStore(tables.integrationState);
  return {
    breakers: () => breakerStatuses(store, clock),
    async recentCalls(provider) {
      const calls = await recentAuditSummaries(tables.audit, provider, clock.now().toISOString().slice(0, 10), RECENT_CALLS);
      return calls.map((c) => ({ latencyMs: c.latencyMs, failed: c.outcome !== 'answered' || (c.status ?? 0) >= 500 }));
    },
  };
};
