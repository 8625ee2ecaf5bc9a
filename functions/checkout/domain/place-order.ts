import type { Clock } from '../../_platform/clock';
import { NotFoundError, ProviderIndeterminateError, ProviderRetryableError, RuleViolationError } from '../../_platform/errors';
import { createEvent, type EventPublisher } from '../../_platform/events';
import type { IdGenerator } from '../../_platform/ids';
import { addMoney, type Money, money, multiplyMoney } from '../../_platform/money';
import type { CreatePaymentSession, GatewayId, PaymentGateway, PaymentSession } from '../../payments/domain/ports';
import type { PaymentMethod, Product, ShippingServiceLevel, StockLine } from './model';
import { type Buyer, createOrder, type Order, type OrderItem, paymentIdOf } from './order';
import {
  type GatewayRegistry,
  type IncidentReporter,
  type OrderRepository,
  type PaymentSagaStarter,
  type ProductCatalog,
  SagaNotStartedError,
  type StockLedger,
} from './ports';

/** Values of the deployment that placing an order needs. */
export interface CheckoutSettings {
  /** The API's base URL, ending in `/v1`: gateways send the buyer back to `<it>/payments/<paymentId>/return`. */
  publicApiUrl: string;
  /** How long a session of each gateway lives; the saga waits that long for the buyer. */
  sessionLifetimeSeconds: Readonly<Record<GatewayId, number>>;
}

export interface PlaceOrderDeps {
  catalog: Pick<ProductCatalog, 'getMany'>;
  stock: StockLedger;
  gateways: GatewayRegistry;
  sagas: PaymentSagaStarter;
  orders: OrderRepository;
  events: EventPublisher;
  incidents: IncidentReporter;
  clock: Clock;
  ids: IdGenerator;
  settings: CheckoutSettings;
}

export interface PlaceOrder {
  /** Who asks: a storefront (store API key) or a staff app. Cash is taken by staff only. */
  caller: 'store' | 'staff';
  buyer: Buyer;
  /** The SKUs and quantities wanted (positive integers); a SKU listed twice counts once with the sum. No prices: those come from the catalog. */
  items: ReadonlyArray<StockLine>;
  payment: { method: PaymentMethod; returnUrl: string };
  shipping: { serviceLevel: ShippingServiceLevel };
}

export interface PlacedOrder {
  order: Order;
  payment: { paymentId: string; method: PaymentMethod; status: 'pending'; redirectUrl: string };
}

// The currency each method charges in. A method missing here, or without a configured gateway, is not available.
const METHOD_CURRENCIES: Readonly<Partial<Record<PaymentMethod, string>>> = {
  bkash: 'BDT',
  nagad: 'BDT',
  vnpay: 'VND',
  vnpay_qr: 'VND',
  fptpay: 'VND',
};
const STAFF_ONLY_METHODS: ReadonlySet<PaymentMethod> = new Set(['cash']);

/** Some SKUs are not in the catalog (404, `details.skus`). */
class UnknownProductsError extends NotFoundError {
  override readonly details: { skus: string[] };

  constructor(skus: string[]) {
    super(`not in the catalog: ${skus.join(', ')}`);
    this.details = { skus };
  }
}

export const paymentRouteOf = (gateways: GatewayRegistry, { caller, payment: { method } }: Pick<PlaceOrder, 'caller' | 'payment'>) => {
  const currency = METHOD_CURRENCIES[method];
  const gateway = caller === 'store' && STAFF_ONLY_METHODS.has(method) ? undefined : gateways.get(method);
  if (!gateway || !currency) {
    throw new RuleViolationError('METHOD_NOT_AVAILABLE', `payment method ${method} is not available`, { method, ...(currency && { currency }) });
  }
  return { gateway, currency };
};

const mergeLines = (items: ReadonlyArray<StockLine>): StockLine[] => {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of items) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity }));
};

const itemsOf = (lines: StockLine[], products: Product[], currency: string): OrderItem[] => {
  const bySku = new Map(products.map((product) => [product.sku, product]));
  const items: OrderItem[] = [];
  const unknown: string[] = [];
  const unpriced: string[] = [];
  for (const { sku, quantity } of lines) {
    const product = bySku.get(sku);
    const unitPrice = product?.prices.find((price) => price.currency === currency);
    if (!product) unknown.push(sku);
    else if (!unitPrice) unpriced.push(sku);
    else items.push({ sku, title: product.title, sellerId: product.sellerId, quantity, unitPrice, weightGrams: product.weightGrams, dimensionsCm: product.dimensionsCm });
  }
  if (unknown.length > 0) throw new UnknownProductsError(unknown);
  if (unpriced.length > 0) {
    throw new RuleViolationError('PRICE_NOT_AVAILABLE', `no ${currency} price for ${unpriced.join(', ')}`, { skus: unpriced, currency });
  }
  return items;
};

