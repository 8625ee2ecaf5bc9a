import { ConflictError, NotFoundError } from '../../_platform/errors';
import { type BookingDeps, bookShipments, carrierChain, isShippable } from './book-shipments';
import { type BookedShipment, isBooked } from './model';

type BookingSummary = Pick<BookedShipment, 'shipmentId' | 'sellerId' | 'carrier' | 'trackingNumber' | 'status'>;

/** 409 SHIPMENT_EXISTS: every parcel of the order is booked already; `details.shipments` names the bookings. */
export class ShipmentExistsError extends ConflictError {
  override readonly name = 'ShipmentExistsError';
  override readonly code = 'SHIPMENT_EXISTS';
  override readonly details: { orderId: string; shipments: BookingSummary[] };

  constructor(orderId: string, shipments: BookedShipment[]) {
    super(`order ${orderId} is booked already (${shipments.map((shipment) => `${shipment.carrier} ${shipment.trackingNumber}`).join(', ')})`);
    this.details = {
      orderId,
      shipments: shipments.map(({ shipmentId, sellerId, carrier, trackingNumber, status }) => ({ shipmentId, sellerId, carrier, trackingNumber, status })),
    };
  }
}

/** 409 ORDER_NOT_PAID: the order is unpaid, cancelled or refunded, so nothing of it ships. */
export class OrderNotPaidError extends ConflictError {
  override readonly name = 'OrderNotPaidError';
  override readonly code = 'ORDER_NOT_PAID';
  override readonly details: { orderId: string; status: string };

  constructor(orderId: string, status: string) {
    super(`order ${orderId} is ${status}; only a paid order ships`);
    this.details = { orderId, status };
  }
}

/**
 * A seller's "ship now" (`POST /v1/orders/{orderId}/shipments`): books the order's parcels that are not booked yet,
 * at `carrier` when one is chosen (no failover then), otherwise through the seller's preferences with failover. The
 * same booking as on `order.paid` (bookShipments), so it is idempotent per order through the shipment claims.
 * 1. NotFoundError when there is no such order; OrderNotPaidError when it is not paid (or cancelled, refunded);
 * 2. ShipmentExistsError when every parcel is booked already (a repeat of this call, or order.paid was first);
 * 3. RuleViolationError CARRIER_NOT_ENABLED when `carrier` is not an eligible carrier of every seller of the order
 *    (checked for all before anything is booked), NO_ELIGIBLE_CARRIER when no carrier serves the destination;
 * 4. ProviderRetryableError when no carrier booked.
 * Resolves with every booked shipment of the order.
 */
export const shipOrderNow = async (deps: BookingDeps, orderId: string, options: { carrier?: string }): Promise<BookedShipment[]> => {
  const details = await deps.orders.get(orderId);
  if (!details) throw new NotFoundError(`order ${orderId} not found`);
  const { order } = details;
  if (!isShippable(order)) throw new OrderNotPaidError(orderId, order.status);
  const sellers = [...new Set(order.items.map((item) => item.sellerId))];
  const booked = (await deps.shipments.listByOrder(orderId)).filter(isBooked);
  if (booked.length >= sellers.length) throw new ShipmentExistsError(orderId, booked);
  for (const sellerId of sellers) await carrierChain(deps, order, sellerId, options.carrier);
  return bookShipments(deps, orderId, options);
};
