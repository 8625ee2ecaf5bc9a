import type { DomainEvent } from '../../_platform/events';
import type { Money } from '../../_platform/money';
import type { PaymentFailureCode } from '../../payments/domain/model';
import type { GatewayId, PaymentGateway } from '../../payments/domain/ports';
import type { PaymentMethod, Product, ProductPage, StockLine } from './model';
import type { Order } from './order';

/** What a catalog listing asks for. */
export interface ProductListQuery {
  /** Only this seller's products (in SKU order); all products otherwise, in no particular order. */
  sellerId?: string;
  /** The `nextCursor` of the previous page, as returned; opaque to callers. */
  cursor?: string;
  /** Page size, 1 to 100. */
  limit: number;
}

/** The product catalog. */
export interface ProductCatalog {
  /**
   * One page of products. A page may hold fewer than `limit` items and still have a `nextCursor`.
   * Throws ValidationError (field `query.cursor`) for a cursor it did not issue for this query.
   */
  list(query: ProductListQuery): Promise<ProductPage>;
  /**
   * Creates or replaces a product's details in one conditional write. Stock is set (`{ set }`), changed
   * (`{ delta }`, atomic against concurrent reservations) or kept (`{ keep: true }`; 0 for a new product).
   * Throws RuleViolationError STOCK_BELOW_ZERO when a negative delta exceeds the stock.
   */
  upsert(details: Omit<Product, 'stock'>, stock: StockChange): Promise<{ product: Product; created: boolean }>;
  /** The products with these SKUs, read consistently (the prices a checkout charges); unknown SKUs are left out. */
  getMany(skus: readonly string[]): Promise<Product[]>;
}

export type StockChange = { set: number } | { delta: number } | { keep: true };

/** The catalog's stock counts, changed atomically per SKU (no transactions: one conditional write per SKU). */
export interface StockLedger {
  /**
   * Takes `quantity` units of `sku` if at least that many are in stock, atomically against every concurrent taker,
   * and resolves the units left after it. Resolves undefined, changing nothing, when there are fewer (or no such
   * product). Not idempotent: take once.
   */
  take(line: StockLine): Promise<number | undefined>;
  /** Puts units taken earlier back (an atomic add). Not idempotent: call once per successful take. */
  putBack(line: StockLine): Promise<void>;
}

/** A payment attempt as checkout first describes it (the saga adds its task token and the outcome later). */
export interface NewPaymentAttempt {
  orderId: string;
  paymentId: string;
  method: PaymentMethod;
  gateway: GatewayId;
  /** The gateway's id of the payment (bKash paymentID, Nagad paymentReferenceId). */
  gatewayReference: string;
  amount: Money;
  /** Where the buyer pays: the gateway's page. */
  redirectUrl: string;
  /** Where the buyer goes once the result is known: the storefront's page (the request's `payment.returnUrl`). */
  storeReturnUrl: string;
  createdAt: string;
}

/** A payment attempt as the order shows it. */
export interface PaymentSummary {
  paymentId: string;
  method: PaymentMethod;
  status: 'pending' | 'authorized' | 'succeeded' | 'failed' | 'refunded';
  failureCode?: PaymentFailureCode;
  amount: Money;
}

/** A booked shipment as the order shows it (the shipping capability owns the rest). */
export interface ShipmentSummary {
  shipmentId: string;
  carrier: string;
  trackingNumber: string;
  status: string;
  events: Array<{ at: string; status: string }>;
}

/** An order with what happened to it, as one read returns it. */
export interface OrderDetails {
  order: Order;
  payments: PaymentSummary[];
  /** Booked shipments, oldest first. */
  shipments: ShipmentSummary[];
}

/** Orders and their payment attempts. */
export interface OrderRepository {
  /**
   * Writes a new order (version 1). A repeat of the same write (the SDK retrying after a lost answer) succeeds;
   * a different order under the same id throws ConflictError.
   */
  create(order: Order): Promise<void>;
  /**
   * Describes a payment attempt. Keeps what the payment saga may already have written for it (status, task token,
   * version): the saga is started before the attempt is described. A repeat of the same description succeeds; a
   * different one for the same payment id throws ConflictError.
   */
  describePaymentAttempt(attempt: NewPaymentAttempt): Promise<void>;
  /**
   * Writes the result of one transition (order.ts) if the stored order is still at `order.version - 1`, appending
   * the transition's timeline entry (the last one) in the same write. Throws ConcurrentUpdateError otherwise.
   */
  saveTransition(order: Order): Promise<void>;
  /** The order with its payment attempts and booked shipments (oldest first), read consistently; undefined when there is no such order. */
  get(orderId: string): Promise<OrderDetails | undefined>;
}

/** What the payment saga is started with; the saga's compensation puts `stockToRelease` back when the attempt fails. */
export interface PaymentSagaInput {
  orderId: string;
  paymentId: string;
  gateway: GatewayId;
  gatewayReference: string;
  /** The gateway session's lifetime: how long the saga waits for the result before it asks the gateway and gives up. */
  timeoutSeconds: number;
  amount: Money;
  stockToRelease: StockLine[];
}

/** The payment saga (one execution per payment attempt). */
export interface PaymentSagaStarter {
  /**
   * Starts the saga of one attempt, named after `paymentId`, so a repeat cannot start a second one: an execution
   * of that name resolves as started. Throws SagaNotStartedError when the saga certainly did not start; any other
   * error means it may have started (its compensation will then release the stock).
   */
  start(input: PaymentSagaInput): Promise<void>;
}

/** The saga certainly did not start (the service refused the request), so nothing will compensate for it. */
export class SagaNotStartedError extends Error {
  override readonly name = 'SagaNotStartedError';
}

/** Payment gateways by method, as this deployment has them configured. */
export interface GatewayRegistry {
  /** The gateway that takes `method`, or undefined when the method is not enabled here. */
  get(method: PaymentMethod): PaymentGateway | undefined;
}

/**
 * Problems the domain survives but an operator must see (logged and counted by the adapter, alarmed on): the request
 * still succeeds or fails on its own merits.
 */
export interface IncidentReporter {
  /** An event was not published. The order stands; the event's consumers missed it. */
  eventNotPublished(event: DomainEvent, error: unknown): void;
  /** Reserved stock could not be put back while undoing a checkout: the SKU shows fewer units than it has. */
  stockNotReleased(line: StockLine, error: unknown): void;
}
