import { type CarrierProtocol, type CarrierSimulator, type CarrierState, type ProtocolCall, type ProtocolAnswer, type SimulatedParcel, dayAfter, moveParcel, newParcel, parcelByReference, randomCode, startCarrierSimulator } from '../carrier/kit';

/*
 * A local GHN under /shiip/public-api (providers/shipping-and-messaging.md §A1): Token + ShopId headers, the
 * `{code, message, data}` envelope, fee, leadtime, create (client_order_code unique), detail and
 * detail-by-client-code, switch-status/cancel (before pickup only), and unsigned JSON callbacks (`Type: switch_status`) to the configured webhook URL.
 * [weak] in the simulator as in the adapter: the duplicate and bad-address messages and code_message values, the
 * service_type_id 1 = express, the answer to cancelling an order cancelled before (`result: false`, as for any
 * refusal), and the tariff (GHN publishes none through the API; ours is a plausible one).
 * Addresses come by province/district name here, not GHN's numeric master-data ids.
 */

const SECRET = { token: 'ghn-sandbox-token-7f3a', shopId: '885123' };
const PROGRESSION = ['ready_to_pick', 'picking', 'picked', 'storing', 'transporting', 'delivering', 'delivered'];
/** Provinces GHN delivers inside the city it picks up in (lower fee, shorter lead time). */
const INNER = /h[oồ] ch[ií] minh|hcm|h[aà] n[oộ]i|hanoi/i;

const ok = (data: unknown): ProtocolAnswer => ({ status: 200, body: { code: 200, message: 'Success', data } });
const fail = (status: number, message: string, codeMessage?: string): ProtocolAnswer => ({
  status,
  body: { code: status, message, data: null, ...(codeMessage && { code_message: codeMessage }) },
});

const text = (body: Record<string, unknown> | undefined, name: string): string => (typeof body?.[name] === 'string' ? (body[name] as string) : '');
const num = (body: Record<string, unknown> | undefined, name: string): number => (typeof body?.[name] === 'number' ? (body[name] as number) : Number.NaN);

/** GHN's converted weight (volumetric l·w·h/5000 kg, in grams) against the actual one. */
const convertedWeight = (body: Record<string, unknown> | undefined): number =>
  Math.max(num(body, 'weight'), Math.ceil((num(body, 'length') * num(body, 'width') * num(body, 'height')) / 5)) || 0;

/** Our tariff: a base per service and area, plus 5 000 VND per started 500 g past the first 500 g. */
const feeOf = (body: Record<string, unknown> | undefined): number => {
  const inner = INNER.test(text(body, 'to_province_name'));
  const express = num(body, 'service_type_id') === 1;
  const base = express ? (inner ? 35_000 : 45_000) : inner ? 22_000 : 30_000;
  return base + Math.max(0, Math.ceil((convertedWeight(body) - 500) / 500)) * 5_000;
};

const leadDays = (body: Record<string, unknown> | undefined): number => {
  const inner = INNER.test(text(body, 'to_province_name'));
  return num(body, 'service_type_id') === 1 ? (inner ? 1 : 2) : inner ? 2 : 4;
};

const detailOf = (parcel: SimulatedParcel) => ({
  order_code: parcel.trackingNumber,
  client_order_code: parcel.reference,
  status: parcel.carrierStatus,
  leadtime: `${parcel.estimatedDelivery}T10:00:00Z`,
  updated_date: parcel.updatedAt,
  total_fee: parcel.fee,
  log: parcel.history.map((entry) => ({ status: entry.status, updated_date: entry.at })),
});

