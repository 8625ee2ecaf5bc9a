import * as z from 'zod/mini';
import type { ConsumerHandlers, EventEnvelope } from '../../_platform/events';
import { moneySchema } from '../../_platform/money';
import { parseOrThrow } from '../../_platform/validation';
import type { NOTIFICATION_EVENT_TYPES } from './consumed-events';
import { recipientIdOfEmail } from './identity';
import type { Language, MessageType, Recipient } from './model';
import type { NotificationStore, OrderReader, OrderSummary, SalesLedger } from './ports';
import { recordSellerSales } from './seller-performance';
import { type SendDeps, sendNotification } from './send-notification';

export interface EventHandlerDeps extends SendDeps {
  orders: OrderReader;
  store: NotificationStore;
  sales: SalesLedger;
}

const LANGUAGE_BY_COUNTRY: Readonly<Record<string, Language>> = { BD: 'bn', VN: 'vi' };

/** The buyer of an order as a recipient; the language follows the delivery country until they choose one. */
export const buyerOf = (order: OrderSummary): Recipient => ({
  recipientId: recipientIdOfEmail(order.buyer.email),
  role: 'buyer',
  language: LANGUAGE_BY_COUNTRY[order.buyer.country] ?? 'en',
  name: order.buyer.name,
  email: order.buyer.email,
  phone: order.buyer.phone,
});

/** What a buyer is told about when refunds reach them, by payment method. */
const REFUND_TIMELINE: Readonly<Record<string, string>> = { bkash: '3-5 business days', nagad: '3-5 business days', card: '5-10 business days' };

/** Failure codes as a buyer reads them. */
const REASON_TEXT: Readonly<Record<string, string>> = {
  INSUFFICIENT_FUNDS: 'the balance was too low',
  CANCELLED_BY_BUYER: 'the payment was cancelled',
  EXPIRED: 'the payment page expired',
  DECLINED: 'the payment was declined',
};

const paymentFailedData = z.object({ failureCode: z.optional(z.string()), methodsAvailable: z.optional(z.array(z.string())) });
const shipmentData = z.object({
  sellerId: z.optional(z.string()), carrier: z.string(), trackingNumber: z.string(), status: z.optional(z.string()),
  estimatedDeliveryDate: z.optional(z.string()),
});
const moneyReasonData = z.object({ amount: z.optional(moneySchema), reason: z.optional(z.string()), refundId: z.optional(z.string()) });
const stockLowData = z.object({ sku: z.string(), sellerId: z.optional(z.string()), level: z.number() });
const payoutData = z.object({ sellerId: z.optional(z.string()), payoutId: z.string(), amount: moneySchema, accountMasked: z.optional(z.string()) });

/**
 * Which messages each event sends (ARCHITECTURE.md's event vocabulary). Contact data is read from the order (buyers)
 * and the seller directory, not carried in events. An event about an order that does not exist sends nothing (every
 * producer writes the order before its events, so a retry would not find it either), nor does one for a seller with
 * no contact on file.
 */
