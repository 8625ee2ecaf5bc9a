import {
  NotFoundError,
  ProviderIndeterminateError,
  ProviderRetryableError,
  RuleViolationError,
} from '../../../../../functions/_platform/errors';
import { placeOrder } from '../../../../../functions/checkout/domain/place-order';
import { SagaNotStartedError } from '../../../../../functions/checkout/domain/ports';
import { aPlaceOrder, aProduct, inMemoryCheckout, NOW, PUBLIC_API_URL } from '../../../../support/in-memory/checkout';

const ORDER_ID = `ord_${'1'.padStart(26, '0')}`;
const PAYMENT_ID = `pay_${'1'.padStart(26, '0')}_1`;
const BAG = aProduct({ sku: 'BAG-JUTE', title: 'Jute bag', sellerId: 'seller-2', prices: [{ value: 45050, currency: 'BDT' }], stock: 3 });

/** Runs placeOrder and returns what it threw. */
const failureOf = async (run: Promise<unknown>): Promise<unknown> => run.then(() => undefined, (error: unknown) => error);

describe('placeOrder', () => {
  it('places the order: pending payment, the catalog price times the quantity, a pending attempt with the gateway page', async () => {
    const { deps } = inMemoryCheckout();

    const placed = await placeOrder(deps, aPlaceOrder());

    expect(placed.order).toMatchObject({ orderId: ORDER_ID, status: 'pending_payment', amount: { value: 240000, currency: 'BDT' }, version: 1 });
    expect(placed.payment).toEqual({ paymentId: PAYMENT_ID, method: 'bkash', status: 'pending', redirectUrl: 'https://bkash.gateway.test/pay/BKASH-1' });
  });

  it('adds up several lines in integer minor units and copies each product as the catalog has it', async () => {
    const { deps } = inMemoryCheckout([aProduct(), BAG]);

    const { order } = await placeOrder(deps, aPlaceOrder({ items: [{ sku: 'TSHIRT-RED-M', quantity: 2 }, { sku: 'BAG-JUTE', quantity: 3 }] }));

    expect(order.amount).toEqual({ value: 2 * 120000 + 3 * 45050, currency: 'BDT' });
    expect(order.items[1]).toEqual({
      sku: 'BAG-JUTE',
      title: 'Jute bag',
      sellerId: 'seller-2',
      quantity: 3,
      unitPrice: { value: 45050, currency: 'BDT' },
      weightGrams: 250,
      dimensionsCm: { l: 30, w: 20, h: 3 },
    });
  });

  it('merges a SKU listed twice into one line with the summed quantity, reserved in one take', async () => {
    const { deps, stock } = inMemoryCheckout();

    const { order } = await placeOrder(deps, aPlaceOrder({ items: [{ sku: 'TSHIRT-RED-M', quantity: 2 }, { sku: 'TSHIRT-RED-M', quantity: 3 }] }));

    expect(order.items.map(({ sku, quantity }) => ({ sku, quantity }))).toEqual([{ sku: 'TSHIRT-RED-M', quantity: 5 }]);
    expect(stock.taken).toEqual([{ sku: 'TSHIRT-RED-M', quantity: 5 }]);
  });

  it('charges in the currency of the method: a product without a BDT price is 422 PRICE_NOT_AVAILABLE', async () => {
    const { deps, catalog } = inMemoryCheckout([aProduct({ prices: [{ value: 350000, currency: 'VND' }] })]);

    const error = await failureOf(placeOrder(deps, aPlaceOrder()));

    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error).toMatchObject({ code: 'PRICE_NOT_AVAILABLE', details: { skus: ['TSHIRT-RED-M'], currency: 'BDT' } });
    expect(catalog.stockOf('TSHIRT-RED-M')).toBe(10);
  });

  it.each([
    ['a gateway method not enabled here', 'nagad', { method: 'nagad', currency: 'BDT' }],
    ['a method no gateway of ours takes', 'card', { method: 'card' }],
    ['cash from a store (staff only)', 'cash', { method: 'cash' }],
  ] as const)('refuses %s with 422 METHOD_NOT_AVAILABLE before touching the catalog', async (_case, method, details) => {
    const { deps, stock, gateway } = inMemoryCheckout();

    const error = await failureOf(placeOrder(deps, aPlaceOrder({ payment: { method, returnUrl: 'https://shop.example/return' } })));

    expect(error).toMatchObject({ code: 'METHOD_NOT_AVAILABLE', details });
    expect(stock.taken).toEqual([]);
    expect(gateway.sessions).toEqual([]);
  });

  it('answers unknown SKUs with 404 NOT_FOUND listing all of them, and reserves nothing', async () => {
    const { deps, stock } = inMemoryCheckout();

    const error = await failureOf(
      placeOrder(deps, aPlaceOrder({ items: [{ sku: 'NOPE-1', quantity: 1 }, { sku: 'TSHIRT-RED-M', quantity: 1 }, { sku: 'NOPE-2', quantity: 1 }] })),
    );

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', details: { skus: ['NOPE-1', 'NOPE-2'] } });
    expect(stock.taken).toEqual([]);
  });

  it('is out of stock when one line is short: 422 OUT_OF_STOCK { sku, requested } and every count as it was', async () => {
    const { deps, catalog, gateway, orders } = inMemoryCheckout([aProduct(), BAG]);

    const error = await failureOf(placeOrder(deps, aPlaceOrder({ items: [{ sku: 'TSHIRT-RED-M', quantity: 2 }, { sku: 'BAG-JUTE', quantity: 4 }] })));

    expect(error).toMatchObject({ code: 'OUT_OF_STOCK', details: { sku: 'BAG-JUTE', requested: 4 } });
    expect([catalog.stockOf('TSHIRT-RED-M'), catalog.stockOf('BAG-JUTE')]).toEqual([10, 3]);
    expect(gateway.sessions).toEqual([]);
    expect(orders.orders.size).toBe(0);
  });

  it('opens the gateway session with the key <paymentId>:create and our return URL for the payment', async () => {
    const { deps, gateway } = inMemoryCheckout();

    await placeOrder(deps, aPlaceOrder());

    expect(gateway.sessions).toHaveLength(1);
    expect(gateway.sessions[0].options).toEqual({ idempotencyKey: `${PAYMENT_ID}:create` });
    expect(gateway.sessions[0].request).toEqual({
      paymentId: PAYMENT_ID,
      orderId: ORDER_ID,
      amount: { value: 240000, currency: 'BDT' },
      returnUrl: `${PUBLIC_API_URL}/payments/${PAYMENT_ID}/return`,
    });
  });

  it('when the gateway is down: the provider error (503 PROVIDER_UNAVAILABLE) goes out, the stock goes back, nothing is written', async () => {
    const { deps, catalog, gateway, sagas, orders } = inMemoryCheckout();
    gateway.createFailure = new ProviderRetryableError('bkash', 'circuit open');

    const error = await failureOf(placeOrder(deps, aPlaceOrder()));

    expect(error).toBe(gateway.createFailure);
    expect(catalog.stockOf('TSHIRT-RED-M')).toBe(10);
    expect(sagas.started.size).toBe(0);
    expect([orders.orders.size, orders.attempts.size]).toEqual([0, 0]);
  });

  it('answers an unknown session outcome as retryable (nothing can be charged without the buyer) and releases the stock', async () => {
    const { deps, catalog, gateway, orders } = inMemoryCheckout();
    gateway.createFailure = new ProviderIndeterminateError('bkash', 'timed out after sending');

    const error = await failureOf(placeOrder(deps, aPlaceOrder()));

    expect(error).toBeInstanceOf(ProviderRetryableError);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'bkash' } });
    expect(catalog.stockOf('TSHIRT-RED-M')).toBe(10);
    expect(orders.orders.size).toBe(0);
  });

  it('starts the saga named after the payment id before the attempt or the order is written', async () => {
    const { deps, sagas, orders } = inMemoryCheckout();
    let writtenAtStart: number[] = [];
    sagas.beforeStart = () => {
      writtenAtStart = [orders.orders.size, orders.attempts.size];
    };

    await placeOrder(deps, aPlaceOrder());

    expect([...sagas.started.keys()]).toEqual([PAYMENT_ID]);
    expect(writtenAtStart).toEqual([0, 0]);
  });

  it('gives the saga what it needs to wait and to compensate: gateway, reference, session lifetime, amount, stock to release', async () => {
    const { deps, sagas } = inMemoryCheckout();

    await placeOrder(deps, aPlaceOrder());

    expect(sagas.started.get(PAYMENT_ID)).toEqual({
      orderId: ORDER_ID,
      paymentId: PAYMENT_ID,
      gateway: 'bkash',
      gatewayReference: 'BKASH-1',
      timeoutSeconds: 900,
      amount: { value: 240000, currency: 'BDT' },
      stockToRelease: [{ sku: 'TSHIRT-RED-M', quantity: 2 }],
    });
  });

  it('releases the stock when the saga certainly did not start, and writes nothing', async () => {
    const { deps, catalog, sagas, orders } = inMemoryCheckout();
    sagas.failure = new SagaNotStartedError('refused');

    await expect(placeOrder(deps, aPlaceOrder())).rejects.toBe(sagas.failure);
    expect(catalog.stockOf('TSHIRT-RED-M')).toBe(10);
    expect(orders.orders.size).toBe(0);
  });

  it('leaves the stock to the saga when its start may have happened (releasing too would count it twice)', async () => {
    const { deps, catalog, sagas, orders } = inMemoryCheckout();
    sagas.failure = new Error('socket hang up');

    await expect(placeOrder(deps, aPlaceOrder())).rejects.toBe(sagas.failure);
    expect(catalog.stockOf('TSHIRT-RED-M')).toBe(8);
    expect(orders.orders.size).toBe(0);
  });

  it('leaves the stock to the running saga when the order cannot be written', async () => {
    const { deps, catalog, sagas, orders } = inMemoryCheckout();
    orders.createFailure = new Error('DynamoDB unavailable');

    await expect(placeOrder(deps, aPlaceOrder())).rejects.toBe(orders.createFailure);
    expect(sagas.started.has(PAYMENT_ID)).toBe(true);
    expect(catalog.stockOf('TSHIRT-RED-M')).toBe(8);
  });

  it('writes the attempt before the order, so an order is never seen without its payment', async () => {
    const { deps, orders } = inMemoryCheckout();
    orders.describeFailure = new Error('DynamoDB unavailable');

    await expect(placeOrder(deps, aPlaceOrder())).rejects.toBe(orders.describeFailure);
    expect(orders.orders.size).toBe(0);
  });

  it('describes the pending attempt: method, gateway, its reference and page, amount and the store page to return to', async () => {
    const { deps, orders } = inMemoryCheckout();

    await placeOrder(deps, aPlaceOrder());

    expect(orders.attempts.get(PAYMENT_ID)).toEqual({
      orderId: ORDER_ID,
      paymentId: PAYMENT_ID,
      method: 'bkash',
      gateway: 'bkash',
      gatewayReference: 'BKASH-1',
      amount: { value: 240000, currency: 'BDT' },
      redirectUrl: 'https://bkash.gateway.test/pay/BKASH-1',
      storeReturnUrl: 'https://shop.example/return',
      createdAt: NOW.toISOString(),
      status: 'pending',
      version: 1,
    });
  });

  it('stores the order with its buyer, shipping, held stock and the timeline entry order.created', async () => {
    const { deps, orders } = inMemoryCheckout();

    await placeOrder(deps, aPlaceOrder());

    expect(orders.orders.get(ORDER_ID)).toMatchObject({
      buyer: aPlaceOrder().buyer,
      shipping: { serviceLevel: 'standard' },
      paymentMethod: 'bkash',
      currentPaymentId: PAYMENT_ID,
      reservation: 'held',
      timeline: [{ at: NOW.toISOString(), status: 'pending_payment', event: 'order.created' }],
    });
  });

  it('publishes order.created with the order id, amount and lines', async () => {
    const { deps, events } = inMemoryCheckout();

    await placeOrder(deps, aPlaceOrder());

    expect(events.published).toHaveLength(1);
    expect(events.published[0]).toMatchObject({
      type: 'order.created',
      version: 1,
      orderId: ORDER_ID,
      occurredAt: NOW.toISOString(),
      data: {
        amount: { value: 240000, currency: 'BDT' },
        paymentId: PAYMENT_ID,
        items: [{ sku: 'TSHIRT-RED-M', sellerId: 'seller-dhaka-1', quantity: 2, unitPrice: { value: 120000, currency: 'BDT' } }],
      },
    });
  });

  it('tells the seller with stock.low when this order takes the SKU below the low-stock level, once per crossing', async () => {
    const { deps, events } = inMemoryCheckout([aProduct({ stock: 6 })]);

    await placeOrder(deps, aPlaceOrder());
    await placeOrder(deps, { ...aPlaceOrder(), items: [{ sku: 'TSHIRT-RED-M', quantity: 1 }] });

    const low = events.published.filter((event) => event.type === 'stock.low');
    expect(low).toEqual([expect.objectContaining({
      id: `evt_${ORDER_ID}_stock_low_TSHIRT-RED-M`, sellerId: 'seller-dhaka-1', data: { sku: 'TSHIRT-RED-M', sellerId: 'seller-dhaka-1', level: 4 },
    })]);
  });

  it('still places the order when order.created cannot be published, and reports the lost event', async () => {
    const { deps, events, incidents, orders } = inMemoryCheckout();
    events.failure = new Error('SNS throttled');

    const placed = await placeOrder(deps, aPlaceOrder());

    expect(placed.order.status).toBe('pending_payment');
    expect(orders.orders.has(ORDER_ID)).toBe(true);
    expect(incidents.eventsNotPublished.map((event) => event.type)).toEqual(['order.created']);
  });

  it('answers with the original failure when putting the stock back fails too, and reports the stuck units', async () => {
    const { deps, gateway, stock, incidents } = inMemoryCheckout();
    gateway.createFailure = new ProviderRetryableError('bkash', 'down');
    stock.putBackFailure = new Error('DynamoDB unavailable');

    await expect(placeOrder(deps, aPlaceOrder())).rejects.toBe(gateway.createFailure);
    expect(incidents.linesNotReleased).toEqual([{ sku: 'TSHIRT-RED-M', quantity: 2 }]);
  });

  it('puts back what it took when taking a later line fails outright', async () => {
    const { deps, catalog, stock } = inMemoryCheckout([aProduct(), BAG]);
    stock.takeFailures.set('BAG-JUTE', new Error('DynamoDB unavailable'));

    await expect(placeOrder(deps, aPlaceOrder({ items: [{ sku: 'TSHIRT-RED-M', quantity: 2 }, { sku: 'BAG-JUTE', quantity: 1 }] }))).rejects.toThrow(
      'DynamoDB unavailable',
    );
    expect(catalog.stockOf('TSHIRT-RED-M')).toBe(10);
  });
});
