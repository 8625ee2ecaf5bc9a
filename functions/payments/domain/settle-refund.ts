import type { Clock } from '../../_platform/clock';
import type { DomainEvent, EventPublisher } from '../../_platform/events';
import { NotFoundError, ProviderRetryableError } from '../../_platform/errors';
import { markRefundSubmitted, type Refund, settleRefund as recordSettlement } from '../../checkout/domain/order';
import type { OrderRepository } from '../../checkout/domain/ports';
import { gatewayOf, type GatewayLookup } from './deps';
import { refundAtGateway } from './gateway-refund';
import type { PaymentAttemptRepository, RefundRequest, RefundWorkflowInput } from './ports';
import { updateOrder } from '../../checkout/domain/update-order';

export interface SettleRefundDeps {
  orders: OrderRepository;
  attempts: PaymentAttemptRepository;
  gateways: GatewayLookup;
  events: EventPublisher;
  clock: Clock;
}

/** The workflow looked for its refund on the order before the request recorded it (or the request lost its race). */
export class RefundNotRecordedError extends Error {
  override readonly name = 'RefundNotRecordedError';
}

export interface RefundProgress extends RefundWorkflowInput {
  status: 'pending' | 'succeeded' | 'failed';
}

/** `refund.succeeded` or `refund.failed`, its id derived from the refund so a repeat publishes the same event. */
const publishSettlement = async (
  deps: Pick<SettleRefundDeps, 'events'>,
  orderId: string,
  refund: Pick<Refund, 'refundId' | 'paymentId' | 'amount' | 'reason'> & { status: 'succeeded' | 'failed'; gatewayStatus: string },
  at: string,
): Promise<void> => {
  const event: DomainEvent = {
    id: `evt_${refund.refundId}_${refund.status}`,
    type: refund.status === 'succeeded' ? 'refund.succeeded' : 'refund.failed',
    version: 1,
    occurredAt: at,
    orderId,
    data: { refundId: refund.refundId, paymentId: refund.paymentId, amount: refund.amount, reason: refund.reason, gatewayStatus: refund.gatewayStatus },
  };
  try {
    await deps.events.publish(event);
  } catch (error) {
    throw new ProviderRetryableError('events', `${event.type} for ${refund.refundId} not published`, { cause: error });
  }
};

/**
 * The refund workflow's step, repeated until the refund is settled (the workflow waits between tries):
 * 1. the refund must be on its order (RefundNotRecordedError until the request's write lands);
 * 2. settled already: its status is returned, nothing is asked;
 * 3. the gateway is asked to refund once (`refundAtGateway`, key `<refundId>:refund`, marked `refund.submitted` on
 *    the order before the call); later tries ask the refund's status;
 * 4. a confirmation or a refusal is recorded on the order (`settleRefund`: refunded / partially_refunded, or the
 *    amount refundable again) and `refund.succeeded` / `refund.failed` is published (id derived from the refund, so
 *    a retried step publishes the same event). `pending` is returned as is: the workflow asks again later.
 */
export const settleOrderRefund = async (deps: SettleRefundDeps, cmd: RefundWorkflowInput): Promise<RefundProgress> => {
  const details = await deps.orders.get(cmd.orderId);
  const refund = details?.order.refunds.find((candidate) => candidate.refundId === cmd.refundId);
  if (!refund) throw new RefundNotRecordedError(`refund ${cmd.refundId} is not on order ${cmd.orderId} (yet)`);
  // Settled by an earlier try whose publish may have failed: publish again (same event id), then report.
  if (refund.status !== 'pending') {
    await publishSettlement(deps, cmd.orderId, { ...refund, status: refund.status, gatewayStatus: refund.gatewayStatus ?? refund.status }, refund.settledAt ?? deps.clock.now().toISOString());
    return { ...cmd, status: refund.status };
  }

  const attempt = await deps.attempts.get({ orderId: cmd.orderId, paymentId: refund.paymentId });
  if (!attempt?.gateway || !attempt.gatewayReference || !attempt.transactionId || !attempt.amount) {
    throw new NotFoundError(`payment ${refund.paymentId} of order ${cmd.orderId} took no money to refund`);
  }
  const gateway = gatewayOf(deps.gateways, attempt.gateway);
  const request: RefundRequest = {
    refundId: refund.refundId,
    paymentId: refund.paymentId,
    gatewayReference: attempt.gatewayReference,
    transactionId: attempt.transactionId,
    amount: refund.amount,
    capturedAmount: attempt.amount,
    paidAt: attempt.capturedAt ?? attempt.updatedAt,
    reason: refund.reason,
  };
  const result = await refundAtGateway(gateway, request, { idempotencyKey: `${refund.refundId}:refund` }, {
    submitted: refund.submittedAt !== undefined,
    markSubmitted: async () => {
      const at = deps.clock.now().toISOString();
      await updateOrder(deps.orders, cmd.orderId, (order) => markRefundSubmitted(order, { refundId: refund.refundId, at }));
    },
  });
  if (result.state === 'pending') return { ...cmd, status: 'pending' };

  const at = deps.clock.now().toISOString();
  await updateOrder(deps.orders, cmd.orderId, (order) =>
    recordSettlement(order, {
      refundId: refund.refundId,
      outcome: result.state === 'succeeded' ? 'succeeded' : 'failed',
      at,
      gatewayStatus: result.gatewayStatus,
      ...(result.refundReference !== undefined && { gatewayReference: result.refundReference }),
    }),
  );
  await publishSettlement(deps, cmd.orderId, { ...refund, status: result.state, gatewayStatus: result.gatewayStatus }, at);
  return { ...cmd, status: result.state };
};
