import type {
  ExistingIdempotencyRecord,
  IdempotencyClaim,
  IdempotencyResult,
  IdempotencyStatus,
  IdempotencyStore,
} from '../../../functions/_platform/idempotency-store';

/** One record as the DynamoDB store keeps it. */
export interface InMemoryIdempotencyRecord {
  status: IdempotencyStatus;
  /** Epoch seconds. */
  expiresAt: number;
  /** Epoch ms. */
  inProgressUntil?: number;
  validationHash?: string;
  data?: unknown;
}

/**
 * Idempotency records in memory with the DynamoDB store's semantics: a claim succeeds only when the key is absent,
 * expired, or INPROGRESS past its lease (atomically: JavaScript runs it without interleaving), a release deletes
 * only the claim it names, and stored results are copied as JSON, like an item.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, InMemoryIdempotencyRecord>();

  /** Status of every stored record (`INPROGRESS`, `COMPLETED`, `EXPIRED`). */
  statuses(): string[] {
    const now = Date.now();
    return [...this.records.values()].map((record) => (record.expiresAt < now / 1000 ? 'EXPIRED' : record.status));
  }

  async claim(key: string, { validationHash, inProgressUntil, expiresAt }: IdempotencyClaim): Promise<'claimed' | ExistingIdempotencyRecord> {
    const existing = this.records.get(key);
    const now = Date.now();
    const free =
      !existing ||
      existing.expiresAt < now / 1000 ||
      (existing.status === 'INPROGRESS' && existing.inProgressUntil !== undefined && existing.inProgressUntil < now);
    if (!free) {
      const validation = existing.validationHash === undefined ? {} : { validationHash: existing.validationHash };
      return existing.status === 'COMPLETED'
        ? { status: 'COMPLETED', data: structuredClone(existing.data), ...validation }
        : { status: 'INPROGRESS', ...validation };
    }
    this.records.set(key, { status: 'INPROGRESS', expiresAt, inProgressUntil, ...(validationHash !== undefined && { validationHash }) });
    return 'claimed';
  }

  async complete(key: string, { data, validationHash, expiresAt }: IdempotencyResult): Promise<void> {
    this.records.set(key, {
      ...this.records.get(key),
      status: 'COMPLETED',
      expiresAt,
      ...(data !== undefined && { data: JSON.parse(JSON.stringify(data)) }),
      ...(validationHash !== undefined && { validationHash }),
    });
  }

  async release(key: string, inProgressUntil: number): Promise<void> {
    const record = this.records.get(key);
    if (record?.status === 'INPROGRESS' && record.inProgressUntil === inProgressUntil) this.records.delete(key);
  }
}
