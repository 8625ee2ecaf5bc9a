import { randomBytes } from 'node:crypto';
import { type CarrierProtocol, type CarrierSimulator, type CarrierState, type ProtocolCall, type ProtocolAnswer, dayAfter, newParcel, randomCode, startCarrierSimulator } from '../carrier/kit';

/*
 * A local Pathao merchant API under /aladdin/api/v1 (providers/shipping-and-messaging.md §A3): the password and
 * refresh-token grants of /issue-token (5-day tokens; an unknown or expired token gets 401), city list, price plan,
 * create order (field rules of the docs: 11-digit 01… phones, address 10–220, weight 0.5–10 kg, delivery_type 48|12),
 * order info, and webhooks `order.<status>` carrying the shared secret in X-PATHAO-Signature. No cancel call: the
 * merchant API documents none.
 * [weak] The tariff is ours (Pathao publishes it per merchant), and so are the consignment id's letters.
 */

const SECRET = {
  clientId: 'pathao-sandbox-client',
  clientSecret: 'pathao-sandbox-client-secret-91c2',
  username: 'merchant@example.com',
  password: 'pathao-sandbox-password',
  storeId: '10231',
  webhookSecret: 'pathao-webhook-secret-5e1d',
};
const PROGRESSION = ['pending', 'picked', 'at-the-sorting-hub', 'in-transit', 'received-at-last-mile-hub', 'assigned-for-delivery', 'delivered'];
const CITIES = ['Dhaka', 'Chattogram', 'Sylhet', 'Khulna', 'Rajshahi', 'Narayanganj', 'Gazipur', 'Barishal', 'Rangpur', 'Mymensingh'].map((name, index) => ({
  city_id: index + 1,
  city_name: name,
}));
const DHAKA = 1;
const TOKEN_SECONDS = 432_000;

const ok = (data: unknown, message = 'Success'): ProtocolAnswer => ({ status: 200, body: { message, type: 'success', code: 200, data } });
const fail = (status: number, message: string, errors?: Record<string, string[]>): ProtocolAnswer => ({
  status,
  body: { message, type: 'error', code: status, ...(errors && { errors }) },
});

const text = (body: Record<string, unknown> | undefined, name: string): string => (typeof body?.[name] === 'string' ? (body[name] as string) : '');
const num = (body: Record<string, unknown> | undefined, name: string): number => (typeof body?.[name] === 'number' ? (body[name] as number) : Number.NaN);

/** Our tariff in BDT: 60 inside Dhaka, 110 outside, +15 per started kg past the first, on-demand +50. */
const priceOf = (body: Record<string, unknown> | undefined): number =>
  (num(body, 'recipient_city') === DHAKA ? 60 : 110) + Math.max(0, Math.ceil(num(body, 'item_weight') - 1)) * 15 + (num(body, 'delivery_type') === 12 ? 50 : 0);

/** Field rules of the create call; each broken rule listed under its field, as Pathao's 422 does. */
const createErrors = (body: Record<string, unknown> | undefined): Record<string, string[]> => {
  const errors: Record<string, string[]> = {};
  const rule = (field: string, valid: boolean, message: string) => {
    if (!valid) errors[field] = [message];
  };
  rule('store_id', String(num(body, 'store_id')) === SECRET.storeId, 'The selected store id is invalid.');
  rule('recipient_name', text(body, 'recipient_name').length >= 3 && text(body, 'recipient_name').length <= 100, 'The recipient name must be between 3 and 100 characters.');
  rule('recipient_phone', /^01\d{9}$/.test(text(body, 'recipient_phone')), 'The recipient phone format is invalid.');
  rule('recipient_address', text(body, 'recipient_address').length >= 10 && text(body, 'recipient_address').length <= 220, 'The recipient address must be between 10 and 220 characters.');
  rule('delivery_type', [48, 12].includes(num(body, 'delivery_type')), 'The selected delivery type is invalid.');
  rule('item_type', [1, 2].includes(num(body, 'item_type')), 'The selected item type is invalid.');
  rule('item_weight', num(body, 'item_weight') >= 0.5 && num(body, 'item_weight') <= 10, 'The item weight must be between 0.5 and 10.');
  return errors;
};

