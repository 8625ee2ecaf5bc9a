import { ConflictError, RuleViolationError } from '../../_platform/errors';
import { addMoney, type Money, money } from '../../_platform/money';
import type { PaymentFailureCode } from '../../payments/domain/model';
import type { PaymentMethod, ShippingServiceLevel } from './model';

/** Order statuses of API.md. */
export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'fulfilling',
  'shipped',
  'delivered',
  'payment_failed',
  'cancelled',
  'refunded',
  'partially_refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * What happened to the reserved stock: `held` while the order waits for payment, `committed` once paid (the units
 * are sold), `released` once they went back on the shelf (payment failed, order cancelled).
 */
export type StockReservation = 'held' | 'released' | 'committed';

/** What moved an order, as its timeline records it. */
export const ORDER_EVENTS = [
  'order.created',
  'payment.succeeded',
  'payment.failed',
  'payment.retried',
  'fulfilment.started',
  'shipment.shipped',
  'shipment.delivered',
  'order.cancelled',
  'refund.requested',
  'refund.submitted',
  'refund.succeeded',
  'refund.failed',
] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

/** One state change: when, into which status, what caused it and, where there is one, why (a failure code, a reason). */
export interface TimelineEntry {
  at: string;
  status: OrderStatus;
  event: OrderEvent;
  cause?: string;
}

