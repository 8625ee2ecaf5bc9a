import { ProviderIndeterminateError, ProviderRetryableError, RuleViolationError } from '../../_platform/errors';
import { createEvent } from '../../_platform/events';
import type { Money } from '../../_platform/money';
import type { CreatePaymentSession, PaymentGateway, PaymentSession } from '../../payments/domain/ports';
import type { PaymentMethod, StockLine } from './model';
import type { OrderItem } from './order';
import type { PaymentAttemptDeps, PlaceOrder } from './place-order';
import { type GatewayRegistry, SagaNotStartedError } from './ports';

// Opening a payment attempt whose order exists or is being placed: shared by placeOrder and retryPayment.

// The currency each method charges in. A method missing here, or without a configured gateway, is not available.
const METHOD_CURRENCIES: Readonly<Partial<Record<PaymentMethod, string>>> = {
  bkash: 'BDT',
  nagad: 'BDT',
  vnpay: 'VND',
  vnpay_qr: 'VND',
  fptpay: 'VND',
};
const STAFF_ONLY_METHODS: ReadonlySet<PaymentMethod> = new Set(['cash']);

export const paymentRouteOf = (gateways: GatewayRegistry, { caller, payment: { method } }: Pick<PlaceOrder, 'caller' | 'payment'>) => {
  const currency = METHOD_CURRENCIES[method];
  const gateway = caller === 'store' && STAFF_ONLY_METHODS.has(method) ? undefined : gateways.get(method);
  if (!gateway || !currency) {
    throw new RuleViolationError('METHOD_NOT_AVAILABLE', `payment method ${method} is not available`, { method, ...(currency && { currency }) });
  }
  return { gateway, currency };
};

/** Puts every line back; a line that fails is reported, not thrown, so the caller's own error stays the answer. */
const releaseStock = async (deps: PaymentAttemptDeps, lines: StockLine[]): Promise<void> => {
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
export const reserveStock = async (deps: PaymentAttemptDeps, lines: StockLine[]): Promise<ReservedLine[]> => {
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
export const announceLowStock = async (deps: PaymentAttemptDeps, orderId: string, reserved: ReservedLine[], items: OrderItem[]): Promise<void> => {
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
  deps: PaymentAttemptDeps,
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
export const openPaymentAttempt = async (deps: PaymentAttemptDeps, attempt: NewAttempt): Promise<PaymentSession> => {
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
