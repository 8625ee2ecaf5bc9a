/**
 * EasyPost (international). Wire facts: shared/design/providers/shipping-and-messaging.md §A6.
 *
 * HTTP Basic with the API key as user. A shipment is created with its rates (free, so quotes create one too), then
 * one rate is bought; buying twice is refused, so an unknown outcome of `buy` is settled by reading the shipment.
 * EasyPost offers no lookup by our `reference`, so findBooking says null. Webhooks are signed:
 * `X-Hmac-Signature: hmac-sha256-hex=<hex>` over the raw body, keyed with the NFKD-normalised secret; a signed
 * tracker event is believed as it is. Cancelling is refunding the label (`POST /shipments/{id}/refund`, allowed until the
 * carrier scanned the parcel): `refund_status` submitted or refunded means the label is void.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../_platform/clock';
import { ProviderIndeterminateError, UnauthorizedError } from '../../_platform/errors';
import type { HttpClient, HttpResponse } from '../../_platform/http-client';
import { fromMajorUnits } from '../../_platform/money';
import type { ShipmentStatus } from '../domain/model';
import type { Booking, Carrier, CarrierCallOptions, RateRequest, TrackingSnapshot, WebhookNotice } from '../domain/ports';
import { jsonObjectOf, nonEmpty, parseAnswer, refused } from './wire';

const CARRIER = 'easypost';
const API = '/v2';
const GRAMS_PER_OUNCE = 28.349523125;

/** The EasyPost provider secret: the key, the webhook secret, and the address parcels leave from. */
export const easypostConfig = z.object({
  baseUrl: z.url(),
  apiKey: nonEmpty(),
  webhookSecret: nonEmpty(),
  originName: nonEmpty(),
  originLine1: nonEmpty(),
  originCity: nonEmpty(),
  originPostalCode: nonEmpty(),
  originCountry: z.string().check(z.regex(/^[A-Z]{2}$/)),
  originPhone: nonEmpty(),
});
export type EasyPostConfig = z.output<typeof easypostConfig>;

/** EasyPost tracker statuses onto ours. */
const STATUS: Readonly<Record<string, ShipmentStatus>> = {
  pre_transit: 'label_created',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  available_for_pickup: 'out_for_delivery',
  delivered: 'delivered',
  return_to_sender: 'returning',
  failure: 'delivery_failed',
  cancelled: 'cancelled',
  error: 'exception',
  unknown: 'unknown',
};
const statusOf = (code: string): ShipmentStatus => STATUS[code] ?? 'unknown';

/**
 * Refund statuses that void the label [official]. `not_applicable` is a bill-on-scan carrier: an unscanned label costs
 * nothing and is simply never used. `rejected` is a refusal (EasyPost says an early one may be retried later).
 */
const VOIDED = new Set(['submitted', 'refunded', 'not_applicable']);

const rate = z.object({ id: nonEmpty(), rate: nonEmpty(), currency: nonEmpty(), delivery_days: z.nullable(z.optional(z.number())) });
const tracker = z.object({
  tracking_code: nonEmpty(),
  status: nonEmpty(),
  est_delivery_date: z.nullable(z.optional(z.string())),
  updated_at: z.optional(z.string()),
});
const shipment = z.object({
  id: nonEmpty(),
  rates: z.optional(z.array(rate)),
  tracking_code: z.nullable(z.optional(z.string())),
  selected_rate: z.nullable(z.optional(rate)),
  tracker: z.nullable(z.optional(tracker)),
  refund_status: z.nullable(z.optional(z.string())),
});
const event = z.object({ description: nonEmpty(), result: z.unknown() });

type Shipment = z.output<typeof shipment>;
type Tracker = z.output<typeof tracker>;

const day = (iso: string | null | undefined): string | undefined => (iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso).toISOString().slice(0, 10) : undefined);

/** The rate for a level: the fastest for express, the cheapest for standard. */
const pick = (rates: z.output<typeof rate>[], level: RateRequest['serviceLevel']) =>
  [...rates].sort((a, b) =>
    level === 'express' ? (a.delivery_days ?? 99) - (b.delivery_days ?? 99) || Number(a.rate) - Number(b.rate) : Number(a.rate) - Number(b.rate),
  )[0];

