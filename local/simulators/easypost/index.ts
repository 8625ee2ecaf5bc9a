import { createHmac, randomBytes } from 'node:crypto';
import { type CarrierProtocol, type CarrierSimulator, type CarrierState, type ProtocolCall, type ProtocolAnswer, type SimulatedParcel, dayAfter, moveParcel, newParcel, startCarrierSimulator } from '../carrier/kit';

/*
 * A local EasyPost /v2 (providers/shipping-and-messaging.md §A6): Basic auth with the key, shipments created with
 * rates, `buy` (an unknown rate or a second buy is refused with 422), shipment reads with the tracker, and
 * `tracker.updated` events carrying `previous_attributes.status`, signed `X-Hmac-Signature: hmac-sha256-hex=…` over
 * the raw body with the NFKD secret, and label refunds (`refund_status` submitted before the first scan, rejected after;
 * the tracker then says cancelled). [weak] Rates are ours (two USPS international services, priced by weight); a
 * second refund's 422 code and the tracker's `cancelled` after a refund are ours too.
 */

const SECRET = {
  apiKey: 'EZTK-sandbox-8c1f0e',
  webhookSecret: 'easypost-webhook-sécret',
  originName: 'Commerce Hub Fulfilment',
  originLine1: 'House 12, Road 5, Dhanmondi',
  originCity: 'Dhaka',
  originPostalCode: '1205',
  originCountry: 'BD',
  originPhone: '+8801700000000',
};
const PROGRESSION = ['pre_transit', 'in_transit', 'out_for_delivery', 'delivered'];

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const error = (status: number, code: string, message: string): ProtocolAnswer => ({ status, body: { error: { code, message, errors: [] } } });

interface SimShipment {
  id: string;
  reference?: string;
  rates: Array<{ id: string; carrier: string; service: string; rate: string; currency: string; delivery_days: number; shipment_id: string }>;
  trackingCode?: string;
  selectedRateId?: string;
  refundStatus?: 'submitted' | 'rejected';
}

const trackerOf = (parcel: SimulatedParcel) => ({
  id: `trk_${parcel.trackingNumber}`,
  object: 'Tracker',
  mode: 'test',
  tracking_code: parcel.trackingNumber,
  status: parcel.carrierStatus,
  carrier: 'USPS',
  est_delivery_date: `${parcel.estimatedDelivery}T17:00:00Z`,
  updated_at: parcel.updatedAt,
  tracking_details: parcel.history.map((entry) => ({ status: entry.status, message: entry.status.replace(/_/g, ' '), datetime: entry.at })),
});

