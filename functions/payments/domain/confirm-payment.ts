import { NotFoundError } from '../../_platform/errors';
import type { PaymentSagaDeps } from './deps';
import { markSucceeded, type PaymentAttemptRef } from './model';
import { updateAttempt } from './update-attempt';

export interface ConfirmPayment extends PaymentAttemptRef {
  /** The verified gateway result the webhook sent back with the task token. */
  result: { status: 'succeeded'; providerReference?: string };
}

export interface PaymentConfirmed extends PaymentAttemptRef {
  status: 'succeeded';
}

/**
 * Saga step "ConfirmPayment": the attempt becomes succeeded. Idempotent: a repeat returns the same output.
 * Throws NotFoundError when there is no attempt, ConflictError when it already failed.
 */
export const confirmPayment = async (deps: PaymentSagaDeps, cmd: ConfirmPayment): Promise<PaymentConfirmed> => {
  const ref = { orderId: cmd.orderId, paymentId: cmd.paymentId };
  await updateAttempt(deps.attempts, ref, (current) => {
    if (!current) throw new NotFoundError(`payment ${cmd.paymentId} of order ${cmd.orderId} not found`);
    return markSucceeded(current, cmd.result.providerReference, deps.clock.now().toISOString());
  });
  return { ...ref, status: 'succeeded' };
};
