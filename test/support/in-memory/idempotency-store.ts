import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError } from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';

/**
 * A Powertools persistence layer in memory with the DynamoDB layer's semantics: a put succeeds only when the key
 * is absent, expired, or IN_PROGRESS past its in-progress expiry; stored results are copied as JSON, like an item.
 */
export class InMemoryIdempotencyStore extends BasePersistenceLayer {
  readonly records = new Map<string, IdempotencyRecord>();

  /** Status of every stored record (`INPROGRESS`, `COMPLETED`, `EXPIRED`). */
  statuses(): string[] {
    return [...this.records.values()].map((record) => record.getStatus());
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const record = this.records.get(idempotencyKey);
    if (!record) throw new IdempotencyItemNotFoundError();
    return record;
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    const now = Date.now();
    const replaceable =
      !existing ||
      (existing.expiryTimestamp !== undefined && existing.expiryTimestamp < now / 1000) ||
      (existing.getStatus() === 'INPROGRESS' &&
        existing.inProgressExpiryTimestamp !== undefined &&
        existing.inProgressExpiryTimestamp < now);
    if (!replaceable) {
      throw new IdempotencyItemAlreadyExistsError(`record exists: ${record.idempotencyKey}`, existing);
    }
    this.records.set(record.idempotencyKey, this.copy(record));
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, this.copy(record));
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }

  private copy(record: IdempotencyRecord): IdempotencyRecord {
    return new IdempotencyRecord({
      idempotencyKey: record.idempotencyKey,
      status: record.getStatus(),
      expiryTimestamp: record.expiryTimestamp,
      inProgressExpiryTimestamp: record.inProgressExpiryTimestamp,
      payloadHash: record.payloadHash,
      responseData: record.responseData === undefined ? undefined : JSON.parse(JSON.stringify(record.responseData)),
    });
  }
}
