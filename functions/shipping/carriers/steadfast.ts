/**
 * Steadfast Courier (Bangladesh, API host "packzy"). Wire facts: shared/design/providers/shipping-and-messaging.md §A4.
 *
 * `Api-Key` + `Secret-Key` headers. The `invoice` must be unique, so it is our idempotency key and our handle: we
 * track by invoice (`carrierReference`), and a repeated create is refused and answered from status_by_invoice.
 * Steadfast has no rate API [weak: the rate card below is the published one as integrations copy it] and no
 * express service. Webhooks carry `Authorization: Bearer <token set in the portal>` and no body signature: the token
 * is checked, and the status is re-fetched before we believe it. API V1 has no cancel call (§A4): a cancellation is
 * left to an operator in the Steadfast portal.
 */
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../_platform/clock';
import { UnauthorizedError } from '../../_platform/errors';
import type { HttpClient, HttpResponse } from '../../_platform/http-client';
import { money } from '../../_platform/money';
import type { ShipmentStatus } from '../domain/model';
import type { Booking, Carrier, CarrierCallOptions, TrackingSnapshot, WebhookNotice } from '../domain/ports';
import { chargeableGrams, daysFromNow, jsonObjectOf, nationalPhone, nonEmpty, parseAnswer, refused, sameSecret, webhookBodyOf } from './wire';

const CARRIER = 'steadfast';
const API = '/api/v1';

/** The Steadfast provider secret; `webhookToken` is the "Auth Token (Bearer)" entered in its portal. */
export const steadfastConfig = z.object({ baseUrl: z.url(), apiKey: nonEmpty(), secretKey: nonEmpty(), webhookToken: nonEmpty() });
export type SteadfastConfig = z.output<typeof steadfastConfig>;

/** [weak] Rate card in BDT: 60 inside Dhaka, 120 outside, +20 per started kg past the first. Delivery in 1 or 3 days. */
const RATE = { dhaka: 60, outside: 120, perExtraKg: 20, days: { dhaka: 1, outside: 3 } } as const;

/**
 * Steadfast statuses onto ours, compared in lower case (its portal example says "Delivered"). `pending` is
 * "active, not delivered or cancelled" (the closest is in_transit); an `_approval_pending` status is what the courier
 * reported, before Steadfast's approval. [weak] `cancelled` after pickup usually means the recipient refused.
 */
const STATUS: Readonly<Record<string, ShipmentStatus>> = {
  in_review: 'label_created',
  pending: 'in_transit',
  hold: 'exception',
  delivered_approval_pending: 'delivered',
  delivered: 'delivered',
  partial_delivered_approval_pending: 'exception',
  partial_delivered: 'exception',
  cancelled_approval_pending: 'cancelled',
  cancelled: 'cancelled',
  unknown_approval_pending: 'unknown',
  unknown: 'unknown',
};
const statusOf = (code: string): ShipmentStatus => STATUS[code.toLowerCase()] ?? 'unknown';

const createAnswer = z.object({
  consignment: z.object({ consignment_id: z.union([z.number(), z.string()]), invoice: nonEmpty(), tracking_code: nonEmpty(), status: nonEmpty() }),
});
const statusAnswer = z.object({ delivery_status: nonEmpty() });
const webhookBody = z.object({ notification_type: nonEmpty(), invoice: z.optional(z.string()) });

/** Is this Steadfast's refusal of a repeated invoice? [weak] the error text is not documented. */
const isDuplicateInvoice = (body: Record<string, unknown> | undefined): boolean => /invoice/i.test(JSON.stringify(body?.errors ?? '')) && /taken|exist|duplicate/i.test(JSON.stringify(body?.errors ?? ''));

/** Where the carrier delivers (known without its credentials). */
export const steadfastServes: Carrier['serves'] = (country, serviceLevel) => country === 'BD' && serviceLevel === 'standard';

