import { ConcurrentUpdateError } from '../../../functions/_platform/errors';
import type { PaymentAttempt, PaymentAttemptRef } from '../../../functions/payments/domain/model';
import type { PaymentAttemptRepository } from '../../../functions/payments/domain/ports';

const keyOf = ({ orderId, paymentId }: PaymentAttemptRef) => `${orderId}/${paymentId}`;

/** PaymentAttemptRepository in memory, with the DynamoDB adapter's version condition. */
export class InMemoryPaymentAttempts implements PaymentAttemptRepository {
  private readonly attempts = new Map<string, PaymentAttempt>();
  /** Writes that were accepted, in order. */
  readonly saved: PaymentAttempt[] = [];

  async get(ref: PaymentAttemptRef): Promise<PaymentAttempt | undefined> {
    const attempt = this.attempts.get(keyOf(ref));
    return attempt && { ...attempt };
  }

  async save(attempt: PaymentAttempt): Promise<void> {
    const stored = this.attempts.get(keyOf(attempt));
    const expected = attempt.version === 1 ? undefined : attempt.version - 1;
    if (stored?.version !== expected) throw new ConcurrentUpdateError(`version ${stored?.version ?? 'none'}, expected ${expected ?? 'none'}`);
    this.put(attempt);
  }

  /** Stores an attempt as it is, bypassing the version check (test setup and concurrent writers). */
  put(attempt: PaymentAttempt): void {
    // A JSON copy drops undefined attributes, as the adapter's REMOVE does.
    const copy = JSON.parse(JSON.stringify(attempt)) as PaymentAttempt;
    this.attempts.set(keyOf(attempt), copy);
    this.saved.push(copy);
  }
}
