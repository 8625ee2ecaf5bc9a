/**
 * GHN (Giao Hàng Nhanh, Vietnam). Wire facts: shared/design/providers/shipping-and-messaging.md §A1; a fact marked
 * [weak] there is [weak] here.
 *
 * Static `Token` + `ShopId` headers; JSON envelope `{code, message, data}`. `client_order_code` must be unique, so it
 * is our idempotency key: a repeated create is refused and answered from detail-by-client-code. GHN does not sign
 * its callbacks: a webhook is only a hint, the order is re-fetched from `/detail` before we believe it. Cancel is
 * `/switch-status/cancel` with `order_codes` [lib], allowed before pickup only [observed].
 */
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../_platform/clock';
import { ProviderRetryableError } from '../../_platform/errors';
import type { HttpClient, HttpResponse } from '../../_platform/http-client';
import { money } from '../../_platform/money';
import type { ShippingServiceLevel } from '../../checkout/domain/model';
import type { ShipmentStatus } from '../domain/model';
import type { Booking, Carrier, CarrierCallOptions, TrackingSnapshot, WebhookNotice } from '../domain/ports';
import { jsonObjectOf, nationalPhone, nonEmpty, parseAnswer, refused, webhookBodyOf } from './wire';

const CARRIER = 'ghn';
const API = '/shiip/public-api/v2';

/** The GHN provider secret. */
export const ghnConfig = z.object({ baseUrl: z.url(), token: nonEmpty(), shopId: nonEmpty() });
export type GhnConfig = z.output<typeof ghnConfig>;

/**
 * Our service levels as GHN service types. [weak] 2 = e-commerce (light) is documented; 1 = Express comes from an
 * older SDK enum only.
 */
const SERVICE_TYPE: Readonly<Record<ShippingServiceLevel, number>> = { standard: 2, express: 1 };

/** GHN statuses (detail.status, webhook Status) onto ours. `waiting_to_return` is not a return yet. */
const STATUS: Readonly<Record<string, ShipmentStatus>> = {
  ready_to_pick: 'label_created',
  picking: 'label_created',
  money_collect_picking: 'label_created',
  picked: 'picked_up',
  storing: 'in_transit',
  transporting: 'in_transit',
  sorting: 'in_transit',
  delivering: 'out_for_delivery',
  money_collect_delivering: 'out_for_delivery',
  delivered: 'delivered',
  delivery_fail: 'delivery_failed',
  waiting_to_return: 'delivery_failed',
  return: 'returning',
  return_transporting: 'returning',
  return_sorting: 'returning',
  returning: 'returning',
  return_fail: 'exception',
  returned: 'returned',
  cancel: 'cancelled',
  exception: 'exception',
  damage: 'exception',
  lost: 'exception',
};
const statusOf = (code: string): ShipmentStatus => STATUS[code] ?? 'unknown';

const envelope = z.object({ code: z.number(), message: z.optional(z.string()), data: z.optional(z.unknown()) });
const feeData = z.object({ total: z.number() });
const leadtimeData = z.object({ leadtime: z.number() });
const createData = z.object({ order_code: nonEmpty(), total_fee: z.optional(z.number()), expected_delivery_time: z.optional(z.string()) });
const detailData = z.object({
  order_code: nonEmpty(),
  client_order_code: z.optional(z.string()),
  status: nonEmpty(),
  leadtime: z.optional(z.string()),
  updated_date: z.optional(z.string()),
  log: z.optional(z.array(z.object({ status: z.string(), updated_date: z.string() }))),
});
/** [lib] one entry per order code; `result` is a boolean in some SDKs and a string in others. */
const cancelData = z.array(z.object({ order_code: z.string(), result: z.union([z.boolean(), z.string()]), message: z.optional(z.string()) }));
const webhookBody = z.object({ OrderCode: nonEmpty(), ClientOrderCode: z.optional(z.string()), Type: z.optional(z.string()) });

/** Is this 400 GHN's "client_order_code already exists"? [weak] the exact text is not documented; matched loosely. */
const isDuplicate = (message: string | undefined): boolean => /client_order_code|đã tồn tại|exist/i.test(message ?? '');

const day = (iso: string | undefined): string | undefined => (iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso).toISOString().slice(0, 10) : undefined);

/** Where the carrier delivers (known without its credentials). */
export const ghnServes: Carrier['serves'] = (country) => country === 'VN';

