import type { Money } from '../../_platform/money';
import type { ShippingServiceLevel } from '../../checkout/domain/model';
import type { ApiCarrierId, BookedShipment, Destination, Parcel, SellerCarrierPreferences, Shipment, ShipmentStatus } from './model';

/** Options of every carrier call. */
export interface CarrierCallOptions {
  /** Milliseconds the call may take at most (a quote's deadline); the client's normal timeout otherwise. */
  readonly timeoutMs?: number;
  /** For the audit record. */
  readonly orderId?: string;
}

export interface RateRequest {
  readonly destination: Destination;
  readonly parcel: Parcel;
  readonly serviceLevel: ShippingServiceLevel;
}

/** A carrier's price for a parcel: computed by the carrier from weight, destination and service level. */
export interface CarrierRate {
  readonly carrier: ApiCarrierId;
  readonly serviceLevel: ShippingServiceLevel;
  readonly amount: Money;
  /** YYYY-MM-DD. */
  readonly estimatedDeliveryDate: string;
}

/** What a carrier needs to book a pickup. Recipient fields are personal data. */
export interface BookingRequest {
  /**
   * Our stable reference of the shipment (its id): the carrier's client order code / invoice / reference, so a
   * repeated booking is recognised where the carrier supports that.
   */
  readonly reference: string;
  readonly orderId: string;
  readonly serviceLevel: ShippingServiceLevel;
  readonly parcel: Parcel;
  readonly recipient: { readonly name: string; readonly phone: string; readonly address: Destination };
  /** Money the courier collects on delivery; zero for prepaid orders (ours are paid before they ship). */
  readonly cashOnDelivery: Money;
  readonly description: string;
}

/** A booked parcel as the carrier reports it. */
export interface Booking {
  readonly trackingNumber: string;
  /** The carrier's own id of the booking, when it differs from the tracking number. */
  readonly carrierReference?: string;
  readonly status: ShipmentStatus;
  readonly carrierStatus: string;
  readonly cost?: Money;
  readonly estimatedDeliveryDate?: string;
}

/** The carrier's current view of a parcel. */
export interface TrackingSnapshot {
  readonly trackingNumber: string;
  readonly status: ShipmentStatus;
  readonly carrierStatus: string;
  /** ISO 8601. */
  readonly at: string;
  readonly estimatedDeliveryDate?: string;
  readonly description?: string;
}

/** A webhook request as it arrived: lower-case header names, the raw body (signatures cover the bytes). */
export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** How a webhook names the parcel: the carrier's tracking number, or our reference (the shipment id) it echoes. */
export type ParcelRef = { readonly trackingNumber: string } | { readonly reference: string };

/**
 * What a webhook says, once its authentication passed:
 * - `handshake`: the carrier checks the endpoint (Pathao's webhook_integration);
 * - `tracking`: about one parcel. `snapshot` is set only when the carrier signs its body (EasyPost); otherwise the
 *   webhook is a hint and the parcel must be re-fetched from the carrier before anything changes;
 * - `ignored`: an event type that carries no tracking (COD remittance, store changes).
 */
export type WebhookNotice =
  | { readonly kind: 'handshake' }
  | { readonly kind: 'tracking'; readonly parcel: ParcelRef; readonly snapshot?: TrackingSnapshot }
  | { readonly kind: 'ignored'; readonly reason: string };

/**
 * What cancelling a booked parcel at its carrier came to: `cancelled` (the carrier will not pick it up; `carrierStatus`
 * is its own word for that), or `unsupported` when the carrier offers no cancel API (an operator must cancel it in the
 * carrier's portal; `reason` says so).
 */
export type CancelOutcome =
  | { readonly kind: 'cancelled'; readonly carrierStatus: string; readonly at: string }
  | { readonly kind: 'unsupported'; readonly reason: string };

/** The answer a carrier expects to a webhook (Pathao wants a header back, Steadfast a JSON body). */
export interface WebhookReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Readonly<Record<string, unknown>>;
}