const mysqlTime = (iso: string): string => new Date(Date.parse(iso) + 6 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

export const startPathaoSimulator = (options: { host?: string; port?: number } = {}): Promise<CarrierSimulator> => {
  /** access token → expiry (epoch ms); refresh tokens are single-use. */
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Set<string>();

  const issue = (): ProtocolAnswer => {
    const access = randomBytes(24).toString('base64url');
    const refresh = randomBytes(24).toString('base64url');
    accessTokens.set(access, Date.now() + TOKEN_SECONDS * 1000);
    refreshTokens.add(refresh);
    return { status: 200, body: { token_type: 'Bearer', expires_in: TOKEN_SECONDS, access_token: access, refresh_token: refresh } };
  };

  const issueToken = (call: ProtocolCall): ProtocolAnswer => {
    const body = call.json;
    if (text(body, 'client_id') !== SECRET.clientId || text(body, 'client_secret') !== SECRET.clientSecret) return fail(401, 'Invalid client credentials');
    if (text(body, 'grant_type') === 'password') {
      return text(body, 'username') === SECRET.username && text(body, 'password') === SECRET.password ? issue() : fail(401, 'Invalid user credentials');
    }
    if (text(body, 'grant_type') === 'refresh_token' && refreshTokens.delete(text(body, 'refresh_token'))) return issue();
    return fail(400, 'The grant type is unsupported or the refresh token is invalid');
  };

  const create = (call: ProtocolCall, state: CarrierState): ProtocolAnswer => {
    const errors = createErrors(call.json);
    if (Object.keys(errors).length > 0) return fail(422, 'Please fix the given errors', errors);
    if (state.takeAddressRejection()) return fail(422, 'Please fix the given errors', { recipient_address: ['Delivery is not available in this area.'] });
    const now = state.now();
    const fee = priceOf(call.json);
    const parcel = newParcel(state, {
      trackingNumber: `DL${mysqlTime(now.toISOString()).slice(2, 10).replace(/-/g, '')}${randomCode(6)}`,
      reference: text(call.json, 'merchant_order_id'),
      carrierStatus: 'pending',
      estimatedDelivery: dayAfter(now, num(call.json, 'recipient_city') === DHAKA ? 2 : 4),
      fee,
      request: call.json ?? {},
    });
    return ok({ consignment_id: parcel.trackingNumber, merchant_order_id: parcel.reference, order_status: 'Pending', delivery_fee: fee }, 'Order Created Successfully');
  };

  const protocol: CarrierProtocol = {
    prefix: ['aladdin', 'api', 'v1'],
    secret: SECRET,
    progression: PROGRESSION,
    handle(call, state) {
      const route = call.path.join('/');
      if (route === 'issue-token' && call.method === 'POST') return issueToken(call);
      const bearer = /^Bearer (.+)$/.exec(String(call.headers.authorization ?? ''))?.[1] ?? '';
      if ((accessTokens.get(bearer) ?? 0) < Date.now()) return fail(401, 'Unauthenticated.');
      if (route === 'city-list' && call.method === 'GET') return ok({ data: CITIES });
      if (route === 'merchant/price-plan' && call.method === 'POST') {
        const price = priceOf(call.json);
        return ok({ price, discount: 0, promo_discount: 0, plan_id: 69, cod_enabled: 1, cod_percentage: 0.01, additional_charge: 0, final_price: price });
      }
      if (route === 'orders' && call.method === 'POST') return create(call, state);
      if (call.path[0] === 'orders' && call.path[2] === 'info' && call.method === 'GET') {
        const parcel = state.parcels.get(call.path[1]);
        if (!parcel) return fail(404, 'Order not found');
        return ok({
          consignment_id: parcel.trackingNumber,
          merchant_order_id: parcel.reference,
          order_status: parcel.carrierStatus.replace(/-/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
          order_status_slug: parcel.carrierStatus,
          updated_at: mysqlTime(parcel.updatedAt),
          invoice_id: null,
        });
      }
      return fail(404, 'no Route matched with those values');
    },
    webhook: (parcel) => ({
      headers: { 'content-type': 'application/json', 'x-pathao-signature': SECRET.webhookSecret },
      body: JSON.stringify({
        event: `order.${parcel.carrierStatus}`,
        consignment_id: parcel.trackingNumber,
        merchant_order_id: parcel.reference,
        store_id: Number(SECRET.storeId),
        updated_at: mysqlTime(parcel.updatedAt),
        timestamp: parcel.updatedAt,
      }),
    }),
  };
  return startCarrierSimulator(protocol, options);
};