export const startEasyPostSimulator = (options: { host?: string; port?: number } = {}): Promise<CarrierSimulator> => {
  const shipments = new Map<string, SimShipment>();

  const view = (shipment: SimShipment, state: CarrierState) => {
    const parcel = shipment.trackingCode ? state.parcels.get(shipment.trackingCode) : undefined;
    return {
      id: shipment.id,
      object: 'Shipment',
      mode: 'test',
      reference: shipment.reference ?? null,
      rates: shipment.rates,
      tracking_code: shipment.trackingCode ?? null,
      selected_rate: shipment.rates.find((rate) => rate.id === shipment.selectedRateId) ?? null,
      postage_label: parcel ? { label_url: `https://easypost.example/labels/${shipment.id}.png`, label_file_type: 'image/png' } : null,
      tracker: parcel ? trackerOf(parcel) : null,
      refund_status: shipment.refundStatus ?? null,
    };
  };

  const create = (call: ProtocolCall, state: CarrierState): ProtocolAnswer => {
    const body = (call.json?.shipment ?? {}) as Record<string, Record<string, unknown> | string | undefined>;
    const to = body.to_address as Record<string, unknown> | undefined;
    const parcel = body.parcel as Record<string, unknown> | undefined;
    const ounces = Number(parcel?.weight);
    if (!to || typeof to.country !== 'string' || typeof to.street1 !== 'string') return error(422, 'ADDRESS.COUNTRY.INVALID', 'to_address needs street1 and country');
    if (!(ounces > 0)) return error(422, 'PARCEL.WEIGHT.INVALID', 'parcel weight must be positive (oz)');
    // Quotes create shipments too; only the booking's (with a reference) may be refused as undeliverable.
    if (typeof body.reference === 'string' && state.takeAddressRejection()) return error(422, 'ADDRESS.VERIFY.FAILURE', 'Unable to verify address.');
    const shipmentId = id('shp');
    const pounds = Math.max(1, Math.ceil(ounces / 16));
    const shipment: SimShipment = {
      id: shipmentId,
      ...(typeof body.reference === 'string' && { reference: body.reference }),
      rates: [
        { id: id('rate'), carrier: 'USPS', service: 'FirstClassPackageInternationalService', rate: (14.5 + pounds * 3.25).toFixed(2), currency: 'USD', delivery_days: 9, shipment_id: shipmentId },
        { id: id('rate'), carrier: 'USPS', service: 'PriorityMailExpressInternational', rate: (42 + pounds * 6.5).toFixed(2), currency: 'USD', delivery_days: 4, shipment_id: shipmentId },
      ],
    };
    shipments.set(shipmentId, shipment);
    return { status: 201, body: view(shipment, state) };
  };

  const buy = (call: ProtocolCall, state: CarrierState, shipment: SimShipment): ProtocolAnswer => {
    if (shipment.trackingCode) return error(422, 'SHIPMENT.POSTAGE.EXISTS', 'This shipment already has postage.');
    const rateId = (call.json?.rate as Record<string, unknown> | undefined)?.id;
    const chosen = shipment.rates.find((rate) => rate.id === rateId);
    if (!chosen) return error(422, 'SHIPMENT.RATE.INVALID', 'The rate does not belong to this shipment.');
    shipment.selectedRateId = chosen.id;
    shipment.trackingCode = `EZ${String(Date.now()).slice(-8)}${randomBytes(2).toString('hex').toUpperCase()}`;
    newParcel(state, {
      trackingNumber: shipment.trackingCode,
      reference: shipment.reference ?? shipment.id,
      carrierId: shipment.id,
      carrierStatus: 'pre_transit',
      estimatedDelivery: dayAfter(state.now(), chosen.delivery_days),
      fee: Number(chosen.rate),
      request: call.json ?? {},
    });
    return { status: 200, body: view(shipment, state) };
  };

  const refund = (state: CarrierState, shipment: SimShipment): ProtocolAnswer => {
    const parcel = shipment.trackingCode ? state.parcels.get(shipment.trackingCode) : undefined;
    if (!parcel) return error(422, 'SHIPMENT.REFUND.UNAVAILABLE', 'This shipment has no postage to refund.');
    if (shipment.refundStatus === 'submitted') return error(422, 'SHIPMENT.REFUND.ALREADY_SUBMITTED', 'A refund was already submitted for this shipment.');
    // The carrier has scanned the parcel once it left pre_transit: too late for a refund.
    shipment.refundStatus = parcel.carrierStatus === 'pre_transit' ? 'submitted' : 'rejected';
    if (shipment.refundStatus === 'submitted') moveParcel(state, parcel, 'cancelled');
    return { status: 200, body: view(shipment, state) };
  };

  const protocol: CarrierProtocol = {
    prefix: ['v2'],
    secret: SECRET,
    progression: PROGRESSION,
    handle(call, state) {
      if (call.headers.authorization !== `Basic ${Buffer.from(`${SECRET.apiKey}:`).toString('base64')}`) return error(401, 'APIKEY.INVALID', 'Invalid API key.');
      const [what, shipmentId, action] = call.path;
      if (what !== 'shipments') return error(404, 'NOT_FOUND', 'The requested resource could not be found.');
      if (!shipmentId && call.method === 'POST') return create(call, state);
      const shipment = shipmentId ? shipments.get(shipmentId) : undefined;
      if (!shipment) return error(404, 'SHIPMENT.NOT_FOUND', 'The requested shipment could not be found.');
      if (action === 'buy' && call.method === 'POST') return buy(call, state, shipment);
      if (action === 'refund' && call.method === 'POST') return refund(state, shipment);
      if (!action && call.method === 'GET') return { status: 200, body: view(shipment, state) };
      return error(404, 'NOT_FOUND', 'The requested resource could not be found.');
    },
    webhook: (parcel, previous) => {
      const body = JSON.stringify({
        object: 'Event',
        id: id('evt'),
        mode: 'test',
        description: 'tracker.updated',
        status: 'pending',
        previous_attributes: { status: previous },
        result: trackerOf(parcel),
        created_at: parcel.updatedAt,
      });
      const signature = createHmac('sha256', Buffer.from(SECRET.webhookSecret.normalize('NFKD'), 'utf8')).update(body, 'utf8').digest('hex');
      return { headers: { 'content-type': 'application/json', 'x-hmac-signature': `hmac-sha256-hex=${signature}` }, body };
    },
  };
  return startCarrierSimulator(protocol, options);
};