const totalOf = (items: OrderItem[], currency: string): Money =>
  items.reduce((total, item) => addMoney(total, multiplyMoney(item.unitPrice, item.quantity)), money(0, currency));

/** Puts every line back; a line that fails is reported, not thrown, so the caller's own error stays the answer. */
const releaseStock = async (deps: PlaceOrderDeps, lines: StockLine[]): Promise<void> => {
  for (const line of lines) {
    try {
      await deps.stock.putBack(line);
    } catch (error) {
      deps.incidents.stockNotReleased(line, error);
    }
  }
};

/** A SKU is low once fewer units than this are left; the seller hears of it when a reservation crosses the line. */
export const LOW_STOCK_LEVEL = 5;

/** A line taken from stock, with the units left after it. */
export interface ReservedLine extends StockLine {
  left: number;
}

/**
 * Takes every line or none (placeOrder, retryPayment): the first line short of stock puts back the ones taken and
 * fails the checkout. Resolves each line with the units left after it.
 */
export const reserveStock = async (deps: PlaceOrderDeps, lines: StockLine[]): Promise<ReservedLine[]> => {
  const taken: ReservedLine[] = [];
  for (const line of lines) {
    let left: number | undefined;
    try {
      left = await deps.stock.take(line);
    } catch (error) {
      await releaseStock(deps, taken);
      throw error;
    }
    if (left === undefined) {
      await releaseStock(deps, taken);
      throw new RuleViolationError('OUT_OF_STOCK', `not enough ${line.sku} in stock`, { sku: line.sku, requested: line.quantity });
    }
    taken.push({ ...line, left });
  }
  return taken;
};

/**
 * Publishes `stock.low` for each line whose reservation took its SKU below LOW_STOCK_LEVEL (crossing it, so the
 * seller is told once per crossing, not on every later order); the id is derived from the order and SKU, so a retry
 * publishes the same event. A failure is reported, not thrown: the order stands.
 */
export const announceLowStock = async (deps: PlaceOrderDeps, orderId: string, reserved: ReservedLine[], items: OrderItem[]): Promise<void> => {
  for (const { sku, quantity, left } of reserved) {
    if (left >= LOW_STOCK_LEVEL || left + quantity < LOW_STOCK_LEVEL) continue;
    const sellerId = items.find((item) => item.sku === sku)?.sellerId;
    const event = { ...createEvent(deps, { type: 'stock.low', sellerId, data: { sku, sellerId, level: left } }), id: `evt_${orderId}_stock_low_${sku}` };
    try {
      await deps.events.publish(event);
    } catch (error) {
      deps.incidents.eventNotPublished(event, error);
    }
  }
};

/** Runs `step`; when it fails and `undone(error)` says nothing downstream will compensate, the stock goes back first. */
const releasingStockOnFailure = async <T>(
  deps: PlaceOrderDeps,
  lines: StockLine[],
  step: () => Promise<T>,
  undone: (error: unknown) => boolean = () => true,
): Promise<T> => {
  try {
    return await step();
  } catch (error) {
    if (undone(error)) await releaseStock(deps, lines);
    throw error;
  }
};

/**
 * Opens the gateway session. An unknown outcome is answered as "try again": whatever the gateway may have
 * created, no money moves without the buyer approving on its page, and the buyer never gets that page's URL, so the
 * session just expires. A retried checkout opens a fresh one.
 */
const openSession = async (gateway: PaymentGateway, request: CreatePaymentSession): Promise<PaymentSession> => {
  try {
    return await gateway.createSession(request, { idempotencyKey: `${request.paymentId}:create` });
  } catch (error) {
    if (error instanceof ProviderIndeterminateError) {
      throw new ProviderRetryableError(gateway.id, `${gateway.id} did not confirm the payment session; nothing was charged`, { cause: error });
    }
    throw error;
  }
};

/** One payment attempt to open: the order's stock for it is already reserved. */
interface NewAttempt {
  orderId: string;
  paymentId: string;
  gateway: PaymentGateway;
  amount: Money;
  lines: StockLine[];
  method: PaymentMethod;
  returnUrl: string;
}

/**
 * Opens a payment attempt whose stock is reserved (steps 4–6 of placeOrder, shared with retryPayment): the gateway
 * session (failure → stock released, error rethrown), the saga named after the payment id, started before anything
 * is written (from then on its timeout compensation releases the stock; a saga that certainly did not start →
 * stock released, error rethrown), then the attempt's description. Returns the session the buyer is sent to.
 */
