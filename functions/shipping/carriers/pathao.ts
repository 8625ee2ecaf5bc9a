/**
 * Pathao Courier merchant API (Bangladesh). Wire facts: shared/design/providers/shipping-and-messaging.md §A3.
 *
 * OAuth2 password grant (`/issue-token`, 5-day tokens with a refresh token), kept in the shared token cache. The
 * envelope is `{message, type, code, data}`. Pathao takes no idempotency key and offers no lookup by our
 * merchant_order_id, so a create is sent once (`retry: 'never'`) and an unknown outcome stays unknown (findBooking
 * says null). Webhooks carry the configured secret as plain text in `X-PATHAO-Signature` (not an HMAC, and Pathao's
 * own plugin shares one value among all merchants), so a webhook is only a hint and the order is re-fetched.
 * The merchant API documents no cancel call (§A3): a cancellation is left to an operator in the merchant portal.
 */
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../_platform/clock';
import { UnauthorizedError } from '../../_platform/errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../../_platform/http-client';
import { fromMajorUnits } from '../../_platform/money';
import type { ShippingServiceLevel } from '../../checkout/domain/model';
import type { TokenCache } from '../../_platform/token-cache';
import type { ShipmentStatus } from '../domain/model';
import type { Carrier, CarrierCallOptions, TrackingSnapshot, WebhookNotice } from '../domain/ports';
import { daysFromNow, jsonObjectOf, nationalPhone, nonEmpty, parseAnswer, refused, sameSecret, webhookBodyOf } from './wire';

const CARRIER = 'pathao';
const API = '/aladdin/api/v1';
/** Renew the access token this long before it expires. */
const RENEW_BEFORE_EXPIRY_MS = 3_600_000;

/** The Pathao provider secret. `storeId` is the merchant's pickup store; `webhookSecret` the portal's webhook secret. */
export const pathaoConfig = z.object({
  baseUrl: z.url(),
  clientId: nonEmpty(),
  clientSecret: nonEmpty(),
  username: nonEmpty(),
  password: nonEmpty(),
  storeId: nonEmpty(),
  webhookSecret: nonEmpty(),
});
export type PathaoConfig = z.output<typeof pathaoConfig>;

/** delivery_type: 48 = normal delivery, 12 = on-demand. */
const DELIVERY_TYPE: Readonly<Record<ShippingServiceLevel, number>> = { standard: 48, express: 12 };
/**
 * [weak] Pathao's price plan has no delivery estimate: days derived from the delivery type and whether the parcel
 * stays in Dhaka (Pathao's own marketing: 24-48 h inside Dhaka, 3-5 days outside).
 */
const ESTIMATE_DAYS = { standard: { dhaka: 2, outside: 4 }, express: { dhaka: 1, outside: 2 } } as const;

/** Pathao order status slugs (info `order_status_slug`, webhook `event` after `order.`) onto ours. */
const STATUS: Readonly<Record<string, ShipmentStatus>> = {
  pending: 'label_created',
  'pickup-requested': 'label_created',
  'assigned-for-pickup': 'label_created',
  picked: 'picked_up',
  'pickup-failed': 'exception',
  'pickup-cancelled': 'cancelled',
  'at-the-sorting-hub': 'in_transit',
  'in-transit': 'in_transit',
  'received-at-last-mile-hub': 'in_transit',
  'assigned-for-delivery': 'out_for_delivery',
  delivered: 'delivered',
  'partial-delivery': 'exception',
  'delivery-failed': 'delivery_failed',
  'on-hold': 'exception',
  // `returned` means the return has started; the parcel is back only at returned-to-merchant (Sifat07 src/status.ts).
  returned: 'returning',
  'return-id-created': 'returning',
  'return-in-transit': 'returning',
  'paid-return': 'returning',
  exchanged: 'returning',
  'returned-to-merchant': 'returned',
};
const statusOf = (slug: string): ShipmentStatus => STATUS[slug] ?? 'unknown';

const tokenAnswer = z.object({ access_token: nonEmpty(), expires_in: z.number(), refresh_token: z.optional(z.string()) });
const cities = z.object({ data: z.object({ data: z.array(z.object({ city_id: z.number(), city_name: z.string() })) }) });
const pricePlan = z.object({ data: z.object({ final_price: z.union([z.number(), z.string()]) }) });
const created = z.object({ data: z.object({ consignment_id: nonEmpty(), order_status: z.optional(z.string()), delivery_fee: z.optional(z.union([z.number(), z.string()])) }) });
const info = z.object({
  data: z.object({ consignment_id: nonEmpty(), order_status_slug: nonEmpty(), updated_at: z.optional(z.string()) }),
});
const webhookBody = z.object({ event: nonEmpty(), consignment_id: z.optional(z.string()), merchant_order_id: z.optional(z.string()) });

