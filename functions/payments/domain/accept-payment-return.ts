import { orderIdOfPayment } from '../../checkout/domain/order';
import { gatewayOf, type PaymentSagaDeps } from './deps';
import { AmountMismatchError, UnverifiedReturnError } from './errors';
import type { PaymentAttempt, PaymentFailureCode, PaymentResult } from './model';
import { amountDiffers, resultOf } from './payment-result';
import { type LatePaymentDeps, refundLatePayment } from './refund-late-payment';

export interface PaymentReturn {
  paymentId: string;
  /** The query string the gateway appended to our return URL, as it arrived. */
  query: Readonly<Record<string, string | undefined>>;
}

/** Where the buyer's browser goes next: the store's page, told the verified state of the payment. */
export interface ReturnAnswer {
  location: string;
  status: 'paid' | 'failed' | 'pending';
  /** Money the gateway took after the attempt had failed is being refunded (`refundLatePayment`). */
  refund?: 'pending';
  /** Whether this return recorded the result (false for a duplicate, a late return or a pending payment). */
  recorded: boolean;
}

export type PaymentReturnDeps = Pick<PaymentSagaDeps, 'attempts' | 'resolutions' | 'saga' | 'gateways' | 'clock'> & LatePaymentDeps;

/** The store's return URL with `orderId`, `paymentId`, `status` and, for a failure, `reason`. */
const storeLocation = (attempt: PaymentAttempt & { storeReturnUrl: string }, status: ReturnAnswer['status'], reason?: PaymentFailureCode, refund?: 'pending'): string => {
  const url = new URL(attempt.storeReturnUrl);
  url.searchParams.set('orderId', attempt.orderId);
  url.searchParams.set('paymentId', attempt.paymentId);
  url.searchParams.set('status', status);
  if (status === 'failed' && reason) url.searchParams.set('reason', reason);
  if (refund) url.searchParams.set('refund', refund);
  return url.toString();
};

/** What the attempt says now: its settled status first, then the recorded resolution, then `fallback`. */
const verdictOf = (attempt: PaymentAttempt, fallback: PaymentResult): { status: ReturnAnswer['status']; reason?: PaymentFailureCode } => {
  if (attempt.status === 'succeeded') return { status: 'paid' };
  if (attempt.status === 'failed') return { status: 'failed', reason: attempt.failureCode };
  const result = attempt.resolution ?? fallback;
  if (result.outcome === 'approved') return { status: 'paid' };
  return result.outcome === 'failed' ? { status: 'failed', reason: result.failureCode } : { status: 'pending' };
};

/**
 * The buyer is back from the gateway's page (`GET /v1/payments/{paymentId}/return`). The query string is only a hint:
 * 1. The payment must be ours and described (else UnverifiedReturnError, nothing written); the gateway parses its
 *    query (ValidationError when malformed) and the claimed reference must be the attempt's (else Unverified).
 * 2. The gateway is always asked (`queryStatus`); a different amount is AmountMismatchError (nothing written).
 * 3. A final answer (approved/failed) is recorded in one conditional write: the first of return and webhook wins.
 *    The winner resumes the saga if its token is stored; otherwise the saga's AwaitPaymentResult step finds the
 *    result when it stores its token. A duplicate return changes nothing. A pending payment is not recorded.
 * 4. A return after the attempt failed whose money the gateway took anyway is reconciled: that money is refunded
 *    (`refundLatePayment`) and the store is told `status=failed&refund=pending`.
 */
export const acceptPaymentReturn = async (deps: PaymentReturnDeps, cmd: PaymentReturn): Promise<ReturnAnswer> => {
  const orderId = orderIdOfPayment(cmd.paymentId);
  const attempt = orderId === undefined ? undefined : await deps.attempts.get({ orderId, paymentId: cmd.paymentId });
  if (!attempt?.gateway || !attempt.gatewayReference || !attempt.storeReturnUrl || !attempt.amount) {
    throw new UnverifiedReturnError(`no payment ${cmd.paymentId} to return to`);
  }
  const described = { ...attempt, storeReturnUrl: attempt.storeReturnUrl };
  const gateway = gatewayOf(deps.gateways, attempt.gateway);
  const claim = gateway.parseReturn(cmd.query);
  if (claim.gatewayReference !== attempt.gatewayReference) {
    throw new UnverifiedReturnError(`the return does not belong to payment ${cmd.paymentId}`);
  }

  const status = await gateway.queryStatus(
    { paymentId: attempt.paymentId, gatewayReference: attempt.gatewayReference },
    { idempotencyKey: `${attempt.paymentId}:query` },
  );
  if (amountDiffers(attempt.amount, status.amount)) throw new AmountMismatchError(attempt.paymentId, attempt.amount, status.amount);
  const result = resultOf(status);
  if (result.outcome === 'pending') {
    return { location: storeLocation(described, 'pending'), status: 'pending', recorded: false };
  }

  const ref = { orderId: attempt.orderId, paymentId: attempt.paymentId };
  const { recorded, attempt: now } = await deps.resolutions.record(ref, {
    outcome: result.outcome,
    ...(result.failureCode !== undefined && { failureCode: result.failureCode }),
    ...(result.transactionId !== undefined && { transactionId: result.transactionId }),
    source: 'return',
    at: deps.clock.now().toISOString(),
  });
  if (recorded && now?.taskToken) await deps.saga.resume(now.taskToken, result);
  const settled = now ?? attempt;
  const verdict = verdictOf(settled, result);
  // The saga gave up before the buyer finished, and the gateway took the money: give it back.
  const lateMoney = settled.status === 'failed' && status.state === 'completed' && status.transactionId !== undefined;
  if (lateMoney) await refundLatePayment(deps, { ...settled, amount: attempt.amount }, { ...status, transactionId: status.transactionId! });
  const refund = lateMoney ? 'pending' as const : undefined;
  return { location: storeLocation(described, verdict.status, verdict.reason, refund), status: verdict.status, recorded, ...(refund && { refund }) };
};
