import type { DomainEvent } from '../../_platform/events';
import { ConflictError, NotFoundError, ProviderRetryableError } from '../../_platform/errors';
import type { Money } from '../../_platform/money';
import { markPaymentFailed } from '../../checkout/domain/order';
import type { StockLine } from '../../checkout/domain/model';
import { gatewayOf, type PaymentSagaDeps } from './deps';
import { failureCodeOf, markFailed, nextVersion, type PaymentAttemptRef, type PaymentFailureCode } from './model';
import { refundAtGateway } from './gateway-refund';
import type { GatewayId, RefundRequest } from './ports';
import { updateAttempt } from './update-attempt';
import { updateOrder } from '../../checkout/domain/update-order';

/** The saga's state when a step failed: its input, what the Catch put at `$.error`, and `$.capture` if money moved. */
export interface CompensatePayment extends PaymentAttemptRef {
  gateway: GatewayId;
  gatewayReference: string;
  amount: Money;
  stockToRelease: StockLine[];
  error: { Error: string; Cause?: string };
  capture?: { transactionId: string; amount: Money; capturedAt: string };
}

export interface PaymentCompensated extends PaymentAttemptRef {
  status: 'failed';
  failureCode: PaymentFailureCode;
  refunded: boolean;
}

/** Methods the buyer may try next (API.md: the buyer is offered another method). */
const METHODS_AVAILABLE = ['bkash', 'nagad'];

type Deps = Pick<PaymentSagaDeps, 'attempts' | 'orders' | 'stock' | 'gateways' | 'events' | 'clock'>;

/** Records how far the compensation refund got (the attempt exists: AwaitPaymentResult created it before capture). */
const markRefund = (deps: Deps, ref: PaymentAttemptRef, state: 'requested' | 'succeeded') =>
  updateAttempt(deps.attempts, ref, (current) => {
    if (!current) throw new NotFoundError(`payment ${ref.paymentId} of order ${ref.orderId} not found`);
    return current.compensationRefund === state ? current : nextVersion(current, { compensationRefund: state }, deps.clock.now().toISOString());
  });

/**
 * Gives a captured payment back (`refundAtGateway`: marked `requested` on the attempt before the call, so a retried
 * compensation asks the refund status first instead of refunding twice). Only the gateway's confirmation counts:
 * anything else throws ProviderRetryableError (the state machine retries the compensation).
 */
const refundCapture = async (deps: Deps, cmd: CompensatePayment, capture: NonNullable<CompensatePayment['capture']>): Promise<void> => {
  const ref = { orderId: cmd.orderId, paymentId: cmd.paymentId };
  const attempt = await deps.attempts.get(ref);
  if (attempt?.compensationRefund === 'succeeded') return;
  const gateway = gatewayOf(deps.gateways, cmd.gateway);
  const request: RefundRequest = {
    refundId: `${cmd.paymentId}-compensation`,
    paymentId: cmd.paymentId,
    gatewayReference: cmd.gatewayReference,
    transactionId: capture.transactionId,
    amount: capture.amount,
    capturedAmount: capture.amount,
    paidAt: capture.capturedAt,
    reason: 'the payment could not be confirmed',
  };
  const result = await refundAtGateway(gateway, request, { idempotencyKey: `${cmd.paymentId}:compensation-refund` }, {
    submitted: attempt?.compensationRefund === 'requested',
    markSubmitted: async () => {
      await markRefund(deps, ref, 'requested');
    },
  });
  if (result.state !== 'succeeded') {
    throw new ProviderRetryableError(gateway.id, `the compensation refund of ${cmd.paymentId} is ${result.state} (${result.gatewayStatus})`);
  }
  await markRefund(deps, ref, 'succeeded');
};

/**
 * Puts the attempt's reserved stock back, at most once: the `stockReleased` flag is set (a conditional write) before
 * the units go back, so a retried compensation never adds them twice (a crash in between under-counts, which an
 * operator can correct, rather than selling stock that is not there).
 */
const releaseStock = async (deps: Deps, cmd: CompensatePayment): Promise<void> => {
  const ref = { orderId: cmd.orderId, paymentId: cmd.paymentId };
  let claimed = false;
  await updateAttempt(deps.attempts, ref, (current) => {
    claimed = false;
    const now = deps.clock.now().toISOString();
    if (!current) {
      claimed = true;
      return { ...ref, status: 'pending', stockReleased: true, updatedAt: now, version: 1 };
    }
    if (current.stockReleased) return current;
    claimed = true;
    return nextVersion(current, { stockReleased: true }, now);
  });
  if (!claimed) return;
  for (const line of cmd.stockToRelease) await deps.stock.putBack(line);
};

/**
 * Saga compensation (every failure, timeout or refusal ends here), each part safe to repeat (a succeeded attempt is
 * never compensated: ConflictError):
 * 1. refund the capture if money moved (`$.capture`), confirmed by the gateway;
 * 2. put the reserved stock back, once;
 * 3. the attempt becomes failed with the code of the caught error (model.ts `failureCodeOf`; the first code stays);
 * 4. the order becomes payment_failed (`markPaymentFailed`; a repeat changes nothing; a cancelled order stays so);
 * 5. unless the order was cancelled, `payment.failed` is published with the code and the methods the buyer may try (id derived from the payment).
 */
export const compensatePayment = async (deps: Deps, cmd: CompensatePayment): Promise<PaymentCompensated> => {
  const ref = { orderId: cmd.orderId, paymentId: cmd.paymentId };
  // Money was taken and the order confirmed: undoing it is a refund for an operator, not a compensation.
  if ((await deps.attempts.get(ref))?.status === 'succeeded') throw new ConflictError(`payment ${cmd.paymentId} already succeeded; not compensating`);
  if (cmd.capture) await refundCapture(deps, cmd, cmd.capture);
  await releaseStock(deps, cmd);
  const at = deps.clock.now().toISOString();
  const failed = await updateAttempt(deps.attempts, ref, (current) => markFailed(current, ref, failureCodeOf(cmd.error), at));
  const failureCode = failed.failureCode ?? failureCodeOf(cmd.error);
  const order = await updateOrder(deps.orders, cmd.orderId, (current) => markPaymentFailed(current, { paymentId: cmd.paymentId, failureCode, at }));
  // The merchant cancelled the order: order.cancelled tells that story; the buyer is not offered another method.
  if (order?.status === 'cancelled') return { ...ref, status: 'failed', failureCode, refunded: cmd.capture !== undefined };
  const event: DomainEvent = {
    id: `evt_${cmd.paymentId}_payment_failed`,
    type: 'payment.failed',
    version: 1,
    occurredAt: at,
    orderId: cmd.orderId,
    data: { paymentId: cmd.paymentId, failureCode, methodsAvailable: METHODS_AVAILABLE },
  };
  try {
    await deps.events.publish(event);
  } catch (error) {
    throw new ProviderRetryableError('events', `payment.failed for ${cmd.paymentId} not published`, { cause: error });
  }
  return { ...ref, status: 'failed', failureCode, refunded: cmd.capture !== undefined };
};
