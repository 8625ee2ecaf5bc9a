import type { PaymentAttempt, PaymentAttemptRef } from './model';

/** Where payment attempts live. */
export interface PaymentAttemptRepository {
  /** The attempt, read consistently, or undefined when there is none. */
  get(ref: PaymentAttemptRef): Promise<PaymentAttempt | undefined>;
  /**
   * Writes `attempt` if the stored one is still at `attempt.version - 1` (absent when `attempt.version` is 1).
   * Attributes the attempt leaves undefined are removed; attributes it does not know (written by other steps) stay.
   * Throws ConcurrentUpdateError when the condition fails.
   */
  save(attempt: PaymentAttempt): Promise<void>;
}
