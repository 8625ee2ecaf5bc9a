import type { Clock } from '../../_platform/clock';
import { NotFoundError, RuleViolationError } from '../../_platform/errors';
import { createEvent, type EventPublisher } from '../../_platform/events';
import type { IdGenerator } from '../../_platform/ids';
import { addMoney, type Money, money, multiplyMoney } from '../../_platform/money';
import type { GatewayId } from '../../payments/domain/ports';
import type { PaymentMethod, Product, ShippingServiceLevel, StockLine } from './model';
import { type Buyer, createOrder, type Order, type OrderItem, paymentIdOf } from './order';
import { announceLowStock, openPaymentAttempt, paymentRouteOf, reserveStock } from './payment-attempt';
import type { GatewayRegistry, IncidentReporter, OrderRepository, PaymentSagaStarter, ProductCatalog, StockLedger } from './ports';

/** Values of the deployment that placing an order needs. */
export interface CheckoutSettings {
  /** The API's base URL, ending in `/v1`: gateways send the buyer back to `<it>/payments/<paymentId>/return`. */
  publicApiUrl: string;
  /** How long a session of each gateway lives; the saga waits that long for the buyer. */
  sessionLifetimeSeconds: Readonly<Record<GatewayId, number>>;
}

/** What opening a payment attempt needs (placeOrder, retryPayment). */
export interface PaymentAttemptDeps {
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

/** Placing an order also reads its products' prices. */
export interface PlaceOrderDeps extends PaymentAttemptDeps {
  catalog: Pick<ProductCatalog, 'getMany'>;
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

/** Some SKUs are not in the catalog (404, `details.skus`). */
class UnknownProductsError extends NotFoundError {
  override readonly details: { skus: string[] };

  constructor(skus: string[]) {
    super(`not in the catalog: ${skus.join(', ')}`);
    this.details = { skus };
  }
}

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
