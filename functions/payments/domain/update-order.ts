import type { Order } from '../../checkout/domain/order';
import type { OrderRepository } from '../../checkout/domain/ports';
import { ConcurrentUpdateError } from './errors';

const MAX_TRIES = 3;

/**
 * Read the order, apply `transition` (order.ts), save it conditionally; on a lost race read again and re-apply
 * (transitions are idempotent). Resolves undefined when there is no such order, the order unchanged when the
 * transition was already made. Throws what the transition throws, or ConcurrentUpdateError after three lost races.
 */
export const updateOrder = async (orders: OrderRepository, orderId: string, transition: (order: Order) => Order): Promise<Order | undefined> => {
  for (let attempt = 1; ; attempt += 1) {
    const current = (await orders.get(orderId))?.order;
    if (!current) return undefined;
    const next = transition(current);
    if (next === current) return next;
    try {
      await orders.saveTransition(next);
      return next;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_TRIES) throw error;
    }
  }
};
