import { ProviderIndeterminateError, ProviderRetryableError, ProviderTerminalError } from '../../../../../functions/_platform/errors';
import { money } from '../../../../../functions/_platform/money';
import { bookShipments } from '../../../../../functions/shipping/domain/book-shipments';
import { quoteShipping } from '../../../../../functions/shipping/domain/quote-shipping';
import { aShippingWorld, ORDER_ID, registryOf } from '../../../../support/in-memory/shipping';

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const setup = aShippingWorld;

describe('booking on order.paid', () => {
  it('books one shipment per seller at the preferred carrier, with each seller\'s parcel, and publishes shipment.created', async () => {
    const { deps, pathao } = await setup();
    const booked = await bookShipments(deps, ORDER_ID);
    expect(booked.map((each) => [each.sellerId, each.carrier, each.parcel.weightGrams])).toEqual([['seller-a', 'pathao', 500], ['seller-b', 'pathao', 400]]);
    expect(pathao.bookCalls).toBe(2);
    expect(deps.events.published.map((event) => [event.type, event.data.shipmentId])).toEqual([
      ['shipment.created', booked[0].shipmentId],
      ['shipment.created', booked[1].shipmentId],
    ]);
  });

  it('books nothing twice: a repeat finds the bookings and republishes the same event ids', async () => {
    const { deps, pathao } = await setup();
    await bookShipments(deps, ORDER_ID);
    await bookShipments(deps, ORDER_ID);
    expect(pathao.bookCalls).toBe(2);
    expect(new Set(deps.events.published.map((event) => event.id)).size).toBe(2);
  });

  it.each([
    ['down (retryable)', new ProviderRetryableError('pathao', 'breaker open')],
    ['refusing the address (terminal)', new ProviderTerminalError('pathao', 'shipping', 'bad address')],
  ])('fails over to the next carrier when the preferred one is %s', async (_case, failure) => {
    const { deps, pathao, steadfast } = await setup();
    deps.preferences.items.set('seller-a', { sellerId: 'seller-a', carriers: [
      { carrier: 'pathao', integration: 'api', priority: 1, serviceLevels: [], destinations: [] },
      { carrier: 'steadfast', integration: 'api', priority: 2, serviceLevels: [], destinations: [] },
    ] });
    pathao.failNext = failure;
    const [sellerA] = await bookShipments(deps, ORDER_ID);
    expect(sellerA).toMatchObject({ carrier: 'steadfast', attemptedCarriers: ['pathao', 'steadfast'] });
    expect(steadfast.bookCalls).toBe(1);
  });

  it('settles an unknown outcome by looking the booking up by our reference, instead of booking elsewhere', async () => {
    const { deps, pathao, steadfast } = await setup();
    pathao.loseAnswer = new ProviderIndeterminateError('pathao', 'timed out after sending');
    const booked = await bookShipments(deps, ORDER_ID);
    expect(booked[0].carrier).toBe('pathao');
    expect(steadfast.bookCalls).toBe(0);
  });

  it('throws a retryable error when no carrier booked, leaving the claim for the redelivery', async () => {
    const { deps, pathao, steadfast } = await setup();
    pathao.failNext = new ProviderRetryableError('pathao', 'down');
    steadfast.failNext = new ProviderRetryableError('steadfast', 'down');
    await expect(bookShipments(deps, ORDER_ID)).rejects.toBeInstanceOf(ProviderRetryableError);
    const [claim] = await deps.shipments.listByOrder(ORDER_ID);
    expect(claim).toMatchObject({ attemptedCarriers: ['pathao', 'steadfast'] });
    expect(claim.trackingNumber).toBeUndefined();
  });
});

describe('quotes', () => {
  it('leave out a carrier that misses the deadline and mark the answer degraded', async () => {
    const { deps, pathao, steadfast } = await setup();
    steadfast.quoteDelayMs = 200;
    const catalog = {
      getMany: async () => [{ sku: 'A', title: 'Tee', sellerId: 'seller-a', prices: [], stock: 1, weightGrams: 300, dimensionsCm: { l: 1, w: 1, h: 1 } }],
      list: async () => ({ items: [], nextCursor: null }),
      upsert: async () => { throw new Error('unused'); },
    };
    const quote = await quoteShipping(
      { carriers: registryOf(pathao, steadfast), preferences: deps.preferences, catalog, settings: { quoteDeadlineMs: 50, delayThresholdDays: 1, pollLookbackDays: 1 }, log: silentLog },
      { destination: { line1: 'x', city: 'Dhaka', postalCode: '1', country: 'BD' }, items: [{ sku: 'A', quantity: 2 }], serviceLevel: 'standard' },
    );
    expect(quote.rates).toEqual([expect.objectContaining({ carrier: 'pathao', sellerId: 'seller-a', amount: money(6_600, 'BDT') })]);
    expect(quote).toMatchObject({ degraded: true, missing: [{ carrier: 'steadfast', reason: 'deadline', sellerId: 'seller-a', serviceLevel: 'standard' }] });
  });
});