export const notificationEventHandlers = (deps: EventHandlerDeps): ConsumerHandlers<(typeof NOTIFICATION_EVENT_TYPES)[number]> => {
  const orderOf = async (event: EventEnvelope): Promise<OrderSummary | undefined> => (event.orderId ? deps.orders.get(event.orderId) : undefined);
  /**
   * One message to the order's buyer. The event's data is checked only once the order is known: an event about an
   * order we do not have sends nothing, however its data looks.
   */
  const toBuyer = async <S extends z.core.$ZodType>(
    event: EventEnvelope,
    schema: S,
    message: (order: OrderSummary, data: z.core.output<S>) => { type: MessageType; data: Record<string, unknown> },
  ) => {
    const order = await orderOf(event);
    if (!order) return;
    const { type, data } = message(order, parseOrThrow(schema, event.data, 'input'));
    await sendNotification(deps, { source: event.id, type, recipient: buyerOf(order), data: { orderId: order.orderId, ...data } });
  };
  const toSeller = async (event: EventEnvelope, sellerId: string | undefined, type: MessageType, data: Record<string, unknown>) => {
    const seller = sellerId ? await deps.store.getContact(sellerId) : undefined;
    if (!seller) return;
    await sendNotification(deps, { source: event.id, type, recipient: seller, data });
  };

  return {
    'order.paid': async (event) => {
      const order = await orderOf(event);
      if (!order) return;
      // Counted before anything is sent: a redelivery after a failed send counts nothing twice (once per order).
      await recordSellerSales(deps.sales, order, new Date(event.occurredAt));
      await sendNotification(deps, {
        source: event.id, type: 'order_confirmation', recipient: buyerOf(order),
        data: { orderId: order.orderId, amount: order.amount, paymentMethod: order.paymentMethod, itemCount: order.items.reduce((n, item) => n + item.quantity, 0) },
      });
      const sellers = [...new Set(order.items.map((item) => item.sellerId))];
      for (const sellerId of sellers) {
        const items = order.items.filter((item) => item.sellerId === sellerId);
        await toSeller(event, sellerId, 'seller_new_order', {
          orderId: order.orderId, itemCount: items.reduce((n, item) => n + item.quantity, 0), skus: items.map((item) => item.sku).join(', '),
        });
      }
    },
    'payment.failed': (event) =>
      toBuyer(event, paymentFailedData, (order, data) => {
        const code = data.failureCode ?? 'DECLINED';
        const reasonText = REASON_TEXT[code] ?? 'the payment did not go through';
        return { type: 'payment_failed', data: { amount: order.amount, reason: code, reasonText, methods: (data.methodsAvailable ?? []).join(', ') } };
      }),
    'shipment.created': (event) =>
      toBuyer(event, shipmentData, (_order, data) => ({
        type: 'shipment_update', data: { carrier: data.carrier, trackingNumber: data.trackingNumber, status: data.status ?? 'pending' },
      })),
    'shipment.status_changed': (event) =>
      toBuyer(event, shipmentData, (_order, data) => ({
        type: data.status === 'delivered' ? 'shipment_delivered' : 'shipment_update',
        data: { carrier: data.carrier, trackingNumber: data.trackingNumber, status: data.status ?? 'in_transit' },
      })),
    'shipment.delayed': (event) =>
      toBuyer(event, shipmentData, (_order, data) => ({
        type: 'shipment_delayed',
        data: { carrier: data.carrier, trackingNumber: data.trackingNumber, ...(data.estimatedDeliveryDate && { estimatedDeliveryDate: data.estimatedDeliveryDate }) },
      })),
    'order.cancelled': (event) =>
      toBuyer(event, moneyReasonData, (order, data) => ({
        type: 'order_cancelled',
        data: {
          reason: data.reason ?? 'cancelled', ...(data.amount && data.amount.value > 0 && { amount: data.amount }),
          refundTimeline: REFUND_TIMELINE[order.paymentMethod] ?? '5-10 business days',
        },
      })),
    'refund.succeeded': (event) =>
      toBuyer(event, moneyReasonData, (order, data) => ({
        type: 'refund_succeeded',
        data: { amount: data.amount ?? order.amount, reason: data.reason ?? 'refund', refundTimeline: REFUND_TIMELINE[order.paymentMethod] ?? '5-10 business days' },
      })),
    'stock.low': async (event) => {
      const data = parseOrThrow(stockLowData, event.data, 'input');
      await toSeller(event, data.sellerId ?? event.sellerId, 'seller_low_stock', { sku: data.sku, level: data.level });
    },
    'payout.completed': async (event) => {
      const data = parseOrThrow(payoutData, event.data, 'input');
      await toSeller(event, data.sellerId ?? event.sellerId, 'seller_payout', {
        payoutId: data.payoutId, amount: data.amount, accountMasked: data.accountMasked ?? '••••',
      });
    },
  };
};