const signatureOf = (secret: string, body: string): string => `hmac-sha256-hex=${createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8')).update(body, 'utf8').digest('hex')}`;

/** Where the carrier delivers (known without its credentials). */
export const easypostServes: Carrier['serves'] = () => true;

/** The EasyPost Carrier. */
export const createEasyPostCarrier = (config: EasyPostConfig, http: HttpClient, clock: Clock = systemClock): Carrier => {
  const headers = { authorization: `Basic ${Buffer.from(`${config.apiKey}:`).toString('base64')}` };

  const answerOf = (operation: string, response: HttpResponse): Record<string, unknown> | undefined => {
    const body = jsonObjectOf(response);
    if (response.status >= 200 && response.status < 300) return body;
    const error = body?.error as { code?: string; message?: string } | undefined;
    throw refused(CARRIER, `easypost ${operation} refused: ${error?.code ?? response.status} ${error?.message ?? ''}`.trim());
  };

  const createShipment = async (request: RateRequest & { reference?: string; recipient?: { name: string; phone: string } }, options: CarrierCallOptions): Promise<Shipment> => {
    const { destination, parcel } = request;
    const response = await http.send({
      provider: CARRIER, operation: 'create-shipment', method: 'POST', url: `${config.baseUrl}${API}/shipments`, headers, retry: 'safe',
      timeoutMs: options.timeoutMs, context: { orderId: options.orderId }, sensitiveFields: ['authorization', 'name', 'phone', 'street1'],
      body: {
        shipment: {
          ...(request.reference !== undefined && { reference: request.reference }),
          to_address: {
            name: request.recipient?.name ?? 'Quote', street1: destination.line1, city: destination.city, zip: destination.postalCode,
            country: destination.country, ...(request.recipient && { phone: request.recipient.phone }),
          },
          from_address: {
            name: config.originName, street1: config.originLine1, city: config.originCity, zip: config.originPostalCode,
            country: config.originCountry, phone: config.originPhone,
          },
          parcel: {
            length: parcel.dimensionsCm.l / 2.54, width: parcel.dimensionsCm.w / 2.54, height: parcel.dimensionsCm.h / 2.54,
            weight: Math.ceil((parcel.weightGrams / GRAMS_PER_OUNCE) * 10) / 10,
          },
        },
      },
    });
    return parseAnswer(CARRIER, 'create-shipment', shipment, answerOf('create-shipment', response));
  };

  const readShipment = async (id: string, options: CarrierCallOptions): Promise<Shipment> => {
    const response = await http.send({
      provider: CARRIER, operation: 'shipment', method: 'GET', url: `${config.baseUrl}${API}/shipments/${encodeURIComponent(id)}`, headers,
      timeoutMs: options.timeoutMs, context: { orderId: options.orderId }, sensitiveFields: ['authorization'],
    });
    return parseAnswer(CARRIER, 'shipment', shipment, answerOf('shipment', response));
  };

  const bookingOf = (bought: Shipment): Booking | undefined => {
    if (!bought.tracking_code || !bought.selected_rate) return undefined;
    const status = bought.tracker?.status ?? 'pre_transit';
    return {
      trackingNumber: bought.tracking_code,
      carrierReference: bought.id,
      status: statusOf(status),
      carrierStatus: status,
      cost: fromMajorUnits(bought.selected_rate.rate, bought.selected_rate.currency),
      ...(day(bought.tracker?.est_delivery_date) !== undefined && { estimatedDeliveryDate: day(bought.tracker?.est_delivery_date) }),
    };
  };

  const snapshotOf = (current: Tracker): TrackingSnapshot => ({
    trackingNumber: current.tracking_code,
    status: statusOf(current.status),
    carrierStatus: current.status,
    at: current.updated_at ?? clock.now().toISOString(),
    ...(day(current.est_delivery_date) !== undefined && { estimatedDeliveryDate: day(current.est_delivery_date) }),
  });

  return {
    id: CARRIER,
    serves: easypostServes,

    async quote(request, options) {
      const created = await createShipment(request, options);
      const chosen = pick(created.rates ?? [], request.serviceLevel);
      if (!chosen) throw refused(CARRIER, 'easypost offers no rate for this parcel');
      return {
        carrier: CARRIER,
        serviceLevel: request.serviceLevel,
        amount: fromMajorUnits(chosen.rate, chosen.currency),
        estimatedDeliveryDate: new Date(clock.now().getTime() + (chosen.delivery_days ?? 7) * 86_400_000).toISOString().slice(0, 10),
      };
    },

    async book(request, options) {
      const created = await createShipment({ destination: request.recipient.address, parcel: request.parcel, serviceLevel: request.serviceLevel, reference: request.reference, recipient: request.recipient }, options);
      const chosen = pick(created.rates ?? [], request.serviceLevel);
      if (!chosen) throw refused(CARRIER, 'easypost offers no rate for this parcel');
      let bought: Shipment;
      try {
        const response = await http.send({
          provider: CARRIER, operation: 'buy', method: 'POST', url: `${config.baseUrl}${API}/shipments/${encodeURIComponent(created.id)}/buy`, headers,
          retry: 'never', context: { orderId: options.orderId }, sensitiveFields: ['authorization'], body: { rate: { id: chosen.id } },
        });
        bought = response.status === 422 ? await readShipment(created.id, options) : parseAnswer(CARRIER, 'buy', shipment, answerOf('buy', response));
      } catch (error) {
        // A buy whose answer was lost: the shipment says whether postage was bought.
        if (!(error instanceof ProviderIndeterminateError)) throw error;
        bought = await readShipment(created.id, options);
      }
      const booking = bookingOf(bought);
      if (!booking) throw new ProviderIndeterminateError(CARRIER, `easypost shipment ${created.id} has no postage after buy`);
      return booking;
    },

    findBooking: async () => null,

    async cancel(booked, options) {
      const id = booked.carrierReference ?? booked.trackingNumber;
      const response = await http.send({
        provider: CARRIER, operation: 'refund', method: 'POST', url: `${config.baseUrl}${API}/shipments/${encodeURIComponent(id)}/refund`, headers,
        retry: 'safe', timeoutMs: options.timeoutMs, context: { orderId: options.orderId }, sensitiveFields: ['authorization'],
      });
      // [weak] a second refund is refused with 422 (the code is not documented): the shipment says whether the first one holds.
      const refunded = response.status === 422 ? await readShipment(id, options) : parseAnswer(CARRIER, 'refund', shipment, answerOf('refund', response));
      const status = refunded.refund_status ?? 'none';
      if (!VOIDED.has(status)) throw refused(CARRIER, `easypost does not refund the label of ${id} (refund_status ${status})`);
      return { kind: 'cancelled', carrierStatus: `refund_${status}`, at: clock.now().toISOString() };
    },

    async track(booked, options) {
      const current = await readShipment(booked.carrierReference ?? booked.trackingNumber, options);
      if (!current.tracker) throw refused(CARRIER, `easypost shipment ${current.id} has no tracker`);
      return snapshotOf(current.tracker);
    },

    async readWebhook(request): Promise<WebhookNotice> {
      const given = Buffer.from(request.headers['x-hmac-signature'] ?? '');
      const expected = Buffer.from(signatureOf(config.webhookSecret, request.body));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnauthorizedError('easypost webhook signature does not match');
      const body = z.safeParse(event, JSON.parse(request.body));
      if (!body.success || !body.data.description.startsWith('tracker.')) return { kind: 'ignored', reason: body.success ? body.data.description : 'not an event' };
      const result = z.safeParse(tracker, body.data.result);
      if (!result.success) return { kind: 'ignored', reason: 'no tracker' };
      return { kind: 'tracking', parcel: { trackingNumber: result.data.tracking_code }, snapshot: snapshotOf(result.data) };
    },

    webhookReply: () => ({ status: 200 }),
  };
};
