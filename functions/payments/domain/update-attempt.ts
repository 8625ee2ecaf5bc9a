import type { PaymentAttempt, PaymentAttemptRef } from './model';
import { optimisticUpdate } from '../../_platform/optimistic-update';
import type { PaymentAttemptRepository } from './ports';

/**
 * Applies `transition` to the attempt (absent when none is stored yet) with an optimistic update. A transition that
 * returns the attempt unchanged writes nothing. Throws what the transition throws, or ConcurrentUpdateError after
 * three lost races.
 */
export const updateAttempt = (
  attempts: PaymentAttemptRepository,
  ref: PaymentAttemptRef,
  transition: (current: PaymentAttempt | undefined) => PaymentAttempt,
): Promise<PaymentAttempt> =>
  optimisticUpdate(() => attempts.get(ref), transition, (next) => attempts.save(next));
