import type { Money } from '../../_platform/money';
import type { ShippingServiceLevel } from '../../checkout/domain/model';

/**
 * One status list for every carrier (the list; a subset of Karrio's plus `label_created`). Each adapter maps
 * its carrier's own codes onto it; a code it does not know becomes `unknown`, which never moves a shipment (Karrio
 * turns unknown codes into in_transit silently; we log them instead).
 */
export const SHIPMENT_STATUSES = [
  'label_created',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'delivery_failed',
  'returning',
  'returned',
  'cancelled',
  'exception',
  'unknown',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** Carriers with an API adapter (functions/shipping/carriers/). A `csv` carrier is any other name. */
export const API_CARRIER_IDS = ['ghn', 'pathao', 'steadfast', 'easypost'] as const;
export type ApiCarrierId = (typeof API_CARRIER_IDS)[number];

export const isApiCarrier = (carrier: string): carrier is ApiCarrierId => (API_CARRIER_IDS as readonly string[]).includes(carrier);

/** A package: grams and centimetres. */
export interface Parcel {
  weightGrams: number;
  dimensionsCm: { l: number; w: number; h: number };
}

/** Where a parcel goes; personal data, masked in logs. */
export interface Destination {
  line1: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** How a tracking update reached us (`cancel`: we cancelled the parcel at the carrier). */
export const TRACKING_SOURCES = ['booking', 'webhook', 'poll', 'csv', 'cancel'] as const;
export type TrackingSource = (typeof TRACKING_SOURCES)[number];

/** Why a cancelled order's parcel is still booked: see Shipment.cancellation. */
export const CANCELLATION_OUTCOMES = ['manual', 'refused'] as const;

/** One applied change of a shipment's status, as the buyer and seller see it. */
export interface TrackingEvent {
  /** When the carrier says it happened (ISO 8601). */
  at: string;
  status: ShipmentStatus;
  /** The carrier's own code, for support. */
  carrierStatus: string;
  source: TrackingSource;
  description?: string;
}

/**
 * A shipment: one parcel of one seller's items of an order. Booked at a carrier once `trackingNumber` is set; before
 * that it is a claim (`attemptedCarriers` lists where a booking was tried, so a redelivered event looks there first).
 */
export interface Shipment {
  shipmentId: string;
  orderId: string;
  sellerId: string;
  serviceLevel: ShippingServiceLevel;
  parcel: Parcel;
  carrier?: string;
  /** `csv`: a legacy carrier without an API (manifest out, tracking CSV in). */
  integration?: 'api' | 'csv';
  trackingNumber?: string;
  /** The carrier's own id when it differs from the tracking number (EasyPost shipment id). */
  carrierReference?: string;
  status: ShipmentStatus;
  /** The carrier time of the update that set `status`. */
  statusAt: string;
  cost?: Money;
  estimatedDeliveryDate?: string;
  /** The first estimate: a later one beyond the threshold is a delay. */
  promisedDeliveryDate?: string;
  /** The estimate `shipment.delayed` was last published for (once per slipped date). */
  delayNotifiedFor?: string;
  attemptedCarriers: string[];
  /**
   * Set when the order was cancelled but the parcel could not be cancelled at the carrier: `manual` (no cancel API, or
   * a CSV carrier: an operator cancels it with the carrier) or `refused` (the carrier has the parcel already).
   */
  cancellation?: { outcome: (typeof CANCELLATION_OUTCOMES)[number]; reason: string; at: string };
  events: TrackingEvent[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A booked shipment. */
export type BookedShipment = Shipment & { carrier: string; trackingNumber: string; integration: 'api' | 'csv' };

export const isBooked = (shipment: Shipment): shipment is BookedShipment => shipment.trackingNumber !== undefined && shipment.carrier !== undefined;

/** One carrier a seller ships with. */
export interface CarrierPreference {
  carrier: string;
  integration: 'api' | 'csv';
  /** Lower first. */
  priority: number;
  /** Empty: every service level. */
  serviceLevels: ShippingServiceLevel[];
  /** ISO country codes; empty: everywhere the carrier serves. */
  destinations: string[];
}

export interface SellerCarrierPreferences {
  sellerId: string;
  carriers: CarrierPreference[];
  updatedAt?: string;
}

/**
 * Used for a seller who set none: every API carrier, domestic ones first (each serves only its own country, so the
 * destination picks Pathao then Steadfast in Bangladesh, GHN in Vietnam, EasyPost elsewhere).
 */
export const defaultPreferences = (sellerId: string): SellerCarrierPreferences => ({
  sellerId,
  carriers: (['pathao', 'steadfast', 'ghn', 'easypost'] as const).map((carrier, index) => ({
    carrier,
    integration: 'api',
    priority: index + 1,
    serviceLevels: [],
    destinations: [],
  })),
});

/** The seller's carriers that may take a parcel to `country` at `serviceLevel`, in priority order. */
export const eligibleCarriers = (
  preferences: SellerCarrierPreferences,
  route: { country: string; serviceLevel: ShippingServiceLevel },
  serves: (carrier: string, country: string, serviceLevel: ShippingServiceLevel) => boolean,
): CarrierPreference[] =>
  preferences.carriers
    .filter((preference) => preference.serviceLevels.length === 0 || preference.serviceLevels.includes(route.serviceLevel))
    .filter((preference) => preference.destinations.length === 0 || preference.destinations.includes(route.country))
    .filter((preference) => preference.integration === 'csv' || serves(preference.carrier, route.country, route.serviceLevel))
    .sort((a, b) => a.priority - b.priority);

/** The id of the shipment of an order's n-th seller (sellers sorted by id): stable, so a redelivery finds it. */
export const shipmentIdOf = (orderId: string, sellerIndex: number): string => `shp_${orderId.replace(/^ord_/, '')}_${sellerIndex + 1}`;

/** The order a shipment id belongs to, or undefined when the id is not one `shipmentIdOf` makes. */
export const orderIdOfShipment = (shipmentId: string): string | undefined => {
  const match = /^shp_([0-9A-Za-z]{26})_\d{1,3}$/.exec(shipmentId);
  return match ? `ord_${match[1]}` : undefined;
};

/**
 * The parcel holding `items`: their weights added up; the largest side and the largest middle side of any item, and
 * the smallest sides stacked (a simple, documented packing rule: no carton catalogue yet).
 */
export const parcelOf = (items: ReadonlyArray<{ quantity: number; weightGrams: number; dimensionsCm: { l: number; w: number; h: number } }>): Parcel => {
  let weightGrams = 0;
  let l = 0;
  let w = 0;
  let h = 0;
  for (const item of items) {
    const [longest, middle, shortest] = [item.dimensionsCm.l, item.dimensionsCm.w, item.dimensionsCm.h].sort((a, b) => b - a);
    weightGrams += item.weightGrams * item.quantity;
    l = Math.max(l, longest);
    w = Math.max(w, middle);
    h += shortest * item.quantity;
  }
  return { weightGrams, dimensionsCm: { l, w, h } };
};
