import { ConcurrentUpdateError, ConflictError } from '../../../functions/_platform/errors';
import type { Order } from '../../../functions/checkout/domain/order';
import type { NewPaymentAttempt, OrderDetails, OrderRepository } from '../../../functions/checkout/domain/ports';

/** A payment attempt as stored: checkout's description plus what the saga writes. */
export type StoredAttempt = NewPaymentAttempt & { status: 'pending' | 'succeeded' | 'failed'; version: number };

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** OrderRepository in memory, with the DynamoDB adapter's conditions. */
export class InMemoryOrders implements OrderRepository {
  readonly orders = new Map<string, Order>();
  readonly attempts = new Map<string, StoredAttempt>();
  /** Errors to throw instead of writing. */
  createFailure: Error | undefined;
  describeFailure: Error | undefined;

  async create(order: Order): Promise<void> {
    if (this.createFailure) throw this.createFailure;
    if (this.orders.has(order.orderId)) throw new ConflictError(`order ${order.orderId} already exists`);
    this.orders.set(order.orderId, copy(order));
  }

  async describePaymentAttempt(attempt: NewPaymentAttempt): Promise<void> {
    if (this.describeFailure) throw this.describeFailure;
    const stored = this.attempts.get(attempt.paymentId);
    if (stored && stored.gatewayReference !== attempt.gatewayReference) throw new ConflictError(`payment ${attempt.paymentId} is already described`);
    this.attempts.set(attempt.paymentId, { status: 'pending', version: 1, ...copy(attempt) });
  }

  async saveTransition(order: Order): Promise<void> {
    const stored = this.orders.get(order.orderId);
    if (stored?.version !== order.version - 1) throw new ConcurrentUpdateError(`order ${order.orderId} changed concurrently`);
    this.orders.set(order.orderId, copy(order));
  }

  async get(orderId: string): Promise<OrderDetails | undefined> {
    const order = this.orders.get(orderId);
    if (!order) return undefined;
    const payments = [...this.attempts.values()]
      .filter((attempt) => attempt.orderId === orderId)
      .map(({ paymentId, method, status, amount }) => ({ paymentId, method, status, amount }));
    return copy({ order, payments, shipments: [] });
  }
}
