import {
  ProviderIndeterminateError,
  ProviderRetryableError,
  ProviderTerminalError,
  RuleViolationError,
} from '../../_platform/errors';
import { money } from '../../_platform/money';
import type { Order } from '../../checkout/domain/order';
import { optimisticUpdate } from '../../_platform/optimistic-update';
import { type ShippingDeps, servesWith } from './deps';
import {
  type BookedShipment,
  type CarrierPreference,
  defaultPreferences,
  eligibleCarriers,
  isBooked,
  parcelOf,
  type Shipment,
  shipmentIdOf,
} from './model';
import type { Booking, BookingRequest, Carrier } from './ports';
import { cancelShipments } from './cancel-shipments';
import { publishShipmentEvent } from './publish';

export type BookingDeps = Pick<ShippingDeps, 'carriers' | 'shipments' | 'preferences' | 'orders' | 'events' | 'clock' | 'settings' | 'log'>;

/** Orders in these statuses have nothing (more) to book. */
const NOT_SHIPPABLE = new Set(['pending_payment', 'payment_failed', 'cancelled', 'refunded']);

/** Whether the order is paid and neither cancelled nor fully refunded: its parcels may be booked. */
export const isShippable = (order: Pick<Order, 'status'>): boolean => !NOT_SHIPPABLE.has(order.status);

/**
 * The carriers that may take a seller's parcel of `order`, in priority order (failover walks them): the seller's
 * eligible carriers for the destination and service level, or only `chosen` when one was chosen (no failover then).
 * Throws RuleViolationError NO_ELIGIBLE_CARRIER when none serves the destination, CARRIER_NOT_ENABLED when `chosen`
 * is not one of them.
 */
export const carrierChain = async (deps: Pick<BookingDeps, 'preferences' | 'carriers'>, order: Order, sellerId: string, chosen?: string): Promise<CarrierPreference[]> => {
  const preferences = (await deps.preferences.get(sellerId)) ?? defaultPreferences(sellerId);
  const route = { country: order.buyer.address.country, serviceLevel: order.shipping.serviceLevel };
  const chain = eligibleCarriers(preferences, route, servesWith(deps.carriers));
  if (chain.length === 0) {
    throw new RuleViolationError('NO_ELIGIBLE_CARRIER', `no carrier of ${sellerId} ships ${route.serviceLevel} to ${route.country}`, { sellerId, ...route });
  }
  if (chosen === undefined) return chain;
  const only = chain.filter((preference) => preference.carrier === chosen);
  if (only.length === 0) {
    throw new RuleViolationError('CARRIER_NOT_ENABLED', `${chosen} is not a carrier of ${sellerId} for ${route.serviceLevel} to ${route.country}`, {
      carrier: chosen, sellerId, ...route, enabled: chain.map((preference) => preference.carrier),
    });
  }
  return only;
};

/** The booking a CSV carrier gets: our shipment id is the tracking number on its label and in its CSV files. */
const csvBooking = (shipmentId: string): Booking => ({ trackingNumber: shipmentId, status: 'label_created', carrierStatus: 'manifest_pending' });

const bookingRequestOf = (order: Order, shipment: Shipment, items: Order['items']): BookingRequest => ({
  reference: shipment.shipmentId,
  orderId: order.orderId,
  serviceLevel: shipment.serviceLevel,
  parcel: shipment.parcel,
  recipient: { name: order.buyer.name, phone: order.buyer.phone, address: order.buyer.address },
  // Orders are paid before they ship: nothing to collect.
  cashOnDelivery: money(0, order.amount.currency),
  description: items.map((item) => `${item.quantity} x ${item.title}`).join(', ').slice(0, 200),
});

/**
 * Writes the booking into the shipment (conditional on its version; a lost race re-reads and keeps whichever booking
 * is stored). Returns the booked shipment.
 */
const recordBooking = async (deps: BookingDeps, shipment: Shipment, preference: CarrierPreference, booking: Booking): Promise<BookedShipment> => {
  const at = deps.clock.now().toISOString();
  const booked = await optimisticUpdate(
    async () => (await deps.shipments.get(shipment.orderId, shipment.shipmentId)) ?? shipment,
    (current): Shipment =>
      isBooked(current)
        ? current
        : {
            ...current,
            carrier: preference.carrier,
            integration: preference.integration,
            trackingNumber: booking.trackingNumber,
            ...(booking.carrierReference !== undefined && { carrierReference: booking.carrierReference }),
            status: booking.status,
            statusAt: at,
            ...(booking.cost !== undefined && { cost: booking.cost }),
            ...(booking.estimatedDeliveryDate !== undefined && {
              estimatedDeliveryDate: booking.estimatedDeliveryDate,
              promisedDeliveryDate: booking.estimatedDeliveryDate,
            }),
            events: [{ at, status: booking.status, carrierStatus: booking.carrierStatus, source: 'booking' }],
            version: current.version + 1,
            updatedAt: at,
          },
    (next) => deps.shipments.save(next),
  );
  return booked as BookedShipment;
};

/** Asks `carrier` for a booking under our reference; undefined when it has none or cannot say (logged). */
const lookUp = async (deps: BookingDeps, carrier: Carrier, reference: string, orderId: string): Promise<Booking | undefined> => {
  try {
    return (await carrier.findBooking(reference, { orderId })) ?? undefined;
  } catch (error) {
    deps.log.warn('booking lookup failed', { carrier: carrier.id, shipmentId: reference, error: String(error) });
    return undefined;
  }
};

/** Notes that a booking is being tried at `carrier`, before the call, so a redelivered event looks there first. */
const noteAttempt = async (deps: BookingDeps, shipment: Shipment, carrier: string): Promise<Shipment> => {
  if (shipment.attemptedCarriers.includes(carrier)) return shipment;
  const next = { ...shipment, attemptedCarriers: [...shipment.attemptedCarriers, carrier], version: shipment.version + 1 };
  await deps.shipments.save(next);
  return next;
};

