import { UnverifiedError } from '../../_platform/errors';
import type { PaymentAttempt, PaymentFailureCode, PaymentResult } from './model';
import { recordVerifiedResult, type VerifiedResultDeps } from './record-verified-result';

export interface PaymentReturn {
  paymentId: string;
  /** The query string the gateway appended to our return URL, as it arrived. */
  query: Readonly<Record<string, string | undefined>>;
}

/** Where the buyer's browser goes next: the store's page, told the verified state of the payment. */
export interface ReturnAnswer {
  location: string;
  status: 'paid' | 'failed' | 'pending';
  /** Whether this return recorded the result (false for a duplicate, a late return or a pending payment). */
  recorded: boolean;
  /** Money the gateway took after the attempt had failed is being refunded. */
  refund?: 'pending';
}

export type PaymentReturnDeps = VerifiedResultDeps;

/** The store's return URL with `orderId`, `paymentId`, `status`, for a failure `reason`, and `refund` when late money goes back. */
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
 * the payment must be ours with a store return URL, the gateway parses its query (ValidationError when malformed)
 * and the claimed reference must be the attempt's (else UnverifiedError, nothing written). Then
 * `recordVerifiedResult` asks the gateway and records the first final result (return vs webhook), resuming the saga,
 * and refunds money taken after the attempt had failed (the store is then told `status=failed&refund=pending`).
 */
export const acceptPaymentReturn = async (deps: PaymentReturnDeps, cmd: PaymentReturn): Promise<ReturnAnswer> => {
  let storeReturnUrl = '';
  const { attempt, result, recorded, current, lateRefund } = await recordVerifiedResult(deps, {
    paymentId: cmd.paymentId,
    source: 'return',
    verifyClaim(described, gateway) {
      if (!described.storeReturnUrl) throw new UnverifiedError(`payment ${cmd.paymentId} has no return to the store`);
      storeReturnUrl = described.storeReturnUrl;
      if (gateway.parseReturn(cmd.query).gatewayReference !== described.gatewayReference) {
        throw new UnverifiedError(`the return does not belong to payment ${cmd.paymentId}`);
      }
    },
  });
  const verdict = verdictOf(current, result);
  const refund = lateRefund ? ('pending' as const) : undefined;
  return {
    location: storeLocation({ ...attempt, storeReturnUrl }, verdict.status, verdict.reason, refund),
    status: verdict.status,
    recorded,
    ...(refund && { refund }),
  };
};
