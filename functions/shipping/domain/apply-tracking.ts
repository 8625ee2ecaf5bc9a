import { InvalidOrderTransitionError, markDelivered, markShipped, type Order } from '../../checkout/domain/order';
import { optimisticUpdate } from '../../_platform/optimistic-update';
import { updateOrder } from '../../checkout/domain/update-order';
import type { ShippingDeps } from './deps';
import { type BookedShipment, isBooked, type ShipmentStatus } from './model';
import { publishShipmentEvent } from './publish';
import { applyTrackingUpdate, type TrackingOutcome, type TrackingUpdate } from './tracking';

/** Statuses that mean the carrier has the parcel: the order is shipped. */
const WITH_CARRIER: ReadonlySet<ShipmentStatus> = new Set(['picked_up', 'in_transit', 'out_for_delivery', 'delivery_failed', 'returning', 'exception']);

/**
 * Moves the order along with its shipments: shipped once a carrier has a parcel, delivered once every parcel is (a
 * parcel reported delivered straight away ships the order first). Each move is its own conditional write, as the
 * order repository writes one transition at a time.
 */
const syncOrder = async (deps: Pick<ShippingDeps, 'orders' | 'shipments' | 'clock' | 'log'>, shipment: BookedShipment): Promise<void> => {
  const at = deps.clock.now().toISOString();
  const moves: Array<(order: Order) => Order> = [];
  if (WITH_CARRIER.has(shipment.status)) moves.push((order) => markShipped(order, { at }));
  if (shipment.status === 'delivered') {
    const all = await deps.shipments.listByOrder(shipment.orderId);
    if (all.every((each) => each.shipmentId === shipment.shipmentId || each.status === 'delivered')) {
      moves.push((order) => markShipped(order, { at }), (order) => markDelivered(order, { at }));
    }
  }
  try {
    for (const move of moves) await updateOrder(deps.orders, shipment.orderId, move);
  } catch (error) {
    // A refunded or cancelled order keeps its status; the shipment still records what the carrier says.
    if (!(error instanceof InvalidOrderTransitionError)) throw error;
    deps.log.warn('order not moved with its shipment', { orderId: shipment.orderId, shipmentId: shipment.shipmentId, status: shipment.status });
  }
};

/**
 * Publishes `shipment.status_changed` for the shipment's current status, with an id derived from that status and its
 * time: publishing it again (a retried step) makes the same event, which consumers drop.
 */
export const publishStatusChange = (deps: Pick<ShippingDeps, 'events' | 'clock'>, shipment: BookedShipment, previousStatus: ShipmentStatus): Promise<void> =>
  publishShipmentEvent(deps.events, deps.clock.now(), 'shipment.status_changed', `${shipment.shipmentId}_${shipment.status}_${Date.parse(shipment.statusAt)}`, shipment, {
    previousStatus,
  });

/**
 * Applies one carrier update to a booked shipment (conditional write, retried on a lost race), then:
 * `shipment.status_changed` when the status moved (never backwards: see tracking.ts), the order to shipped or
 * delivered, and `shipment.delayed` when the estimate slipped past the threshold. Event ids are derived from the
 * change, so a retry publishes the same events. Resolves with the outcome (the shipment unchanged when the update
 * was old news).
 */
export const applyTracking = async (
  deps: Pick<ShippingDeps, 'shipments' | 'orders' | 'events' | 'clock' | 'settings' | 'log'>,
  target: Pick<BookedShipment, 'orderId' | 'shipmentId'>,
  update: TrackingUpdate,
): Promise<TrackingOutcome> => {
  let outcome: TrackingOutcome | undefined;
  await optimisticUpdate(
    async () => {
      const stored = await deps.shipments.get(target.orderId, target.shipmentId);
      if (!stored || !isBooked(stored)) throw new Error(`shipment ${target.shipmentId} of order ${target.orderId} is not booked`);
      return stored;
    },
    (current) => {
      outcome = applyTrackingUpdate(current, update, { now: deps.clock.now().toISOString(), delayThresholdDays: deps.settings.delayThresholdDays });
      return outcome.shipment as BookedShipment;
    },
    (next) => deps.shipments.save(next),
  );
  const result = outcome as TrackingOutcome;
  const shipment = result.shipment as BookedShipment;
  const now = deps.clock.now();
  if (result.statusChanged) {
    await publishStatusChange(deps, shipment, result.statusChanged.from);
    await syncOrder(deps, shipment);
  }
  if (result.delayed) {
    await publishShipmentEvent(deps.events, now, 'shipment.delayed', `${shipment.shipmentId}_delayed_${result.delayed.estimated}`, shipment, {
      promisedDeliveryDate: result.delayed.promised,
    });
  }
  return result;
};
