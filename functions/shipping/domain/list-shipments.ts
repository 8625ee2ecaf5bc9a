import { NotFoundError } from '../../_platform/errors';
import type { ShippingDeps } from './deps';
import { type BookedShipment, isBooked } from './model';

/** The booked shipments of an order with their tracking history. Throws NotFoundError when there is no such order. */
export const listOrderShipments = async (deps: Pick<ShippingDeps, 'orders' | 'shipments'>, orderId: string): Promise<BookedShipment[]> => {
  const [details, shipments] = await Promise.all([deps.orders.get(orderId), deps.shipments.listByOrder(orderId)]);
  if (!details) throw new NotFoundError(`order ${orderId} not found`);
  return shipments.filter(isBooked);
};
