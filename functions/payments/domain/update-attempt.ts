import { ConcurrentUpdateError } from './errors';
import type { PaymentAttempt, PaymentAttemptRef } from './model';
import type { PaymentAttemptRepository } from './ports';

const MAX_TRIES = 3;

/**
 * Read, apply `transition`, conditionally write; on a lost race read again and re-apply (transitions are
 * idempotent, so this is safe). A transition that returns the attempt unchanged writes nothing.
 * Throws what the transition throws, or ConcurrentUpdateError after three lost races.
 */
export const updateAttempt = async (
  attempts: PaymentAttemptRepository,
  ref: PaymentAttemptRef,
  transition: (current: PaymentAttempt | undefined) => PaymentAttempt,
): Promise<PaymentAttempt> => {
  for (let attempt = 1; ; attempt += 1) {
    const current = await attempts.get(ref);
    const next = transition(current);
    if (next === current) return next;
    try {
      await attempts.save(next);
      return next;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_TRIES) throw error;
    }
  }
};