/** The Steadfast Carrier. */
export const createSteadfastCarrier = (config: SteadfastConfig, http: HttpClient, clock: Clock = systemClock): Carrier => {
  const headers = { 'api-key': config.apiKey, 'secret-key': config.secretKey };
  const inDhaka = (city: string) => city.trim().toLowerCase() === 'dhaka';

  const answerOf = (operation: string, response: HttpResponse): Record<string, unknown> | undefined => {
    const body = jsonObjectOf(response);
    if (response.status === 200 && (body?.status === undefined || body.status === 200)) return body;
    throw refused(CARRIER, `steadfast ${operation} refused (HTTP ${response.status}${body?.message ? `: ${String(body.message)}` : ''})`);
  };

  const statusByInvoice = async (invoice: string, options: CarrierCallOptions): Promise<string> => {
    const response = await http.send({
      provider: CARRIER, operation: 'status', method: 'GET', url: `${config.baseUrl}${API}/status_by_invoice/${encodeURIComponent(invoice)}`,
      headers, timeoutMs: options.timeoutMs, context: { orderId: options.orderId }, sensitiveFields: ['api-key', 'secret-key'],
    });
    return parseAnswer(CARRIER, 'status', statusAnswer, answerOf('status', response)).delivery_status;
  };

  const findBooking = async (reference: string, options: CarrierCallOptions): Promise<Booking | undefined> => {
    let carrierStatus: string;
    try {
      carrierStatus = await statusByInvoice(reference, options);
    } catch (error) {
      if ((error as { code?: string }).code === 'PROVIDER_REJECTED') return undefined;
      throw error;
    }
    // The status lookup does not return the tracking code: the invoice stands in for it.
    return { trackingNumber: reference, carrierReference: reference, status: statusOf(carrierStatus), carrierStatus };
  };

  return {
    id: CARRIER,
    serves: steadfastServes,

    async quote(request) {
      const area = inDhaka(request.destination.city) ? 'dhaka' : 'outside';
      const extraKg = Math.max(0, Math.ceil(chargeableGrams(request.parcel) / 1000) - 1);
      return {
        carrier: CARRIER,
        serviceLevel: request.serviceLevel,
        amount: money((RATE[area] + extraKg * RATE.perExtraKg) * 100, 'BDT'),
        estimatedDeliveryDate: daysFromNow(clock, RATE.days[area]),
      };
    },

    async book(request, options) {
      const { address } = request.recipient;
      const response = await http.send({
        provider: CARRIER, operation: 'create', method: 'POST', url: `${config.baseUrl}${API}/create_order`, headers, retry: 'safe',
        context: { orderId: options.orderId }, sensitiveFields: ['api-key', 'secret-key', 'recipient_phone', 'recipient_name', 'recipient_address'],
        body: {
          invoice: request.reference,
          recipient_name: request.recipient.name.slice(0, 100),
          recipient_phone: nationalPhone(request.recipient.phone, '880'),
          recipient_address: `${address.line1}, ${address.city} ${address.postalCode}`.slice(0, 250),
          cod_amount: Math.round(request.cashOnDelivery.value / 100),
          item_description: request.description,
          delivery_type: 0,
        },
      });
      const body = jsonObjectOf(response);
      if (isDuplicateInvoice(body)) {
        const existing = await findBooking(request.reference, options);
        if (existing) return existing;
      }
      const { consignment } = parseAnswer(CARRIER, 'create', createAnswer, answerOf('create', response));
      const area = inDhaka(address.city) ? 'dhaka' : 'outside';
      return {
        trackingNumber: consignment.tracking_code,
        carrierReference: consignment.invoice,
        status: statusOf(consignment.status),
        carrierStatus: consignment.status,
        estimatedDeliveryDate: daysFromNow(clock, RATE.days[area]),
      };
    },

    findBooking,

    cancel: async () => ({ kind: 'unsupported', reason: 'steadfast offers no cancel API; cancel the consignment in the portal' }),

    async track(shipment, options): Promise<TrackingSnapshot> {
      const carrierStatus = await statusByInvoice(shipment.carrierReference ?? shipment.trackingNumber, options);
      return { trackingNumber: shipment.trackingNumber, status: statusOf(carrierStatus), carrierStatus: carrierStatus.toLowerCase(), at: clock.now().toISOString() };
    },

    async readWebhook(request): Promise<WebhookNotice> {
      if (!sameSecret(request.headers.authorization, `Bearer ${config.webhookToken}`)) throw new UnauthorizedError('steadfast webhook without the configured bearer token');
      const body = webhookBodyOf(webhookBody, request.body);
      if (!body?.invoice) return { kind: 'ignored', reason: 'no invoice' };
      // tracking_update is free text, not a status change.
      if (body.notification_type !== 'delivery_status') return { kind: 'ignored', reason: body.notification_type };
      return { kind: 'tracking', parcel: { reference: body.invoice } };
    },

    webhookReply: () => ({ status: 200, body: { status: 'success', message: 'Webhook received successfully.' } }),
  };
};
