import type { Clock } from '../../_platform/clock';
import { optimisticUpdate } from '../../_platform/optimistic-update';
import { afterSoftFailure, type MessageRecord, supersedes, type Suppression } from './model';
import type { DeliveryReceipt, NotificationStore } from './ports';

export interface RecordDeliveryDeps {
  store: NotificationStore;
  clock: Clock;
}

export type ReceiptOutcome = 'applied' | 'unchanged' | 'unknown_message';

const SOFT_FAILURES = new Set(['bounced_soft', 'undelivered']);

/** The message after `receipt`: a status of higher rank replaces the current one; engagement is noted apart. */
const applyReceipt = (record: MessageRecord, receipt: DeliveryReceipt): MessageRecord => {
  if (receipt.engagement) {
    const flag = receipt.engagement === 'opened' ? 'opened' : 'clicked';
    if (record[flag]) return record;
    return { ...record, [flag]: true, version: record.version + 1, updatedAt: receipt.at };
  }
  if (!supersedes(record.status, receipt.status)) return record;
  return {
    ...record,
    status: receipt.status,
    history: [...record.history, { status: receipt.status, at: receipt.at, provider: receipt.provider, ...(receipt.detail !== undefined && { detail: receipt.detail }) }],
    updatedAt: receipt.at,
    version: record.version + 1,
  };
};

/** What a status does to the address: a hard bounce or a complaint suppresses it; soft failures may pause it. */
const suppressionAfter = (current: Suppression, receipt: DeliveryReceipt, now: Date): Suppression | undefined => {
  if (receipt.status === 'bounced_hard') return { ...current, reason: 'hard_bounce', suppressedAt: now.toISOString() };
  if (receipt.status === 'complained') return { ...current, reason: 'complaint', suppressedAt: now.toISOString() };
  if (SOFT_FAILURES.has(receipt.status)) return afterSoftFailure(current, now);
  return undefined;
};

/**
 * Applies one verified delivery receipt to the message it reports on (found by the provider's message id):
 * out-of-order or repeated receipts change nothing (status ranks, model.ts `supersedes`); the write is conditional
 * on the record's version and retried on a lost race. A status that changed the record may then suppress or pause
 * the address. A receipt for a message we do not know is reported as such and changes nothing.
 */
export const recordDelivery = async (deps: RecordDeliveryDeps, receipt: DeliveryReceipt): Promise<ReceiptOutcome> => {
  const found = await deps.store.findByProviderMessageId(receipt.provider, receipt.providerMessageId);
  if (!found) return 'unknown_message';
  let changed = false;
  await optimisticUpdate(
    async () => (await deps.store.getMessage(found.messageId)) ?? found,
    (record) => {
      const next = applyReceipt(record, receipt);
      changed = next !== record;
      return next;
    },
    (next) => deps.store.saveMessage(next),
  );
  if (!changed) return 'unchanged';
  const now = deps.clock.now();
  const current = (await deps.store.getSuppression(found.addressHash)) ?? { addressHash: found.addressHash, softFailures: 0 };
  const next = suppressionAfter(current, receipt, now);
  if (next) await deps.store.putSuppression(next);
  return 'applied';
};
