import { ProviderRetryableError, ProviderTerminalError } from '../../../../../functions/_platform/errors';
import { cancelOrder } from '../../../../../functions/checkout/domain/order';
import { bookShipments } from '../../../../../functions/shipping/domain/book-shipments';
import { cancelShipments } from '../../../../../functions/shipping/domain/cancel-shipments';
import { shippingEventHandlers } from '../../../../../functions/shipping/domain/event-handlers';
import { aShippingWorld, ORDER_ID } from '../../../../support/in-memory/shipping';

type World = Awaited<ReturnType<typeof aShippingWorld>>;

/** The world's order booked (both sellers at Pathao, the default) and then cancelled, as payments leaves it. */
const bookedThenCancelled = async (world: World) => {
  await bookShipments(world.deps, ORDER_ID);
  const { order } = (await world.deps.orders.get(ORDER_ID))!;
  world.deps.orders.orders.set(ORDER_ID, cancelOrder(order, { at: '2030-01-01T00:30:00Z', reason: 'changed my mind' }));
  world.deps.events.published.length = 0;
};
const statuses = async (world: World) => (await world.deps.shipments.listByOrder(ORDER_ID)).map((shipment) => shipment.status);
const statusEvents = (world: World) => world.deps.events.published.filter((event) => event.type === 'shipment.status_changed');

describe('cancelling shipments on order.cancelled', () => {
  it('cancels every booked parcel at its carrier, moves the shipments to cancelled and publishes shipment.status_changed', async () => {
    const world = await aShippingWorld();
    await bookedThenCancelled(world);

    await shippingEventHandlers(world.deps)['order.cancelled']!({ id: 'evt_1', type: 'order.cancelled', version: 1, occurredAt: '2030-01-01T00:30:00Z', orderId: ORDER_ID, data: {} });

    expect([...world.pathao.cancelled]).toEqual(['PATHAO-1', 'PATHAO-2']);
    expect(await statuses(world)).toEqual(['cancelled', 'cancelled']);
    const [first] = await world.deps.shipments.listByOrder(ORDER_ID);
    expect(first.events.at(-1)).toMatchObject({ status: 'cancelled', source: 'cancel', carrierStatus: 'cancelled' });
    expect(statusEvents(world).map((event) => event.data)).toEqual([
      expect.objectContaining({ status: 'cancelled', previousStatus: 'label_created', carrier: 'pathao', trackingNumber: 'PATHAO-1' }),
      expect.objectContaining({ status: 'cancelled', previousStatus: 'label_created', carrier: 'pathao', trackingNumber: 'PATHAO-2' }),
    ]);
  });

  it('is idempotent: a redelivery asks no carrier again and republishes the same event ids', async () => {
    const world = await aShippingWorld();
    await bookedThenCancelled(world);
    await cancelShipments(world.deps, ORDER_ID);
    await cancelShipments(world.deps, ORDER_ID);
    expect(world.pathao.cancelCalls).toBe(2);
    const ids = statusEvents(world).map((event) => event.id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(2);
  });

  it('throws a retryable error while the carrier is down, changing nothing, and cancels on the redelivery', async () => {
    const world = await aShippingWorld();
    await bookedThenCancelled(world);
    world.pathao.cancelFailure = new ProviderRetryableError('pathao', 'breaker open');
    await expect(cancelShipments(world.deps, ORDER_ID)).rejects.toBeInstanceOf(ProviderRetryableError);
    expect(await statuses(world)).toEqual(['label_created', 'label_created']);
    expect(statusEvents(world)).toEqual([]);

    world.pathao.cancelFailure = undefined;
    await cancelShipments(world.deps, ORDER_ID);
    expect(await statuses(world)).toEqual(['cancelled', 'cancelled']);
  });

  it.each([
    ['has no cancel API', (world: World) => { world.pathao.cancelSupported = false; }, 'manual'],
    ['refuses (it has the parcel)', (world: World) => { world.pathao.cancelFailure = new ProviderTerminalError('pathao', 'shipping', 'picked up'); }, 'refused'],
  ])('records it for operators when the carrier %s, and leaves the status alone', async (_case, script, outcome) => {
    const world = await aShippingWorld();
    await bookedThenCancelled(world);
    script(world);
    await cancelShipments(world.deps, ORDER_ID);
    await cancelShipments(world.deps, ORDER_ID);
    const shipments = await world.deps.shipments.listByOrder(ORDER_ID);
    expect(shipments.map((shipment) => [shipment.status, shipment.cancellation?.outcome])).toEqual([['label_created', outcome], ['label_created', outcome]]);
    // Recorded once per shipment; the redelivery writes nothing new.
    expect(shipments.map((shipment) => shipment.version)).toEqual([4, 4]);
    expect(world.logged.filter((entry) => entry.level === 'error').map((entry) => entry.fields?.outcome)).toEqual([outcome, outcome, outcome, outcome]);
    expect(statusEvents(world)).toEqual([]);
  });

  it('cancels nothing for an order that is not cancelled', async () => {
    const world = await aShippingWorld();
    await bookShipments(world.deps, ORDER_ID);
    await cancelShipments(world.deps, ORDER_ID);
    expect(world.pathao.cancelCalls).toBe(0);
    expect(await statuses(world)).toEqual(['label_created', 'label_created']);
  });

  it('cancels what a booking still in flight booked after order.cancelled found nothing to cancel', async () => {
    const world = await aShippingWorld();
    // The order is cancelled while the carrier books: the booking's last look at the order sees it.
    const book = world.pathao.book.bind(world.pathao);
    world.pathao.book = async (request) => {
      const booking = await book(request);
      const { order } = (await world.deps.orders.get(ORDER_ID))!;
      if (order.status !== 'cancelled') world.deps.orders.orders.set(ORDER_ID, cancelOrder(order, { at: '2030-01-01T00:30:00Z', reason: 'race' }));
      return booking;
    };
    const shipments = await bookShipments(world.deps, ORDER_ID);
    expect(shipments.map((shipment) => shipment.status)).toEqual(['cancelled', 'cancelled']);
    expect(world.pathao.cancelled.size).toBe(2);
  });
});
