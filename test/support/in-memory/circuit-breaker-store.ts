import type { BreakerRecord, CircuitBreakerStore } from '../../../functions/_platform/circuit-breaker';

/**
 * Circuit breakers in memory with the DynamoDB store's semantics: each method is atomic (JavaScript runs it without
 * interleaving) and the conditional ones succeed exactly when the DynamoDB condition would hold. Records are copied
 * in and out, as items are.
 */
export const inMemoryCircuitBreakerStore = (): CircuitBreakerStore & { readonly records: Map<string, BreakerRecord> } => {
  const records = new Map<string, BreakerRecord>();
  const read = (provider: string) => records.get(provider);
  const write = (record: BreakerRecord) => {
    records.set(record.provider, structuredClone(record));
    return structuredClone(record);
  };

  return {
    records,
    async get(provider) {
      const record = read(provider);
      return record && structuredClone(record);
    },
    async recordFailure(provider, at) {
      const record = read(provider) ?? { provider, state: 'closed', consecutiveFailures: 0 };
      return write({ ...record, consecutiveFailures: record.consecutiveFailures + 1, lastFailureAt: at });
    },
    async resetFailures(provider) {
      const record = read(provider);
      if (record?.state === 'closed') write({ ...record, consecutiveFailures: 0 });
    },
    async trip(provider, threshold, at, halfOpenAt) {
      const record = read(provider);
      if (record?.state !== 'closed' || record.consecutiveFailures < threshold) return false;
      write({ ...record, state: 'open', openedAt: at, halfOpenAt });
      return true;
    },
    async claimProbe(provider, lease, now) {
      const record = read(provider);
      if (record?.state !== 'open' || record.halfOpenAt > now || (record.probe && record.probe.until >= now)) return false;
      write({ ...record, probe: lease });
      return true;
    },
    async close(provider, probeId) {
      const record = read(provider);
      if (record?.state !== 'open' || record.probe?.id !== probeId) return false;
      write({ provider, state: 'closed', consecutiveFailures: 0, ...(record.lastFailureAt !== undefined && { lastFailureAt: record.lastFailureAt }) });
      return true;
    },
    async reopen(provider, probeId, at, halfOpenAt) {
      const record = read(provider);
      if (record?.state !== 'open' || record.probe?.id !== probeId) return;
      const { probe: _released, ...rest } = record;
      write({ ...rest, openedAt: at, halfOpenAt, lastFailureAt: at, consecutiveFailures: record.consecutiveFailures + 1 });
    },
    async list() {
      return [...records.values()].map((record) => structuredClone(record));
    },
  };
};
