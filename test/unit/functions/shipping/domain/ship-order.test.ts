import { NotFoundError, ProviderRetryableError, RuleViolationError } from '../../../../../functions/_platform/errors';
import { cancelOrder } from '../../../../../functions/checkout/domain/order';
import { bookShipments } from '../../../../../functions/shipping/domain/book-shipments';
import { OrderNotPaidError, ShipmentExistsError, shipOrderNow } from '../../../../../functions/shipping/domain/ship-order';
import { aShippingWorld, ORDER_ID } from '../../../../support/in-memory/shipping';

const onlyPathao = (sellerId: string) => ({ sellerId, carriers: [{ carrier: 'pathao', integration: 'api' as const, priority: 1, serviceLevels: [], destinations: [] }] });

describe('ship now (POST /v1/orders/{orderId}/shipments)', () => {
  it('books every parcel at the chosen carrier, passing over the preferred one, and publishes shipment.created', async () => {
    const { deps, pathao, steadfast } = await aShippingWorld();

    const shipments = await shipOrderNow(deps, ORDER_ID, { carrier: 'steadfast' });

    expect(shipments.map((shipment) => [shipment.sellerId, shipment.carrier, shipment.status])).toEqual([
      ['seller-a', 'steadfast', 'label_created'],
      ['seller-b', 'steadfast', 'label_created'],
    ]);
    expect([pathao.bookCalls, steadfast.bookCalls]).toEqual([0, 2]);
    expect(deps.events.published.map((event) => event.type)).toEqual(['shipment.created', 'shipment.created']);
  });

  it('without a carrier, follows the preferences with failover', async () => {
    const { deps, pathao, steadfast } = await aShippingWorld();
    pathao.failNext = new ProviderRetryableError('pathao', 'down');

    const shipments = await shipOrderNow(deps, ORDER_ID, {});

    expect(shipments.map((shipment) => shipment.carrier)).toEqual(['steadfast', 'pathao']);
    expect(steadfast.bookCalls).toBe(1);
  });

  it('does not fail over from a chosen carrier: no booking is a retryable error', async () => {
    const { deps, steadfast, pathao } = await aShippingWorld();
    steadfast.failNext = new ProviderRetryableError('steadfast', 'down');

    await expect(shipOrderNow(deps, ORDER_ID, { carrier: 'steadfast' })).rejects.toBeInstanceOf(ProviderRetryableError);
    expect(pathao.bookCalls).toBe(0);
  });

  it('a repeat books nothing more: 409 SHIPMENT_EXISTS naming the bookings', async () => {
    const { deps, pathao } = await aShippingWorld();
    await bookShipments(deps, ORDER_ID);

    const refusal = await shipOrderNow(deps, ORDER_ID, { carrier: 'steadfast' }).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(ShipmentExistsError);
    expect((refusal as ShipmentExistsError).details.shipments).toEqual([
      { shipmentId: expect.stringMatching(/_1$/), sellerId: 'seller-a', carrier: 'pathao', trackingNumber: 'PATHAO-1', status: 'label_created' },
      { shipmentId: expect.stringMatching(/_2$/), sellerId: 'seller-b', carrier: 'pathao', trackingNumber: 'PATHAO-2', status: 'label_created' },
    ]);
    expect(pathao.bookCalls).toBe(2);
  });

  it('refuses with 422 CARRIER_NOT_ENABLED, booking nothing, when the carrier is not eligible for every seller', async () => {
    const { deps, pathao, steadfast } = await aShippingWorld();
    await deps.preferences.put(onlyPathao('seller-b'));

    const refusal = await shipOrderNow(deps, ORDER_ID, { carrier: 'steadfast' }).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(RuleViolationError);
    expect(refusal).toMatchObject({ code: 'CARRIER_NOT_ENABLED', details: { carrier: 'steadfast', sellerId: 'seller-b', country: 'BD', enabled: ['pathao'] } });
    expect([pathao.bookCalls, steadfast.bookCalls]).toEqual([0, 0]);
    expect(await deps.shipments.listByOrder(ORDER_ID)).toEqual([]);
  });

  it('404 for an unknown order, 409 ORDER_NOT_PAID for a cancelled one', async () => {
    const { deps } = await aShippingWorld();
    await expect(shipOrderNow(deps, 'ord_01hyyyyyyyyyyyyyyyyyyyyyyy', {})).rejects.toBeInstanceOf(NotFoundError);
    const { order } = (await deps.orders.get(ORDER_ID))!;
    deps.orders.orders.set(ORDER_ID, cancelOrder(order, { at: '2030-01-01T01:00:00Z', reason: 'changed my mind' }));
    await expect(shipOrderNow(deps, ORDER_ID, {})).rejects.toMatchObject({ constructor: OrderNotPaidError, code: 'ORDER_NOT_PAID', details: { status: 'cancelled' } });
  });
});
