import type { Order } from './order';
import type { OrderRepository } from './ports';
import { optimisticUpdate } from '../../_platform/optimistic-update';

/**
 * Applies `transition` (order.ts) to the order with an optimistic update. Resolves undefined when there is no such
 * order, the order unchanged when the transition was already made. Throws what the transition throws, or
 * ConcurrentUpdateError after three lost races.
 */
export const updateOrder = (orders: OrderRepository, orderId: string, transition: (order: Order) => Order): Promise<Order | undefined> =>
  optimisticUpdate(
    async () => (await orders.get(orderId))?.order,
    (current) => (current ? transition(current) : current),
    // A missing order transitions to itself, so save only ever sees an order.
    async (next) => (next ? orders.saveTransition(next) : undefined),
  );