/**
 * A carrier with an API. Every call throws ProviderRetryableError when it certainly did not take effect (down,
 * breaker open, 429/5xx of a safe call), ProviderIndeterminateError when a booking may have been made, and
 * ProviderTerminalError (`kind: 'shipping'`) when the carrier refused for good (an address it does not serve).
 */
export interface Carrier {
  readonly id: ApiCarrierId;
  /** Whether the carrier delivers to `country` (ISO alpha-2) at `serviceLevel`; no call. */
  serves(country: string, serviceLevel: ShippingServiceLevel): boolean;
  /** The carrier's price and delivery estimate for a parcel. Safe to repeat. */
  quote(request: RateRequest, options: CarrierCallOptions): Promise<CarrierRate>;
  /**
   * Books the parcel. Where the carrier rejects a second booking with the same reference (GHN client_order_code,
   * Steadfast invoice), a repeat returns the first booking; elsewhere the adapter says what it does.
   */
  book(request: BookingRequest, options: CarrierCallOptions): Promise<Booking>;
  /**
   * The booking made with our `reference`, undefined when the carrier has none; null when the carrier offers no
   * lookup by our reference (Pathao), so an unknown outcome there stays unknown.
   */
  findBooking(reference: string, options: CarrierCallOptions): Promise<Booking | undefined | null>;
  /**
   * Cancels a booked parcel before pickup. Safe to repeat: a parcel already cancelled answers `cancelled` again.
   * Throws ProviderTerminalError when the carrier refuses (it has the parcel already), ProviderRetryableError when it
   * could not be asked. Makes no call and answers `unsupported` for a carrier without a cancel API.
   */
  cancel(shipment: Pick<BookedShipment, 'trackingNumber' | 'carrierReference'>, options: CarrierCallOptions): Promise<CancelOutcome>;
  /** The parcel's current status. Throws ProviderTerminalError when the carrier does not know it. */
  track(shipment: Pick<BookedShipment, 'trackingNumber' | 'carrierReference'>, options: CarrierCallOptions): Promise<TrackingSnapshot>;
  /** Authenticates and reads a webhook. Throws UnauthorizedError when the carrier's own auth scheme fails. */
  readWebhook(request: WebhookRequest): Promise<WebhookNotice>;
  /** What to answer the carrier once the webhook was handled. */
  webhookReply(notice: WebhookNotice): WebhookReply;
}

/** The carriers this deployment has, by id. */
export interface CarrierRegistry {
  get(carrier: string): Carrier | undefined;
}

/** Shipments, stored in their order's item collection. */
export interface ShipmentRepository {
  /** The shipments of an order (booked or not), read consistently. */
  listByOrder(orderId: string): Promise<Shipment[]>;
  get(orderId: string, shipmentId: string): Promise<Shipment | undefined>;
  /** The booked shipment with this carrier's tracking number. */
  findByTrackingNumber(carrier: string, trackingNumber: string): Promise<BookedShipment | undefined>;
  /** Booked shipments of a carrier created on a day (YYYY-MM-DD, UTC). */
  listByCarrierAndDay(carrier: string, day: string): Promise<BookedShipment[]>;
  /**
   * Writes a new shipment (version 1) unless one with its id exists; resolves false (writing nothing) when it does.
   */
  claim(shipment: Shipment): Promise<boolean>;
  /** Writes `shipment` if the stored one is at `shipment.version - 1`; throws ConcurrentUpdateError otherwise. */
  save(shipment: Shipment): Promise<void>;
}

/** Sellers' carrier choices. */
export interface CarrierPreferenceRepository {
  /** The seller's preferences, or undefined when the seller never set any. */
  get(sellerId: string): Promise<SellerCarrierPreferences | undefined>;
  put(preferences: SellerCarrierPreferences): Promise<void>;
}

/** Where the domain reports what operators should see; the adapters pass the Powertools logger. */
export interface ShippingLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