const create = (call: ProtocolCall, state: CarrierState): ProtocolAnswer => {
  const body = call.json;
  const missing = ['client_order_code', 'to_name', 'to_phone', 'to_address', 'to_province_name', 'to_district_name'].filter((name) => text(body, name) === '');
  if (missing.length > 0) return fail(400, `missing ${missing.join(', ')}`, 'USER_ERR_COMMON');
  if (!/^0\d{9}$/.test(text(body, 'to_phone'))) return fail(400, 'to_phone is invalid', 'USER_ERR_COMMON');
  const weight = num(body, 'weight');
  if (!(weight > 0 && weight <= 50_000)) return fail(400, 'weight must be 1 to 50000 g', 'USER_ERR_COMMON');
  if (parcelByReference(state, text(body, 'client_order_code'))) return fail(400, 'client_order_code đã tồn tại (already exists)', 'ORDER_CODE_EXISTED');
  if (state.takeAddressRejection()) return fail(400, 'Địa chỉ giao hàng không hợp lệ (to_address is not deliverable)', 'INVALID_ADDRESS');
  const fee = feeOf(body);
  const estimatedDelivery = dayAfter(state.now(), leadDays(body));
  const parcel = newParcel(state, {
    trackingNumber: `L${randomCode(7)}`,
    reference: text(body, 'client_order_code'),
    carrierStatus: 'ready_to_pick',
    estimatedDelivery,
    fee,
    request: body ?? {},
  });
  return ok({ order_code: parcel.trackingNumber, sort_code: '19-70-10', trans_type: 'truck', total_fee: fee, expected_delivery_time: `${estimatedDelivery}T10:00:00Z` });
};

/** Statuses GHN still cancels: the parcel has not been picked up. */
const CANCELLABLE = new Set(['ready_to_pick', 'picking', 'money_collect_picking']);

const cancel = (call: ProtocolCall, state: CarrierState): ProtocolAnswer => {
  const codes = Array.isArray(call.json?.order_codes) ? (call.json.order_codes as unknown[]).filter((code): code is string => typeof code === 'string') : [];
  if (codes.length === 0) return fail(400, 'order_codes is required', 'USER_ERR_COMMON');
  return ok(codes.map((code) => {
    const parcel = state.parcels.get(code);
    if (!parcel) return { order_code: code, result: false, message: 'Order not found' };
    if (!CANCELLABLE.has(parcel.carrierStatus)) return { order_code: code, result: false, message: `Đơn hàng ở trạng thái ${parcel.carrierStatus} không thể hủy (cannot cancel)` };
    moveParcel(state, parcel, 'cancel');
    return { order_code: code, result: true, message: 'OK' };
  }));
};

const protocol: CarrierProtocol = {
  prefix: ['shiip', 'public-api'],
  secret: SECRET,
  progression: PROGRESSION,
  handle(call, state) {
    if (call.headers.token !== SECRET.token) return fail(401, 'Token is not valid!');
    if (call.headers.shopid !== SECRET.shopId) return fail(401, 'ShopId is not valid!');
    if (call.method !== 'POST') return fail(405, 'method not allowed');
    const route = call.path.join('/');
    if (route === 'v2/shipping-order/fee') return ok({ total: feeOf(call.json), service_fee: feeOf(call.json), insurance_fee: 0 });
    if (route === 'v2/shipping-order/leadtime') {
      return ok({ leadtime: Math.floor(Date.parse(`${dayAfter(state.now(), leadDays(call.json))}T10:00:00Z`) / 1000) });
    }
    if (route === 'v2/shipping-order/create') return create(call, state);
    if (route === 'v2/switch-status/cancel') return cancel(call, state);
    if (route === 'v2/shipping-order/detail') {
      const parcel = state.parcels.get(text(call.json, 'order_code'));
      return parcel ? ok(detailOf(parcel)) : fail(400, 'Order not found', 'ORDER_NOT_FOUND');
    }
    if (route === 'v2/shipping-order/detail-by-client-code') {
      const parcel = parcelByReference(state, text(call.json, 'client_order_code'));
      return parcel ? ok(detailOf(parcel)) : fail(400, 'Order not found', 'ORDER_NOT_FOUND');
    }
    return fail(404, `no route ${route}`);
  },
  webhook: (parcel) => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      Type: 'switch_status',
      OrderCode: parcel.trackingNumber,
      ClientOrderCode: parcel.reference,
      Status: parcel.carrierStatus,
      Time: parcel.updatedAt,
      ShopID: Number(SECRET.shopId),
      CODAmount: 0,
      TotalFee: parcel.fee,
      Description: '',
      Reason: '',
      ReasonCode: '',
    }),
  }),
};

/** Starts a GHN simulator; its `secret` is the adapter's config for it. */
export const startGhnSimulator = (options: { host?: string; port?: number } = {}): Promise<CarrierSimulator> => startCarrierSimulator(protocol, options);
