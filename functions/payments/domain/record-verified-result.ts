import { UnverifiedError } from '../../_platform/errors';
import { orderIdOfPayment } from '../../checkout/domain/order';
import { gatewayOf, type PaymentSagaDeps } from './deps';
import { AmountMismatchError } from './errors';
import type { PaymentAttempt, PaymentResolution, PaymentResult } from './model';
import { amountDiffers, resultOf } from './payment-result';
import type { GatewayPaymentStatus, PaymentGateway } from './ports';
import { type LatePaymentDeps, refundLatePayment } from './refund-late-payment';

/** What verifying a claimed result needs: the buyer's return and the gateway's webhook both use it. */
export type VerifiedResultDeps = Pick<PaymentSagaDeps, 'attempts' | 'resolutions' | 'saga' | 'gateways' | 'clock'> & LatePaymentDeps;

/** An attempt checkout has described: the gateway, the payment's reference there and the amount. */
export type DescribedAttempt = PaymentAttempt & Required<Pick<PaymentAttempt, 'gateway' | 'gatewayReference' | 'amount'>>;

/** A claim that payment `paymentId` has a result, from the buyer's return or a gateway's webhook. Only a hint. */
export interface ResultClaim {
  readonly paymentId: string;
  readonly source: PaymentResolution['source'];
  /**
   * Throws when the claim does not belong to `attempt` (a foreign gateway reference, another gateway, another
   * amount); runs before the gateway is asked, so a forged claim costs no gateway call and writes nothing.
   */
  verifyClaim(attempt: DescribedAttempt, gateway: PaymentGateway): void;
  /** Throws when the gateway's own answer contradicts the claim (a webhook naming another transaction). */
  verifyStatus?(status: GatewayPaymentStatus): void;
}

export interface VerifiedResult {
  readonly attempt: DescribedAttempt;
  /** The gateway's verdict; `pending` is never recorded. */
  readonly result: PaymentResult;
  /** Whether this claim recorded the result (false for a duplicate, a late claim or a pending payment). */
  readonly recorded: boolean;
  /** The attempt as it stands after the write (or as another writer left it). */
  readonly current: PaymentAttempt;
  /** The gateway took the money after the attempt had failed: it is being refunded (`refundLatePayment`). */
  readonly lateRefund: boolean;
}

/**
 * Verifies a claimed result with the gateway and records the first final one:
 * 1. The payment must be ours and described by checkout (else UnverifiedError, 401, nothing written), and
 *    `claim.verifyClaim` must accept it.
 * 2. The gateway is always asked (`queryStatus`); a different amount is AmountMismatchError (422, nothing written).
 * 3. A final result (approved/failed) is recorded in ONE conditional write: the first of return and webhook wins.
 *    The winner resumes the saga if its task token is stored; otherwise the saga's AwaitPaymentResult step finds
 *    the result when it stores its token. A duplicate or late claim changes nothing; a pending one is not recorded.
 * 4. A claim that finds money taken on an attempt that already failed (the buyer finished after the saga gave up)
 *    is reconciled: that money is refunded (`refundLatePayment`, once however often it is claimed).
 */
export const recordVerifiedResult = async (deps: VerifiedResultDeps, claim: ResultClaim): Promise<VerifiedResult> => {
  const orderId = orderIdOfPayment(claim.paymentId);
  const stored = orderId === undefined ? undefined : await deps.attempts.get({ orderId, paymentId: claim.paymentId });
  if (!stored?.gateway || !stored.gatewayReference || !stored.amount) {
    throw new UnverifiedError(`no payment ${claim.paymentId} of ours`);
  }
  const attempt: DescribedAttempt = { ...stored, gateway: stored.gateway, gatewayReference: stored.gatewayReference, amount: stored.amount };
  const gateway = gatewayOf(deps.gateways, attempt.gateway);
  claim.verifyClaim(attempt, gateway);

  const status = await gateway.queryStatus(
    { paymentId: attempt.paymentId, gatewayReference: attempt.gatewayReference },
    { idempotencyKey: `${attempt.paymentId}:query` },
  );
  if (amountDiffers(attempt.amount, status.amount)) throw new AmountMismatchError(attempt.paymentId, attempt.amount, status.amount);
  claim.verifyStatus?.(status);
  const result = resultOf(status);
  if (result.outcome === 'pending') return { attempt, result, recorded: false, current: attempt, lateRefund: false };

  const ref = { orderId: attempt.orderId, paymentId: attempt.paymentId };
  const { recorded, attempt: now } = await deps.resolutions.record(ref, {
    outcome: result.outcome,
    ...(result.failureCode !== undefined && { failureCode: result.failureCode }),
    ...(result.transactionId !== undefined && { transactionId: result.transactionId }),
    source: claim.source,
    at: deps.clock.now().toISOString(),
  });
  if (recorded && now?.taskToken) await deps.saga.resume(now.taskToken, result);
  const current = now ?? attempt;
  const lateMoney = current.status === 'failed' && status.state === 'completed' ? status.transactionId : undefined;
  if (lateMoney !== undefined) await refundLatePayment(deps, attempt, { ...status, transactionId: lateMoney });
  return { attempt, result, recorded, current, lateRefund: lateMoney !== undefined };
};
