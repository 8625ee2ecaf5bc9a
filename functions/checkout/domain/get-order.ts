import { NotFoundError } from '../../_platform/errors';
import type { OrderDetails, OrderRepository } from './ports';

export interface GetOrderDeps {
  orders: OrderRepository;
}

/** The order with its payment attempts. Throws NotFoundError when there is no such order. */
export const getOrder = async (deps: GetOrderDeps, orderId: string): Promise<OrderDetails> => {
  const details = await deps.orders.get(orderId);
  if (!details) throw new NotFoundError(`order ${orderId} not found`);
  return details;
};
