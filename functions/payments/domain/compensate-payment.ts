import type { PaymentSagaDeps } from './deps';
import { failureCodeOf, markFailed, type PaymentAttemptRef, type PaymentFailureCode } from './model';
import { updateAttempt } from './update-attempt';

export interface CompensatePayment extends PaymentAttemptRef {
  /** What the state machine's Catch put at `$.error`. */
  error: { Error: string; Cause?: string };
}

export interface PaymentCompensated extends PaymentAttemptRef {
  status: 'failed';
  failureCode: PaymentFailureCode;
}

/**
 * Saga compensation: the attempt becomes failed with the code that matches the caught error (a timeout is
 * EXPIRED). Idempotent: a repeat keeps and returns the first code. Never overwrites a succeeded attempt
 * (ConflictError). Later steps (release stock, void at the gateway, publish payment.failed) hang off this one.
 */
export const compensatePayment = async (deps: PaymentSagaDeps, cmd: CompensatePayment): Promise<PaymentCompensated> => {
  const ref = { orderId: cmd.orderId, paymentId: cmd.paymentId };
  const failed = await updateAttempt(deps.attempts, ref, (current) =>
    markFailed(current, ref, failureCodeOf(cmd.error.Error), deps.clock.now().toISOString()),
  );
  return { ...ref, status: 'failed', failureCode: failed.failureCode ?? failureCodeOf(cmd.error.Error) };
};
