import type { PaymentSagaDeps } from './deps';
import { awaitResult, type PaymentAttemptRef } from './model';
import { updateAttempt } from './update-attempt';

export interface AwaitPaymentResult extends PaymentAttemptRef {
  taskToken: string;
  /** How long the saga waits; stored as `awaitingUntil` for whoever sends the result back. */
  timeoutSeconds: number;
}

/**
 * Saga step "AwaitPaymentResult": keeps the task token on the attempt so the webhook or return handler can send the
 * gateway's verdict back to this execution.
 * 1. Read the attempt (it may not exist yet: the saga can start before anything else wrote it).
 * 2. Store token and deadline while it is pending (ConflictError once it has settled).
 */
export const awaitPaymentResult = async (deps: PaymentSagaDeps, cmd: AwaitPaymentResult): Promise<{ stored: true }> => {
  const now = deps.clock.now();
  const awaitingUntil = new Date(now.getTime() + cmd.timeoutSeconds * 1000).toISOString();
  const ref = { orderId: cmd.orderId, paymentId: cmd.paymentId };
  await updateAttempt(deps.attempts, ref, (current) =>
    awaitResult(current, ref, { taskToken: cmd.taskToken, awaitingUntil }, now.toISOString()),
  );
  return { stored: true };
};
