import { NotFoundError } from '../../_platform/errors';
import { recordLateCapture, type PaymentAttempt } from './model';
import type { GatewayPaymentStatus, PaymentAttemptRepository } from './ports';
import { type RequestRefundDeps, startRefund } from './request-refund';
import { updateAttempt } from './update-attempt';

export type LatePaymentDeps = Pick<RequestRefundDeps, 'orders' | 'refunds' | 'clock'> & { attempts: PaymentAttemptRepository };

/** The refund id of a late payment's refund: derived from the payment, so every discovery of it starts the same one. */
export const lateRefundIdOf = (paymentId: string): string => `${paymentId.replace(/^pay_/, 'ref_')}_late`;

/**
 * The gateway verifiably took money on an attempt that had already failed (the buyer finished on the gateway's page
 * after the saga gave up, PEERS.md §2.1): the money is given back, never kept and never lost. The attempt records the
 * transaction (`recordLateCapture`, once) and a refund of the whole amount starts (`startRefund`, its id derived from
 * the payment, so a duplicate return or webhook starts nothing twice). The order's status is left alone: it may have
 * been paid by another attempt since, or be waiting for one.
 */
export const refundLatePayment = async (
  deps: LatePaymentDeps,
  attempt: PaymentAttempt & Required<Pick<PaymentAttempt, 'amount'>>,
  status: GatewayPaymentStatus & { transactionId: string },
): Promise<void> => {
  const at = deps.clock.now().toISOString();
  const ref = { orderId: attempt.orderId, paymentId: attempt.paymentId };
  await updateAttempt(deps.attempts, ref, (current) => {
    if (!current) throw new NotFoundError(`payment ${attempt.paymentId} of order ${attempt.orderId} not found`);
    return recordLateCapture(current, { transactionId: status.transactionId, capturedAt: at }, at);
  });
  await startRefund(deps, {
    orderId: attempt.orderId,
    refundId: lateRefundIdOf(attempt.paymentId),
    paymentId: attempt.paymentId,
    amount: attempt.amount,
    captured: attempt.amount,
    reason: `payment ${attempt.paymentId} completed after it had ${attempt.failureCode === 'EXPIRED' ? 'expired' : 'failed'}`,
  });
};
