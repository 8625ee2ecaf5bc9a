import { ProviderTerminalError } from '../../_platform/errors';
import { optimisticUpdate } from '../../_platform/optimistic-update';
import { applyTracking, publishStatusChange } from './apply-tracking';
import type { ShippingDeps } from './deps';
import { type BookedShipment, isBooked, type Shipment } from './model';
import type { CancelOutcome } from './ports';
import { isTerminal } from './tracking';

export type CancelDeps = Pick<ShippingDeps, 'carriers' | 'shipments' | 'orders' | 'events' | 'clock' | 'settings' | 'log'>;

/**
 * Records on the shipment that its parcel stays booked at the carrier although the order was cancelled, and logs it
 * at error level, so operators see it (console, alarms) and cancel it with the carrier themselves. A repeat writes
 * nothing.
 */
const leaveToOperators = async (deps: CancelDeps, shipment: BookedShipment, outcome: 'manual' | 'refused', reason: string): Promise<void> => {
  deps.log.error('order cancelled but its parcel is still booked at the carrier', {
    orderId: shipment.orderId, shipmentId: shipment.shipmentId, carrier: shipment.carrier, outcome, reason,
  });
  const at = deps.clock.now().toISOString();
  await optimisticUpdate(
    async () => (await deps.shipments.get(shipment.orderId, shipment.shipmentId)) ?? shipment,
    (current): Shipment =>
      current.cancellation?.outcome === outcome ? current : { ...current, cancellation: { outcome, reason, at }, version: current.version + 1, updatedAt: at },
    (next) => deps.shipments.save(next),
  );
};

/** Asks the carrier to cancel; a refusal for good (it has the parcel) is an outcome here, anything else is thrown. */
const cancelAtCarrier = async (deps: CancelDeps, shipment: BookedShipment): Promise<CancelOutcome | { kind: 'refused'; reason: string }> => {
  const carrier = shipment.integration === 'api' ? deps.carriers.get(shipment.carrier) : undefined;
  if (!carrier) return { kind: 'unsupported', reason: `${shipment.carrier} is not an API carrier here; cancel the parcel with the carrier` };
  try {
    return await carrier.cancel(shipment, { orderId: shipment.orderId });
  } catch (error) {
    if (error instanceof ProviderTerminalError) return { kind: 'refused', reason: error.message };
    throw error;
  }
};

/** Cancels one booked shipment at its carrier and records the outcome (see cancelShipments). */
const cancelShipment = async (deps: CancelDeps, shipment: BookedShipment): Promise<void> => {
  if (shipment.status === 'cancelled') {
    // A redelivery after the status was saved: the event may not have gone out yet; the same id makes it harmless.
    await publishStatusChange(deps, shipment, shipment.events.at(-2)?.status ?? 'label_created');
    return;
  }
  if (isTerminal(shipment.status)) {
    deps.log.warn('order cancelled after its parcel was done; nothing to cancel', { orderId: shipment.orderId, shipmentId: shipment.shipmentId, status: shipment.status });
    return;
  }
  const outcome = await cancelAtCarrier(deps, shipment);
  if (outcome.kind === 'cancelled') {
    await applyTracking(deps, shipment, { status: 'cancelled', carrierStatus: outcome.carrierStatus, at: outcome.at, source: 'cancel', description: 'order cancelled' });
  } else {
    await leaveToOperators(deps, shipment, outcome.kind === 'refused' ? 'refused' : 'manual', outcome.reason);
  }
};

/**
 * Reaction to `order.cancelled`: every booked shipment of the order is cancelled at its carrier (an order can only
 * be cancelled before it ships, so its parcels are at most `label_created`), moved to `cancelled` (forward-only:
 * cancelled is final) and `shipment.status_changed` is published. Where the carrier has no cancel API (or is a CSV
 * carrier), or refuses because it has the parcel already, the shipment keeps its status and records
 * `cancellation` for operators. Idempotent: a redelivery cancels nothing twice and republishes the same event ids.
 * A claim that was never booked is left alone: booking re-reads the order and cancels what it booked meanwhile.
 * Throws ProviderRetryableError when a carrier could not be asked (the event is redelivered, never lost).
 */
export const cancelShipments = async (deps: CancelDeps, orderId: string): Promise<void> => {
  const details = await deps.orders.get(orderId);
  if (details?.order.status !== 'cancelled') {
    deps.log.warn('order.cancelled for an order that is not cancelled; nothing cancelled', { orderId, status: details?.order.status });
    return;
  }
  for (const shipment of await deps.shipments.listByOrder(orderId)) {
    if (isBooked(shipment)) await cancelShipment(deps, shipment);
  }
};