export const openPaymentAttempt = async (deps: PlaceOrderDeps, attempt: NewAttempt): Promise<PaymentSession> => {
  const { orderId, paymentId, gateway, amount, lines } = attempt;
  const session = await releasingStockOnFailure(deps, lines, () =>
    openSession(gateway, { paymentId, orderId, amount, returnUrl: `${deps.settings.publicApiUrl}/payments/${paymentId}/return` }),
  );
  await releasingStockOnFailure(
    deps,
    lines,
    () =>
      deps.sagas.start({
        orderId,
        paymentId,
        gateway: gateway.id,
        gatewayReference: session.gatewayReference,
        timeoutSeconds: deps.settings.sessionLifetimeSeconds[gateway.id],
        amount,
        stockToRelease: lines,
      }),
    (error) => error instanceof SagaNotStartedError,
  );
  await deps.orders.describePaymentAttempt({
    orderId,
    paymentId,
    method: attempt.method,
    gateway: gateway.id,
    gatewayReference: session.gatewayReference,
    amount,
    redirectUrl: session.redirectUrl,
    storeReturnUrl: attempt.returnUrl,
    createdAt: deps.clock.now().toISOString(),
  });
  return session;
};

/**
 * Places an order and opens its first payment attempt. Prices come from the catalog only. Primary course, each
 * step undone if a later one fails:
 * 1. The payment method must be enabled here (and not staff-only for a store): else 422 METHOD_NOT_AVAILABLE
 *    `{ method, currency? }`. Its currency is the order's.
 * 2. Read the products (consistently): unknown SKUs → 404 NOT_FOUND `{ skus }`; no price in the currency →
 *    422 PRICE_NOT_AVAILABLE `{ skus, currency }`. Amount = Σ unit price × quantity, in minor units.
 * 3. Reserve the stock, all lines or none: 422 OUT_OF_STOCK `{ sku, requested }`, nothing left reserved.
 * 4. Open the gateway session (idempotency key `<paymentId>:create`). Failure → stock released, error rethrown
 *    (503 PROVIDER_UNAVAILABLE `{ provider }` when the gateway is down or its outcome unknown). Nothing is written.
 * 5. Start the payment saga, named after the payment id, before the order exists: from here on, the saga's timeout
 *    compensation releases the stock, so a failure below leaks nothing. A saga that certainly did not start →
 *    stock released, error rethrown.
 * 6. Write the payment attempt, then the order (`pending_payment`, timeline `order.created`). An order is never
 *    visible without its attempt.
 * 7. Publish `order.created`, and `stock.low` for a SKU this order took below LOW_STOCK_LEVEL. A failure is reported
 *    (IncidentReporter), not thrown: the order exists and the saga runs, so failing the request now would only invite
 *    a second order.
 */
export const placeOrder = async (deps: PlaceOrderDeps, cmd: PlaceOrder): Promise<PlacedOrder> => {
  const { gateway, currency } = paymentRouteOf(deps.gateways, cmd);
  const lines = mergeLines(cmd.items);
  const items = itemsOf(lines, await deps.catalog.getMany(lines.map(({ sku }) => sku)), currency);
  const amount = totalOf(items, currency);
  const orderId = deps.ids.next('ord');
  const paymentId = paymentIdOf(orderId, 1);

  const reserved = await reserveStock(deps, lines);
  const session = await openPaymentAttempt(deps, { orderId, paymentId, gateway, amount, lines, ...cmd.payment });
  const now = deps.clock.now().toISOString();
  const { method } = cmd.payment;
  const order = createOrder({ orderId, buyer: cmd.buyer, items, amount, shipping: cmd.shipping, paymentMethod: method }, now);
  await deps.orders.create(order);

  const created = createEvent(deps, {
    type: 'order.created',
    orderId,
    data: {
      status: order.status,
      amount,
      paymentId,
      paymentMethod: method,
      items: items.map(({ sku, sellerId, quantity, unitPrice }) => ({ sku, sellerId, quantity, unitPrice })),
      buyer: { name: cmd.buyer.name, email: cmd.buyer.email, phone: cmd.buyer.phone },
    },
  });
  try {
    await deps.events.publish(created);
  } catch (error) {
    deps.incidents.eventNotPublished(created, error);
  }
  await announceLowStock(deps, orderId, reserved, items);

  return { order, payment: { paymentId, method, status: 'pending', redirectUrl: session.redirectUrl } };
};