/**
 * Books one shipment through the seller's eligible carriers in priority order:
 * 1. where an earlier try may have booked (its outcome unknown), the booking is looked up by our reference first;
 * 2. a carrier whose breaker is open, or that fails in a way known not to have booked (retryable), or refuses the
 *    parcel (terminal, e.g. an address it does not serve) is skipped for the next one;
 * 3. an unknown outcome (timeout after sending) is looked up by our reference at once; when the carrier cannot say,
 *    the next carrier is tried and the doubt is logged for operators (Pathao has no lookup by our reference).
 * Throws ProviderRetryableError when no carrier booked (the event is redelivered, and dead-lettered in the end).
 */
const bookAtCarriers = async (deps: BookingDeps, order: Order, claimed: Shipment, chain: CarrierPreference[], request: BookingRequest): Promise<BookedShipment> => {
  let shipment = claimed;
  for (const tried of shipment.attemptedCarriers) {
    const carrier = deps.carriers.get(tried);
    const preference = chain.find((each) => each.carrier === tried);
    const found = carrier && preference ? await lookUp(deps, carrier, shipment.shipmentId, order.orderId) : undefined;
    if (found && preference) return recordBooking(deps, shipment, preference, found);
  }
  const failures: string[] = [];
  for (const preference of chain) {
    if (preference.integration === 'csv') return recordBooking(deps, shipment, preference, csvBooking(shipment.shipmentId));
    const carrier = deps.carriers.get(preference.carrier);
    if (!carrier) continue;
    shipment = await noteAttempt(deps, shipment, carrier.id);
    try {
      return await recordBooking(deps, shipment, preference, await carrier.book(request, { orderId: order.orderId }));
    } catch (error) {
      if (error instanceof ProviderIndeterminateError) {
        const found = await lookUp(deps, carrier, shipment.shipmentId, order.orderId);
        if (found) return recordBooking(deps, shipment, preference, found);
        deps.log.error('booking outcome unknown; trying the next carrier', { carrier: carrier.id, shipmentId: shipment.shipmentId });
      } else if (!(error instanceof ProviderRetryableError || error instanceof ProviderTerminalError)) {
        throw error;
      }
      deps.log.warn('carrier did not book; failing over', { carrier: carrier.id, shipmentId: shipment.shipmentId, error: (error as Error).message });
      failures.push(`${carrier.id}: ${(error as Error).message}`);
    }
  }
  throw new ProviderRetryableError('shipping', `no carrier booked shipment ${shipment.shipmentId} (${failures.join('; ') || 'none eligible'})`);
};

/** The order's items by seller, sellers sorted by id (the order of shipment ids). */
const itemsBySeller = (order: Order): Array<[string, Order['items']]> => {
  const groups = new Map<string, Order['items']>();
  for (const item of order.items) groups.set(item.sellerId, [...(groups.get(item.sellerId) ?? []), item]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
};

/**
 * Reaction to `order.paid` (and the seller's "ship now"): one shipment per seller of the order, booked at the seller's
 * preferred eligible carrier (failover in bookAtCarriers) or at `carrier` when one was chosen, with the parcel's
 * weight and size computed from the items. Idempotent per order: each shipment is claimed by a conditional write
 * under an id derived from the order, so a repeat finds the booking instead of making another; `shipment.created` is
 * (re)published for every booked shipment with an id derived from it. The order stays `paid` until a carrier has the
 * parcel (then `shipped`, see applyTracking). Books nothing for an unknown or unpaid order; an order cancelled while
 * its parcels were being booked gets them cancelled (order.cancelled may have come too early to see them). Throws
 * RuleViolationError NO_ELIGIBLE_CARRIER / CARRIER_NOT_ENABLED (carrierChain).
 */
export const bookShipments = async (deps: BookingDeps, orderId: string, options: { carrier?: string } = {}): Promise<BookedShipment[]> => {
  const details = await deps.orders.get(orderId);
  if (!details) {
    // The saga writes the order before it publishes order.paid: an unknown order is not ours to ship (or was purged).
    deps.log.warn('order.paid for an unknown order; nothing booked', { orderId });
    return [];
  }
  const { order } = details;
  if (!isShippable(order)) {
    deps.log.info('order not shippable; no shipment booked', { orderId, status: order.status });
    return [];
  }
  const booked: BookedShipment[] = [];
  for (const [index, [sellerId, items]] of itemsBySeller(order).entries()) {
    const now = deps.clock.now().toISOString();
    const fresh: Shipment = {
      shipmentId: shipmentIdOf(orderId, index),
      orderId,
      sellerId,
      serviceLevel: order.shipping.serviceLevel,
      parcel: parcelOf(items),
      status: 'unknown',
      statusAt: now,
      attemptedCarriers: [],
      events: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await deps.shipments.claim(fresh);
    const stored = (await deps.shipments.get(orderId, fresh.shipmentId)) ?? fresh;
    let shipment: BookedShipment;
    if (isBooked(stored)) {
      shipment = stored;
    } else {
      const chain = await carrierChain(deps, order, sellerId, options.carrier);
      shipment = await bookAtCarriers(deps, order, stored, chain, bookingRequestOf(order, stored, items));
    }
    await publishShipmentEvent(deps.events, deps.clock.now(), 'shipment.created', `${shipment.shipmentId}_created`, shipment);
    booked.push(shipment);
  }
  if ((await deps.orders.get(orderId))?.order.status === 'cancelled') {
    await cancelShipments(deps, orderId);
    return deps.shipments.listByOrder(orderId).then((all) => all.filter(isBooked));
  }
  return booked;
};