export interface PostalAddress {
  line1: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** Personal data: mask it (maskPii) before it reaches a log or an audit record. */
export interface Buyer {
  name: string;
  email: string;
  /** E.164. */
  phone: string;
  address: PostalAddress;
}

/** A line of an order, copied from the catalog when the order was placed, so later catalog edits do not change it. */
export interface OrderItem {
  sku: string;
  title: string;
  sellerId: string;
  quantity: number;
  unitPrice: Money;
  weightGrams: number;
  dimensionsCm: { l: number; w: number; h: number };
}

/**
 * A refund of one payment of the order: `pending` from the request until the gateway confirms (`succeeded`) or
 * refuses (`failed`). Pending and succeeded refunds count against what the payment captured.
 */
export interface Refund {
  refundId: string;
  paymentId: string;
  amount: Money;
  reason: string;
  status: 'pending' | 'succeeded' | 'failed';
  requestedAt: string;
  /** When the refund was first sent to the gateway: from then on its status is asked before it is sent again. */
  submittedAt?: string;
  settledAt?: string;
  /** The gateway's refund id and status text once it answered. */
  gatewayReference?: string;
  gatewayStatus?: string;
}

/**
 * An order. Every transition below is a pure function: it returns a new order with the new status, exactly one
 * more timeline entry and `version + 1` (the repository writes it conditionally on the previous version and
 * appends that one entry), or the same object when the move was already made (a repeat changes nothing), or it
 * throws when the move is forbidden.
 */
export interface Order {
  orderId: string;
  status: OrderStatus;
  buyer: Buyer;
  items: OrderItem[];
  amount: Money;
  shipping: { serviceLevel: ShippingServiceLevel };
  paymentMethod: PaymentMethod;
  /** The attempt the order waits for or was paid by: `paymentIdOf(orderId, paymentAttempts)`. */
  currentPaymentId: string;
  paymentAttempts: number;
  reservation: StockReservation;
  /** Refunds of the order's payments, oldest first. */
  refunds: Refund[];
  timeline: TimelineEntry[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

const ORDER_PREFIX = 'ord_';
const PAYMENT_ID = /^pay_([0-9A-Za-z]{26})_([1-9]\d{0,5})$/;

/**
 * The id of an order's n-th payment attempt (n from 1): `pay_<the order id's 26 characters>_<n>`. The gateway's
 * return and webhook carry only our payment id, so the order must be derivable from it alone (`orderIdOfPayment`).
 */
export const paymentIdOf = (orderId: string, attempt: number): string => `pay_${orderId.slice(ORDER_PREFIX.length)}_${attempt}`;

/** The order a payment id belongs to, or undefined when the id is not one `paymentIdOf` makes. */
export const orderIdOfPayment = (paymentId: string): string | undefined => {
  const match = PAYMENT_ID.exec(paymentId);
  return match ? `${ORDER_PREFIX}${match[1]}` : undefined;
};

/** A move the order's state machine does not allow from its current status (409). */
export class InvalidOrderTransitionError extends ConflictError {
  override readonly name = 'InvalidOrderTransitionError';
  override readonly code = 'ORDER_STATE_CONFLICT';
  override readonly details: { orderId: string; status: OrderStatus; requested: OrderStatus };

  constructor(order: Pick<Order, 'orderId' | 'status'>, requested: OrderStatus) {
    super(`order ${order.orderId} is ${order.status}; it cannot become ${requested}`);
    this.details = { orderId: order.orderId, status: order.status, requested };
  }
}

/*
 * Where each status may go. A status that is not listed as its own successor cannot repeat.
 * partially_refunded → shipped/delivered: a partial refund before shipping is common (one item out of stock) and the
 * rest still ships. The status then says where the parcel is; the refunds stay on the order (`refunds[]`), and the
 * timeline keeps the partial refund. markShipped/markDelivered look at the timeline so that a partial refund after
 * shipping never moves the order "back" to shipped.
 */
const NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['paid', 'payment_failed', 'cancelled'],
  payment_failed: ['pending_payment', 'cancelled'],
  paid: ['fulfilling', 'shipped', 'cancelled', 'partially_refunded', 'refunded'],
  fulfilling: ['shipped', 'cancelled', 'partially_refunded', 'refunded'],
  shipped: ['delivered', 'partially_refunded', 'refunded'],
  delivered: ['partially_refunded', 'refunded'],
  partially_refunded: ['partially_refunded', 'refunded', 'shipped', 'delivered'],
  cancelled: [],
  refunded: [],
};

/** Whether the state machine allows `from` → `to`. */
export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => NEXT[from].includes(to);

interface Move {
  to: OrderStatus;
  event: OrderEvent;
  at: string;
  cause?: string;
  changes?: Partial<Pick<Order, 'reservation' | 'currentPaymentId' | 'paymentAttempts' | 'paymentMethod' | 'refunds'>>;
}

const record = (order: Order, { to, event, at, cause, changes }: Move): Order => {
  const entry: TimelineEntry = { at, status: to, event, ...(cause !== undefined && { cause }) };
  return { ...order, ...changes, status: to, timeline: [...order.timeline, entry], version: order.version + 1, updatedAt: at };
};

const move = (order: Order, change: Move): Order => {
  if (!canTransition(order.status, change.to)) throw new InvalidOrderTransitionError(order, change.to);
  return record(order, change);
};

/** Something happened that the timeline tells but that leaves the status as it is (a refund requested or refused). */
const note = (order: Order, change: Omit<Move, 'to'>): Order => record(order, { ...change, to: order.status });

export interface NewOrder {
  orderId: string;
  buyer: Buyer;
  items: OrderItem[];
  amount: Money;
  shipping: { serviceLevel: ShippingServiceLevel };
  paymentMethod: PaymentMethod;
}

/** A placed order: waiting for its first payment attempt, with its stock held; version 1, timeline `order.created`. */
export const createOrder = (order: NewOrder, at: string): Order => ({
  ...order,
  status: 'pending_payment',
  currentPaymentId: paymentIdOf(order.orderId, 1),
  paymentAttempts: 1,
  reservation: 'held',
  refunds: [],
  timeline: [{ at, status: 'pending_payment', event: 'order.created' }],
  version: 1,
  createdAt: at,
  updatedAt: at,
});

/**
 * The current attempt succeeded: the order is paid and its stock sold. A repeat for the same payment changes
 * nothing. Throws ConflictError for any other attempt (money arrived on an attempt the order no longer waits for:
 * refund it, do not flip the order) and InvalidOrderTransitionError when the order cannot be paid (cancelled).
 */
export const markPaid = (order: Order, { paymentId, at }: { paymentId: string; at: string }): Order => {
  if (paymentId !== order.currentPaymentId) {
    throw new ConflictError(`payment ${paymentId} is not the current attempt of order ${order.orderId}`);
  }
  if (order.status === 'paid') return order;
  return move(order, { to: 'paid', event: 'payment.succeeded', at, changes: { reservation: 'committed' } });
};

/**
 * The current attempt failed: the order may get another attempt, and its stock goes back (the saga releases it).
 * A repeat, or the failure of an older attempt, changes nothing. Throws InvalidOrderTransitionError once paid.
 */
export const markPaymentFailed = (
  order: Order,
  { paymentId, failureCode, at }: { paymentId: string; failureCode: PaymentFailureCode; at: string },
): Order => {
  // A cancelled order stays cancelled: the saga's compensation of its pending attempt only puts the stock back.
  if (paymentId !== order.currentPaymentId || order.status === 'payment_failed' || order.status === 'cancelled') return order;
  return move(order, { to: 'payment_failed', event: 'payment.failed', at, cause: failureCode, changes: { reservation: 'released' } });
};

/**
 * A new payment attempt after a failed one (the caller has reserved the stock again). The attempt gets the next
 * payment id. Throws ConflictError while an attempt is pending (API.md: 409) and InvalidOrderTransitionError once
 * the order is paid or closed.
 */
export const startPaymentAttempt = (order: Order, { at, method }: { at: string; method: PaymentMethod }): Order => {
  if (order.status === 'pending_payment') {
    throw new PaymentPendingError(order);
  }
  const attempt = order.paymentAttempts + 1;
  return move(order, {
    to: 'pending_payment',
    event: 'payment.retried',
    at,
    cause: method,
    changes: { paymentAttempts: attempt, currentPaymentId: paymentIdOf(order.orderId, attempt), reservation: 'held', paymentMethod: method },
  });
};

/** An attempt of the order still waits for the buyer (409 PAYMENT_PENDING). */
export class PaymentPendingError extends ConflictError {
  override readonly name = 'PaymentPendingError';
  override readonly code = 'PAYMENT_PENDING';
  override readonly details: { orderId: string; paymentId: string };