/** The GHN Carrier. */
export const createGhnCarrier = (config: GhnConfig, http: HttpClient, clock: Clock = systemClock): Carrier => {
  const headers = { token: config.token, shopid: config.shopId };

  /** One JSON call; resolves with the envelope's `data` on code 200 and throws the classified error otherwise. */
  const call = async (operation: string, path: string, body: Record<string, unknown>, options: CarrierCallOptions & { retry?: 'safe' | 'never' }) => {
    const response: HttpResponse = await http.send({
      provider: CARRIER, operation, method: 'POST', url: `${config.baseUrl}${API}${path}`, headers, body,
      retry: options.retry ?? 'safe', timeoutMs: options.timeoutMs, sensitiveFields: ['token', 'to_phone', 'to_name', 'to_address'],
      context: { orderId: options.orderId },
    });
    const answer = parseAnswer(CARRIER, operation, envelope, jsonObjectOf(response));
    if (response.status === 200 && answer.code === 200) return { data: answer.data, duplicate: false };
    if (response.status === 400 && isDuplicate(answer.message)) return { data: undefined, duplicate: true };
    if (response.status === 401 || response.status === 403) throw refused(CARRIER, `ghn ${operation}: credentials refused (${answer.message ?? response.status})`);
    throw refused(CARRIER, `ghn ${operation} refused: ${answer.message ?? `HTTP ${response.status}`}`);
  };

  const detail = async (path: string, body: Record<string, unknown>, options: CarrierCallOptions) => {
    const { data } = await call('detail', path, body, options);
    return parseAnswer(CARRIER, 'detail', detailData, data);
  };

  const snapshotOf = (order: z.output<typeof detailData>): TrackingSnapshot => ({
    trackingNumber: order.order_code,
    status: statusOf(order.status),
    carrierStatus: order.status,
    at: order.log?.at(-1)?.updated_date ?? order.updated_date ?? clock.now().toISOString(),
    ...(day(order.leadtime) !== undefined && { estimatedDeliveryDate: day(order.leadtime) }),
  });

  const bookingOf = (order: z.output<typeof detailData>): Booking => {
    const snapshot = snapshotOf(order);
    return { trackingNumber: order.order_code, status: snapshot.status, carrierStatus: order.status, estimatedDeliveryDate: snapshot.estimatedDeliveryDate };
  };

  const findBooking = async (reference: string, options: CarrierCallOptions): Promise<Booking | undefined> => {
    try {
      return bookingOf(await detail('/shipping-order/detail-by-client-code', { client_order_code: reference }, options));
    } catch (error) {
      if (error instanceof ProviderRetryableError) throw error;
      return undefined;
    }
  };

  return {
    id: CARRIER,
    serves: ghnServes,

    async quote(request, options) {
      // [weak] addresses by name (as some integrations send them) instead of GHN's district/ward ids: no master-data lookup yet.
      const route = { to_province_name: request.destination.city, to_district_name: request.destination.city, service_type_id: SERVICE_TYPE[request.serviceLevel] };
      const parcel = { weight: request.parcel.weightGrams, length: request.parcel.dimensionsCm.l, width: request.parcel.dimensionsCm.w, height: request.parcel.dimensionsCm.h };
      const [fee, leadtime] = await Promise.all([
        call('fee', '/shipping-order/fee', { ...route, ...parcel, insurance_value: 0 }, options),
        call('leadtime', '/shipping-order/leadtime', route, options),
      ]);
      const { total } = parseAnswer(CARRIER, 'fee', feeData, fee.data);
      const { leadtime: seconds } = parseAnswer(CARRIER, 'leadtime', leadtimeData, leadtime.data);
      return {
        carrier: CARRIER,
        serviceLevel: request.serviceLevel,
        amount: money(Math.round(total), 'VND'),
        estimatedDeliveryDate: new Date(seconds * 1000).toISOString().slice(0, 10),
      };
    },

    async book(request, options) {
      const { address } = request.recipient;
      const created = await call('create', '/shipping-order/create', {
        client_order_code: request.reference,
        to_name: request.recipient.name,
        to_phone: nationalPhone(request.recipient.phone, '84'),
        to_address: `${address.line1}, ${address.city}`,
        to_province_name: address.city,
        to_district_name: address.city,
        weight: request.parcel.weightGrams,
        length: request.parcel.dimensionsCm.l,
        width: request.parcel.dimensionsCm.w,
        height: request.parcel.dimensionsCm.h,
        service_type_id: SERVICE_TYPE[request.serviceLevel],
        payment_type_id: 1,
        required_note: 'KHONGCHOXEMHANG',
        cod_amount: request.cashOnDelivery.value,
        content: request.description,
      }, { ...options, retry: 'safe' });
      if (created.duplicate) {
        const existing = await findBooking(request.reference, options);
        if (!existing) throw new ProviderRetryableError(CARRIER, `ghn says ${request.reference} exists but does not find it`);
        return existing;
      }
      const data = parseAnswer(CARRIER, 'create', createData, created.data);
      return {
        trackingNumber: data.order_code,
        status: 'label_created',
        carrierStatus: 'ready_to_pick',
        ...(data.total_fee !== undefined && { cost: money(Math.round(data.total_fee), 'VND') }),
        ...(day(data.expected_delivery_time) !== undefined && { estimatedDeliveryDate: day(data.expected_delivery_time) }),
      };
    },

    findBooking,

    async cancel(shipment, options) {
      const { data } = await call('cancel', '/switch-status/cancel', { order_codes: [shipment.trackingNumber] }, { ...options, retry: 'safe' });
      const entry = parseAnswer(CARRIER, 'cancel', cancelData, data).find((each) => each.order_code === shipment.trackingNumber);
      if (entry && (entry.result === true || entry.result === 'true')) return { kind: 'cancelled', carrierStatus: 'cancel', at: clock.now().toISOString() };
      // [weak] what GHN answers for an order cancelled before is not documented: the order's own status settles it.
      const current = await detail('/shipping-order/detail', { order_code: shipment.trackingNumber }, options);
      if (current.status === 'cancel') return { kind: 'cancelled', carrierStatus: 'cancel', at: snapshotOf(current).at };
      throw refused(CARRIER, `ghn does not cancel ${shipment.trackingNumber} (${current.status}): ${entry?.message ?? 'no result'}`);
    },

    track: async (shipment, options) => snapshotOf(await detail('/shipping-order/detail', { order_code: shipment.trackingNumber }, options)),

    async readWebhook(request): Promise<WebhookNotice> {
      // No signature exists: the body only names the order, which the caller re-fetches.
      const body = webhookBodyOf(webhookBody, request.body);
      if (!body) return { kind: 'ignored', reason: 'no OrderCode' };
      return { kind: 'tracking', parcel: { trackingNumber: body.OrderCode } };
    },

    // GHN retries until it gets a 200 [weak: 10 x 5 s, third-party spec].
    webhookReply: () => ({ status: 200, body: { code: 200, message: 'Success' } }),
  };
};
