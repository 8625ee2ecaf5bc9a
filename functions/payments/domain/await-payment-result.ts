import type { PaymentSagaDeps } from './deps';
import type { PaymentAttemptRef, PaymentResult } from './model';
import { resultOfResolution } from './payment-result';

export interface AwaitPaymentResult extends PaymentAttemptRef {
  taskToken: string;
  /** How long the saga waits; stored as `awaitingUntil` for whoever sends the result back. */
  timeoutSeconds: number;
}

/**
 * Keeps the task token on the attempt so the webhook or return handler can send the gateway's verdict back to this
 * execution: stores token and deadline while the attempt is pending, creating it if the saga got here first
 * (ConflictError once it has settled). Returns the result recorded before the token was there, if any.
 */
export const awaitPaymentResult = async (
  deps: Pick<PaymentSagaDeps, 'resolutions' | 'clock'>,
  cmd: AwaitPaymentResult,
): Promise<{ stored: true; recordedBefore?: PaymentResult }> => {
  const now = deps.clock.now();
  const awaitingUntil = new Date(now.getTime() + cmd.timeoutSeconds * 1000).toISOString();
  const ref = { orderId: cmd.orderId, paymentId: cmd.paymentId };
  const stored = await deps.resolutions.storeTaskToken(ref, { taskToken: cmd.taskToken, awaitingUntil }, now.toISOString());
  return stored.resolution ? { stored: true, recordedBefore: resultOfResolution(stored.resolution) } : { stored: true };
};

/**
 * Saga step "AwaitPaymentResult": stores the token (above) and, if a verified result was recorded before the token
 * was there, sends it itself, since nobody else will. Exactly one side sends: the token and the result are each one
 * write returning the attempt as written, so the token either lands first (the recorder's write returns it and the
 * recorder sends) or second (and the result is seen here).
 */
export const awaitAndResume = async (
  deps: Pick<PaymentSagaDeps, 'resolutions' | 'saga' | 'clock'>,
  cmd: AwaitPaymentResult,
): Promise<{ stored: true; resumed: boolean }> => {
  const { recordedBefore } = await awaitPaymentResult(deps, cmd);
  if (!recordedBefore) return { stored: true, resumed: false };
  await deps.saga.resume(cmd.taskToken, recordedBefore);
  return { stored: true, resumed: true };
};