  constructor(order: Pick<Order, 'orderId' | 'currentPaymentId'>) {
    super(`order ${order.orderId} still waits for payment ${order.currentPaymentId}`);
    this.details = { orderId: order.orderId, paymentId: order.currentPaymentId };
  }
}

/** The seller started packing. A repeat changes nothing. */
export const startFulfilment = (order: Order, { at }: { at: string }): Order =>
  order.status === 'fulfilling' ? order : move(order, { to: 'fulfilling', event: 'fulfilment.started', at });

/** Whether the order's timeline records `event` (a partially refunded order may or may not have shipped). */
const happened = (order: Order, event: OrderEvent): boolean => order.timeline.some((entry) => entry.event === event);

/**
 * A carrier has the parcel. A repeat, or a late report after delivery, changes nothing (events arrive out of
 * order; a step backwards is ignored); neither does a report about an order partially refunded after it shipped. A
 * partially refunded order that had not shipped becomes shipped, its refunds kept.
 */
export const markShipped = (order: Order, { at }: { at: string }): Order =>
  order.status === 'shipped' || order.status === 'delivered' || happened(order, 'shipment.shipped')
    ? order
    : move(order, { to: 'shipped', event: 'shipment.shipped', at });

/** The buyer has the parcel. A repeat, or a report about an order partially refunded after delivery, changes nothing. */
export const markDelivered = (order: Order, { at }: { at: string }): Order =>
  order.status === 'delivered' || happened(order, 'shipment.delivered') ? order : move(order, { to: 'delivered', event: 'shipment.delivered', at });

/**
 * Cancels an order before shipment; its stock goes back on the shelf (held or sold). A repeat changes nothing.
 * Throws RuleViolationError ORDER_NOT_CANCELLABLE once shipped (API.md: cancel is before shipment), and
 * InvalidOrderTransitionError from a refunded order.
 */
export const cancelOrder = (order: Order, { at, reason }: { at: string; reason: string }): Order => {
  if (order.status === 'cancelled') return order;
  if (order.status === 'shipped' || order.status === 'delivered') {
    throw new RuleViolationError('ORDER_NOT_CANCELLABLE', `order ${order.orderId} is already ${order.status}`, {
      orderId: order.orderId,
      status: order.status,
    });
  }
  return move(order, { to: 'cancelled', event: 'order.cancelled', at, cause: reason, changes: { reservation: 'released' } });
};

/** What the refunds of `paymentId` hold back from its capture: pending and succeeded ones (a failed one gave it back). */
export const refundedOf = (order: Pick<Order, 'refunds'>, paymentId: string, currency: string): Money =>
  order.refunds
    .filter((refund) => refund.paymentId === paymentId && refund.status !== 'failed')
    .reduce((total, refund) => addMoney(total, refund.amount), money(0, currency));

/** A refund would take more than the payment captured, counting the refunds already pending or made (422). */
export class RefundExceedsCapturedError extends RuleViolationError {
  constructor(details: { paymentId: string; captured: Money; refunded: Money; requested: Money }) {
    super('REFUND_EXCEEDS_CAPTURED', `payment ${details.paymentId} captured ${details.captured.value} ${details.captured.currency}; ` +
      `${details.refunded.value} is already refunded or pending, so ${details.requested.value} more cannot be`, details);
  }
}

/**
 * Records a refund request against a payment that captured `captured`. The cap is checked here, on the version the
 * repository writes conditionally, so two concurrent requests cannot both pass it. A repeat of the same refundId
 * changes nothing. Throws RefundExceedsCapturedError, or InvalidOrderTransitionError when the order was never paid.
 */
export const requestRefund = (
  order: Order,
  { refundId, paymentId, amount, captured, reason, at }: { refundId: string; paymentId: string; amount: Money; captured: Money; reason: string; at: string },
): Order => {
  if (order.refunds.some((refund) => refund.refundId === refundId)) return order;
  const refunded = refundedOf(order, paymentId, captured.currency);
  if (amount.currency !== captured.currency || amount.value <= 0 || refunded.value + amount.value > captured.value) {
    throw new RefundExceedsCapturedError({ paymentId, captured, refunded, requested: amount });
  }
  const refund: Refund = { refundId, paymentId, amount, reason, status: 'pending', requestedAt: at };
  return note(order, { event: 'refund.requested', at, cause: reason, changes: { refunds: [...order.refunds, refund] } });
};

/** The refund is about to be sent to the gateway (recorded first, so a retry asks its status). A repeat changes nothing. */
export const markRefundSubmitted = (order: Order, { refundId, at }: { refundId: string; at: string }): Order => {
  const refund = order.refunds.find((candidate) => candidate.refundId === refundId);
  if (!refund) throw new ConflictError(`order ${order.orderId} has no refund ${refundId}`);
  if (refund.submittedAt !== undefined) return order;
  const refunds = order.refunds.map((candidate) => (candidate === refund ? { ...refund, submittedAt: at } : candidate));
  return note(order, { event: 'refund.submitted', at, cause: refund.refundId, changes: { refunds } });
};

/**
 * The gateway settled a refund. `succeeded`: a refund of the order's own payment moves it to partially_refunded or,
 * once everything captured is refunded, refunded (a cancelled order stays cancelled; a refund of money that arrived
 * on a failed attempt leaves the status alone). `failed`: noted, the amount counts as refundable again. A repeat
 * changes nothing. Throws ConflictError for a refund the order does not have.
 */
export const settleRefund = (
  order: Order,
  { refundId, outcome, at, gatewayReference, gatewayStatus }: { refundId: string; outcome: 'succeeded' | 'failed'; at: string; gatewayReference?: string; gatewayStatus: string },
): Order => {
  const refund = order.refunds.find((candidate) => candidate.refundId === refundId);
  if (!refund) throw new ConflictError(`order ${order.orderId} has no refund ${refundId}`);
  if (refund.status !== 'pending') return order;
  const settled: Refund = { ...refund, status: outcome, settledAt: at, gatewayStatus, ...(gatewayReference !== undefined && { gatewayReference }) };
  const refunds = order.refunds.map((candidate) => (candidate === refund ? settled : candidate));
  const cause = `${refund.reason} (${refund.amount.value} ${refund.amount.currency})`;
  if (outcome === 'failed') return note(order, { event: 'refund.failed', at, cause: `${cause}: ${gatewayStatus}`, changes: { refunds } });
  const ownPayment = refund.paymentId === order.currentPaymentId && ['paid', 'fulfilling', 'shipped', 'delivered', 'partially_refunded'].includes(order.status);
  if (!ownPayment) return note(order, { event: 'refund.succeeded', at, cause, changes: { refunds } });
  const full = refundedOf({ refunds: refunds.filter((r) => r.status === 'succeeded') }, refund.paymentId, order.amount.currency).value >= order.amount.value;
  return move(order, { to: full ? 'refunded' : 'partially_refunded', event: 'refund.succeeded', at, cause, changes: { refunds } });
};
