import { type CarrierProtocol, type CarrierSimulator, type CarrierState, type ProtocolCall, type ProtocolAnswer, type SimulatedParcel, dayAfter, newParcel, parcelByReference, randomCode, startCarrierSimulator } from '../carrier/kit';

/*
 * A local Steadfast (portal.packzy.com/api/v1; providers/shipping-and-messaging.md §A4): Api-Key/Secret-Key headers,
 * create_order (unique invoice of letters, digits, - and _; 11-digit phones; cod_amount ≥ 0), the three status
 * lookups, and webhooks `delivery_status` with `Authorization: Bearer <token>` whose status is capitalised at random
 * ("Delivered" vs "delivered", as the portal's example and field table disagree). No cancel call: API V1 has none.
 * [weak] The duplicate-invoice and bad-address error bodies are ours: Steadfast documents neither.
 */

const SECRET = { apiKey: 'steadfast-sandbox-api-key', secretKey: 'steadfast-sandbox-secret-key', webhookToken: 'steadfast-webhook-token-c41b' };
const PROGRESSION = ['in_review', 'pending', 'delivered_approval_pending', 'delivered'];

const text = (body: Record<string, unknown> | undefined, name: string): string => (typeof body?.[name] === 'string' ? (body[name] as string) : '');

const invalid = (errors: Record<string, string[]>): ProtocolAnswer => ({ status: 400, body: { status: 400, message: 'Validation failed', errors } });

const create = (call: ProtocolCall, state: CarrierState): ProtocolAnswer => {
  const body = call.json;
  const errors: Record<string, string[]> = {};
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(text(body, 'invoice'))) errors.invoice = ['The invoice may only contain letters, numbers, dashes and underscores.'];
  else if (parcelByReference(state, text(body, 'invoice'))) errors.invoice = ['The invoice has already been taken.'];
  if (!/^01\d{9}$/.test(text(body, 'recipient_phone'))) errors.recipient_phone = ['The recipient phone must be 11 digits.'];
  if (text(body, 'recipient_name') === '' || text(body, 'recipient_name').length > 100) errors.recipient_name = ['The recipient name is required (at most 100 characters).'];
  if (text(body, 'recipient_address') === '' || text(body, 'recipient_address').length > 250) errors.recipient_address = ['The recipient address is required (at most 250 characters).'];
  if (!(typeof body?.cod_amount === 'number' && body.cod_amount >= 0)) errors.cod_amount = ['The cod amount must be at least 0.'];
  if (Object.keys(errors).length > 0) return invalid(errors);
  if (state.takeAddressRejection()) return invalid({ recipient_address: ['We do not deliver to this address.'] });
  const now = state.now();
  const consignmentId = String(100_000_000 + state.parcels.size + Math.floor(Math.random() * 1_000_000));
  const parcel = newParcel(state, {
    trackingNumber: randomCode(8),
    reference: text(body, 'invoice'),
    carrierId: consignmentId,
    carrierStatus: 'in_review',
    estimatedDelivery: dayAfter(now, /dhaka/i.test(text(body, 'recipient_address')) ? 1 : 3),
    fee: /dhaka/i.test(text(body, 'recipient_address')) ? 60 : 120,
    request: body ?? {},
  });
  return {
    status: 200,
    body: {
      status: 200,
      message: 'Consignment has been created successfully.',
      consignment: {
        consignment_id: Number(consignmentId), invoice: parcel.reference, tracking_code: parcel.trackingNumber,
        recipient_name: text(body, 'recipient_name'), recipient_phone: text(body, 'recipient_phone'), recipient_address: text(body, 'recipient_address'),
        cod_amount: body?.cod_amount, status: 'in_review', note: text(body, 'note') || null, created_at: parcel.createdAt, updated_at: parcel.updatedAt,
      },
    },
  };
};

const statusOf = (parcel: SimulatedParcel | undefined): ProtocolAnswer =>
  parcel ? { status: 200, body: { status: 200, delivery_status: parcel.carrierStatus } } : { status: 404, body: { status: 404, message: 'Consignment not found' } };

const protocol: CarrierProtocol = {
  prefix: ['api', 'v1'],
  secret: SECRET,
  progression: PROGRESSION,
  handle(call, state) {
    if (call.headers['api-key'] !== SECRET.apiKey || call.headers['secret-key'] !== SECRET.secretKey) return { status: 401, body: { status: 401, message: 'Unauthorized' } };
    const [what, key] = call.path;
    if (what === 'create_order' && call.method === 'POST' && call.path.length === 1) return create(call, state);
    if (call.method !== 'GET' || !key) return { status: 404, body: { status: 404, message: 'Not found' } };
    const parcels = [...state.parcels.values()];
    if (what === 'status_by_cid') return statusOf(parcels.find((parcel) => parcel.carrierId === key));
    if (what === 'status_by_invoice') return statusOf(parcelByReference(state, key));
    if (what === 'status_by_trackingcode') return statusOf(state.parcels.get(key));
    return { status: 404, body: { status: 404, message: 'Not found' } };
  },
  webhook: (parcel) => {
    const status = Math.random() < 0.5 ? parcel.carrierStatus : parcel.carrierStatus.replace(/^\w/, (c) => c.toUpperCase());
    return {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET.webhookToken}` },
      body: JSON.stringify({
        notification_type: 'delivery_status',
        consignment_id: Number(parcel.carrierId),
        invoice: parcel.reference,
        cod_amount: 0,
        status,
        delivery_charge: parcel.fee,
        tracking_message: `Parcel is ${parcel.carrierStatus.replace(/_/g, ' ')}`,
        updated_at: parcel.updatedAt.slice(0, 19).replace('T', ' '),
      }),
    };
  },
};

/** Starts a Steadfast simulator; its `secret` is the adapter's config for it. */
export const startSteadfastSimulator = (options: { host?: string; port?: number } = {}): Promise<CarrierSimulator> => startCarrierSimulator(protocol, options);