/** BDT money from Pathao's major-unit amounts (numbers or strings). */
const bdt = (amount: number | string) => fromMajorUnits(typeof amount === 'number' ? amount.toFixed(2) : amount, 'BDT');

/** Pathao's `updated_at` is MySQL time without a zone; [weak] read as Asia/Dhaka (UTC+6). */
const instantOf = (mysql: string | undefined, clock: Clock): string => {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(mysql ?? '');
  return match ? new Date(`${match[1]}T${match[2]}+06:00`).toISOString() : clock.now().toISOString();
};

/** Where the carrier delivers (known without its credentials). */
export const pathaoServes: Carrier['serves'] = (country) => country === 'BD';

/** The Pathao Carrier; its tokens live in `tokens` (shared by every instance in production). */
export const createPathaoCarrier = (config: PathaoConfig, http: HttpClient, tokens: TokenCache, clock: Clock = systemClock): Carrier => {
  let cityIds: Map<string, number> | undefined;

  const grant = async (refreshToken?: string): Promise<string> => {
    const body = refreshToken
      ? { client_id: config.clientId, client_secret: config.clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken }
      : { client_id: config.clientId, client_secret: config.clientSecret, grant_type: 'password', username: config.username, password: config.password };
    const response = await http.send({
      provider: CARRIER, operation: refreshToken ? 'token-refresh' : 'token-grant', method: 'POST', url: `${config.baseUrl}${API}/issue-token`, body,
      retry: 'safe', sensitiveFields: ['client_secret', 'password', 'access_token', 'refresh_token'],
    });
    if (response.status !== 200) {
      if (refreshToken) return grant();
      throw refused(CARRIER, `pathao token refused (HTTP ${response.status})`);
    }
    const answer = parseAnswer(CARRIER, 'token', tokenAnswer, jsonObjectOf(response));
    const now = clock.now().getTime();
    await tokens.put(CARRIER, {
      accessToken: answer.access_token,
      expiresAt: now + answer.expires_in * 1000,
      refreshToken: answer.refresh_token,
      refreshableUntil: answer.refresh_token ? now + answer.expires_in * 1000 * 2 : undefined,
    });
    return answer.access_token;
  };

  const token = async (): Promise<string> => {
    const cached = await tokens.get(CARRIER);
    const now = clock.now().getTime();
    if (cached && cached.expiresAt - RENEW_BEFORE_EXPIRY_MS > now) return cached.accessToken;
    return grant(cached?.refreshToken && (cached.refreshableUntil ?? 0) > now ? cached.refreshToken : undefined);
  };

  /** An authorised call; a 401 (token revoked early) gets a new token and one more try. */
  const send = async (request: Omit<HttpRequest, 'provider' | 'headers' | 'sensitiveFields'>): Promise<HttpResponse> => {
    const attempt = async (accessToken: string) =>
      http.send({
        ...request, provider: CARRIER, headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        sensitiveFields: ['recipient_phone', 'recipient_name', 'recipient_address'],
      });
    const response = await attempt(await token());
    return response.status === 401 ? attempt(await grant()) : response;
  };

  const answerOf = (operation: string, response: HttpResponse): Record<string, unknown> | undefined => {
    const body = jsonObjectOf(response);
    if (response.status === 200) return body;
    const reasons = body?.errors && typeof body.errors === 'object' ? Object.keys(body.errors).join(', ') : String(body?.message ?? '');
    throw refused(CARRIER, `pathao ${operation} refused (HTTP ${response.status}${reasons ? `: ${reasons}` : ''})`);
  };

  const cityId = async (city: string, options: CarrierCallOptions): Promise<number> => {
    if (!cityIds) {
      const response = await send({ operation: 'city-list', method: 'GET', url: `${config.baseUrl}${API}/city-list`, timeoutMs: options.timeoutMs });
      const list = parseAnswer(CARRIER, 'city-list', cities, answerOf('city-list', response));
      cityIds = new Map(list.data.data.map((entry) => [entry.city_name.toLowerCase(), entry.city_id]));
    }
    const id = cityIds.get(city.trim().toLowerCase());
    if (id === undefined) throw refused(CARRIER, `pathao does not list the city ${city}`);
    return id;
  };

  const estimate = (city: string, level: ShippingServiceLevel) => daysFromNow(clock, ESTIMATE_DAYS[level][city.trim().toLowerCase() === 'dhaka' ? 'dhaka' : 'outside']);

  const track = async (consignmentId: string, options: CarrierCallOptions): Promise<TrackingSnapshot> => {
    const response = await send({
      operation: 'order-info', method: 'GET', url: `${config.baseUrl}${API}/orders/${encodeURIComponent(consignmentId)}/info`,
      timeoutMs: options.timeoutMs, context: { orderId: options.orderId },
    });
    const { data } = parseAnswer(CARRIER, 'order-info', info, answerOf('order-info', response));
    return { trackingNumber: data.consignment_id, status: statusOf(data.order_status_slug), carrierStatus: data.order_status_slug, at: instantOf(data.updated_at, clock) };
  };

  return {
    id: CARRIER,
    serves: pathaoServes,

    async quote(request, options) {
      const response = await send({
        operation: 'price-plan', method: 'POST', url: `${config.baseUrl}${API}/merchant/price-plan`, retry: 'safe', timeoutMs: options.timeoutMs,
        body: {
          store_id: Number(config.storeId),
          item_type: 2,
          delivery_type: DELIVERY_TYPE[request.serviceLevel],
          item_weight: Math.max(0.5, request.parcel.weightGrams / 1000),
          recipient_city: await cityId(request.destination.city, options),
        },
      });
      const { data } = parseAnswer(CARRIER, 'price-plan', pricePlan, answerOf('price-plan', response));
      return { carrier: CARRIER, serviceLevel: request.serviceLevel, amount: bdt(data.final_price), estimatedDeliveryDate: estimate(request.destination.city, request.serviceLevel) };
    },

    async book(request, options) {
      const { address } = request.recipient;
      const response = await send({
        operation: 'create', method: 'POST', url: `${config.baseUrl}${API}/orders`, retry: 'never', context: { orderId: options.orderId },
        body: {
          store_id: Number(config.storeId),
          merchant_order_id: request.reference,
          recipient_name: request.recipient.name,
          recipient_phone: nationalPhone(request.recipient.phone, '880'),
          recipient_address: `${address.line1}, ${address.city} ${address.postalCode}`,
          recipient_city: await cityId(address.city, options),
          delivery_type: DELIVERY_TYPE[request.serviceLevel],
          item_type: 2,
          item_quantity: 1,
          item_weight: Math.min(10, Math.max(0.5, request.parcel.weightGrams / 1000)),
          item_description: request.description,
          amount_to_collect: Math.round(request.cashOnDelivery.value / 100),
        },
      });
      const { data } = parseAnswer(CARRIER, 'create', created, answerOf('create', response));
      return {
        trackingNumber: data.consignment_id,
        status: 'label_created',
        carrierStatus: data.order_status?.toLowerCase() ?? 'pending',
        ...(data.delivery_fee !== undefined && { cost: bdt(data.delivery_fee) }),
        estimatedDeliveryDate: estimate(address.city, request.serviceLevel),
      };
    },

    findBooking: async () => null,

    cancel: async () => ({ kind: 'unsupported', reason: 'pathao offers no cancel API; cancel the consignment in the merchant portal' }),

    track: (shipment, options) => track(shipment.trackingNumber, options),

    async readWebhook(request): Promise<WebhookNotice> {
      if (!sameSecret(request.headers['x-pathao-signature'], config.webhookSecret)) throw new UnauthorizedError('pathao webhook without the configured secret');
      const body = webhookBodyOf(webhookBody, request.body);
      if (!body) return { kind: 'ignored', reason: 'no event' };
      if (body.event === 'webhook_integration') return { kind: 'handshake' };
      // order.paid is the COD remittance, store.* are store changes: no tracking in them.
      if (!body.event.startsWith('order.') || body.event === 'order.paid' || !body.consignment_id) return { kind: 'ignored', reason: body.event };
      return { kind: 'tracking', parcel: { trackingNumber: body.consignment_id } };
    },

    // Pathao marks a delivery failed unless the answer carries this header; its own plugin answers 202.
    webhookReply: () => ({ status: 202, headers: { 'X-Pathao-Merchant-Webhook-Integration-Secret': config.webhookSecret } }),
  };
};
