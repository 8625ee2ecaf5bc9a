import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { money } from '../../../functions/_platform/money';
import { dynamoOrderRepository } from '../../../functions/checkout/adapters/order-repository.dynamo';
import { createOrder, markPaid } from '../../../functions/checkout/domain/order';
import { operatorFetch } from '../../../local/runtime/operator-client';
import { awsClientConfig, eventually, localEndpoints, resource, runScheduledRule } from '../../support/local-stack';
import { json, storeApi } from '../../support/store-api';

const endpoints = localEndpoints();
const api = endpoints.api.url;
const storeKey = endpoints.apiKeys[0].value;
const operator = { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey };
const sns = new SNSClient(awsClientConfig(endpoints));
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(endpoints, 'dynamodb')));
const orders = dynamoOrderRepository(ddb, resource(endpoints, 'Stateful/OrdersTable').ref);
const topicArn = resource(endpoints, 'Stateful/EventsTopic').ref;
const simulator = (carrier: string) => endpoints.simulators[carrier];

interface ShipmentView { shipmentId: string; carrier: string; trackingNumber: string; status: string; events: Array<{ at: string; status: string; source: string }> }
interface SimulatedParcel { reference: string; trackingNumber: string; carrierStatus: string }

const control = async (carrier: string, path: string, body?: unknown) => {
  const response = await fetch(`${simulator(carrier)}/__control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  if (response.status >= 300) throw new Error(`${carrier} control ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : ((await response.json()) as Record<string, unknown>);
};
const parcelsAt = async (carrier: string, reference: string) => {
  const state = (await (await fetch(`${simulator(carrier)}/__control/state`)).json()) as { parcels: SimulatedParcel[] };
  return state.parcels.filter((parcel) => parcel.reference === reference);
};
const setCarriers = async (sellerId: string, carriers: unknown[]) => {
  const response = await operatorFetch(`${api}/sellers/${sellerId}/carriers`, { method: 'PUT', body: { carriers } }, operator);
  expect(response.status).toBe(200);
};

/** A paid order of one item of a fresh seller, written as the payment saga leaves it, and its order.paid published. */
const aPaidOrder = async (sellerId: string, address: { line1: string; city: string; postalCode: string; country: string }, phone: string) => {
  const orderId = `ord_${randomUUID().replace(/-/g, '').slice(0, 26)}`;
  const at = new Date().toISOString();
  const placed = createOrder({
    orderId,
    buyer: { name: 'Rahim Uddin', email: 'rahim@example.com', phone, address },
    items: [{ sku: 'SHIP-TEST', title: 'Cotton T-shirt', sellerId, quantity: 2, unitPrice: money(120_000, 'BDT'), weightGrams: 240, dimensionsCm: { l: 32, w: 26, h: 2 } }],
    amount: money(240_000, 'BDT'),
    shipping: { serviceLevel: 'standard' },
    paymentMethod: 'bkash',
  }, at);
  await orders.create(markPaid(placed, { paymentId: placed.currentPaymentId, at }));
  return orderId;
};
const publishPaid = (orderId: string, eventId = `evt_${randomUUID()}`) =>
  sns.send(new PublishCommand({
    TopicArn: topicArn,
    Message: JSON.stringify({ id: eventId, type: 'order.paid', version: 1, occurredAt: new Date().toISOString(), orderId, data: {} }),
    MessageAttributes: { type: { DataType: 'String', StringValue: 'order.paid' } },
  }));
const shipmentsOf = async (orderId: string): Promise<ShipmentView[]> => {
  const response = await fetch(`${api}/orders/${orderId}/shipments`, { headers: { 'x-api-key': storeKey } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { shipments: ShipmentView[] }).shipments;
};
const booked = (orderId: string) => eventually(async () => ((await shipmentsOf(orderId))[0]?.trackingNumber ? shipmentsOf(orderId) : undefined), `a shipment of ${orderId}`);
const statusOf = async (orderId: string) => (await orders.get(orderId))?.order.status;

const DHAKA = { line1: 'House 12, Road 5, Dhanmondi', city: 'Dhaka', postalCode: '1205', country: 'BD' };
const LONDON = { line1: '221B Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' };

afterAll(() => { sns.destroy(); ddb.destroy(); });

describe('shipments booked on order.paid', () => {
  it('books at the seller\'s preferred carrier, with the weight from the items, and the order stays paid until the carrier has it', async () => {
    const sellerId = `seller-${randomUUID()}`;
    await setCarriers(sellerId, [{ carrier: 'steadfast', priority: 1 }, { carrier: 'pathao', priority: 2 }]);
    const orderId = await aPaidOrder(sellerId, DHAKA, '+8801712345678');
    await publishPaid(orderId);
    const [shipment] = await booked(orderId);
    expect(shipment).toMatchObject({ carrier: 'steadfast', status: 'label_created' });
    const [parcel] = (await parcelsAt('steadfast', shipment.shipmentId)) as Array<{ trackingNumber: string; request?: unknown }>;
    expect(parcel.trackingNumber).toBe(shipment.trackingNumber);
    expect(await statusOf(orderId)).toBe('paid');
  });

  it('books once per order however often order.paid arrives', async () => {
    const sellerId = `seller-${randomUUID()}`;
    await setCarriers(sellerId, [{ carrier: 'steadfast', priority: 1 }]);
    const orderId = await aPaidOrder(sellerId, DHAKA, '+8801712345678');
    const eventId = `evt_${randomUUID()}`;
    await Promise.all([publishPaid(orderId, eventId), publishPaid(orderId, eventId), publishPaid(orderId), publishPaid(orderId)]);
    const [shipment] = await booked(orderId);
    // Let every delivery be handled before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await shipmentsOf(orderId)).toHaveLength(1);
    expect(await parcelsAt('steadfast', shipment.shipmentId)).toHaveLength(1);
  });
});

describe('tracking', () => {
  it('follows the carrier\'s signed webhooks to delivered, ignores a late in_transit, and delivers the order', async () => {
    const sellerId = `seller-${randomUUID()}`;
    await setCarriers(sellerId, [{ carrier: 'easypost', priority: 1 }]);
    const orderId = await aPaidOrder(sellerId, LONDON, '+447700900123');
    await publishPaid(orderId);
    const [shipment] = await booked(orderId);
    for (const status of ['in_transit', 'out_for_delivery', 'delivered', 'in_transit']) {
      expect(await control('easypost', `shipments/${shipment.trackingNumber}/advance`, { status })).toMatchObject({ webhook: { status: 200 } });
    }
    const [after] = await shipmentsOf(orderId);
    expect(after.status).toBe('delivered');
    expect(after.events.map((event) => event.status)).toEqual(['label_created', 'in_transit', 'out_for_delivery', 'delivered']);
    expect(await statusOf(orderId)).toBe('delivered');
    const order = (await (await fetch(`${api}/orders/${orderId}`, { headers: { 'x-api-key': storeKey } })).json()) as { shipments: unknown[] };
    expect(order.shipments).toEqual([{
      shipmentId: shipment.shipmentId, carrier: 'easypost', trackingNumber: shipment.trackingNumber, status: 'delivered',
      events: after.events.map(({ at, status }) => ({ at, status })),
    }]);
  });

  it('rejects a forged webhook (bad signature, wrong token, unknown parcel) with 401 and changes nothing', async () => {
    const sellerId = `seller-${randomUUID()}`;
    await setCarriers(sellerId, [{ carrier: 'easypost', priority: 1 }]);
    const orderId = await aPaidOrder(sellerId, LONDON, '+447700900123');
    await publishPaid(orderId);
    const [shipment] = await booked(orderId);
    const forged = JSON.stringify({ object: 'Event', description: 'tracker.updated', result: { tracking_code: shipment.trackingNumber, status: 'delivered' } });
    const easypost = await fetch(`${api}/webhooks/easypost`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hmac-signature': `hmac-sha256-hex=${'0'.repeat(64)}` }, body: forged });
    expect(easypost.status).toBe(401);
    const steadfast = await fetch(`${api}/webhooks/steadfast`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer guessed' },
      body: JSON.stringify({ notification_type: 'delivery_status', invoice: shipment.shipmentId, status: 'delivered' }),
    });
    expect(steadfast.status).toBe(401);
    // GHN cannot sign: a callback about a parcel that is not ours is refused, one about ours is only re-fetched.
    const ghn = await fetch(`${api}/webhooks/ghn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ OrderCode: 'LFORGED1', Status: 'delivered' }) });
    expect(ghn.status).toBe(401);
    expect(await shipmentsOf(orderId)).toEqual([expect.objectContaining({ status: 'label_created', events: [expect.objectContaining({ status: 'label_created' })] })]);
    expect(await statusOf(orderId)).toBe('paid');
  });
});

describe('polling', () => {
  it('finds what a lost webhook did not say: the scheduled poll moves the shipment and ships the order', async () => {
    const sellerId = `seller-${randomUUID()}`;
    await setCarriers(sellerId, [{ carrier: 'ghn', priority: 1 }]);
    const orderId = await aPaidOrder(sellerId, { line1: '12 Nguyen Hue', city: 'Ho Chi Minh', postalCode: '700000', country: 'VN' }, '+84901234567');
    await publishPaid(orderId);
    const [shipment] = await booked(orderId);
    expect(await control('ghn', `shipments/${shipment.trackingNumber}/advance`, { status: 'picked', lose: true })).toMatchObject({ webhook: null });
    expect((await shipmentsOf(orderId))[0].status).toBe('label_created');

    expect((await runScheduledRule(endpoints, 'PollTracking')).status).toBe(200);
    expect((await shipmentsOf(orderId))[0]).toMatchObject({ status: 'picked_up', events: [expect.anything(), expect.objectContaining({ status: 'picked_up', source: 'poll' })] });
    expect(await statusOf(orderId)).toBe('shipped');
  });
});

describe('legacy (csv) carriers', () => {
  it('list the day\'s shipments in a manifest and take tracking CSVs row by row: good rows applied in time order, bad ones reported', async () => {
    const sellerId = `seller-${randomUUID()}`;
    await setCarriers(sellerId, [{ carrier: 'sundarban', integration: 'csv', priority: 1 }]);
    const orderId = await aPaidOrder(sellerId, DHAKA, '+8801712345678');
    await publishPaid(orderId);
    const [shipment] = await booked(orderId);
    expect(shipment).toMatchObject({ carrier: 'sundarban', trackingNumber: shipment.shipmentId, status: 'label_created' });

    const day = new Date().toISOString().slice(0, 10);
    const manifest = await operatorFetch(`${api}/shipping/manifests/sundarban/${day}`, { method: 'GET' }, operator);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('content-type')).toContain('text/csv');
    const lines = (await manifest.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^tracking_number,order_id,/);
    expect(lines.some((line) => line.startsWith(`${shipment.trackingNumber},${orderId},standard,Rahim Uddin,"+8801712345678"`))).toBe(true);

    const csv = [
      'tracking_number,status,occurred_at,description',
      `${shipment.trackingNumber},delivered,2030-01-02T10:00:00Z,Handed to the buyer`,
      `${shipment.trackingNumber},in_transit,2030-01-01T10:00:00Z,At the Dhaka hub`,
      `NOT-OURS-1,delivered,2030-01-02T10:00:00Z,`,
      `${shipment.trackingNumber},teleported,2030-01-02T10:00:00Z,`,
      `${shipment.trackingNumber},delivered,yesterday,`,
    ].join('\n');
    const imported = await operatorFetch(`${api}/shipping/tracking-imports/sundarban`, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } }, operator);
    expect(imported.status).toBe(200);
    const report = (await imported.json()) as { applied: Array<{ line: number; changed: boolean }>; rejected: Array<{ line: number; reason: string }> };
    expect(report.applied).toEqual([expect.objectContaining({ line: 2, changed: true }), expect.objectContaining({ line: 3, changed: false })]);
    expect(report.rejected.map((row) => row.line)).toEqual([4, 5, 6]);
    expect(report.rejected[0].reason).toMatch(/no sundarban shipment/);
    expect(report.rejected[1].reason).toMatch(/status must be one of/);
    expect(report.rejected[2].reason).toMatch(/occurred_at/);
    expect((await shipmentsOf(orderId))[0].status).toBe('delivered');
    expect(await statusOf(orderId)).toBe('delivered');
  });
});

describe('failover', () => {
  afterAll(() => control('pathao', 'scenario', { mode: 'normal' }));

  it('books at the next eligible carrier when the preferred one is down', async () => {
    const sellerId = `seller-${randomUUID()}`;
    await setCarriers(sellerId, [{ carrier: 'pathao', priority: 1 }, { carrier: 'steadfast', priority: 2 }]);
    await control('pathao', 'scenario', { mode: 'down' });
    const orderId = await aPaidOrder(sellerId, DHAKA, '+8801712345678');
    await publishPaid(orderId);
    const [shipment] = await booked(orderId);
    expect(shipment.carrier).toBe('steadfast');
    expect(await parcelsAt('pathao', shipment.shipmentId)).toHaveLength(0);
  });
});

describe('order.cancelled', () => {
  it('cancels the booked parcel at the carrier when a paid order is cancelled through the API', async () => {
    const sellerId = `seller-${randomUUID()}`;
    const store = storeApi(sellerId);
    await setCarriers(sellerId, [{ carrier: 'easypost', priority: 1 }]);
    const sku = await store.aProduct(5);
    const placed = await json(await store.create('/checkouts', store.order(sku, 1, 'bkash')));
    await store.buyerActs('bkash', placed.payment.action.url, 'approve');
    const orderId = placed.orderId as string;
    await store.orderIn(orderId, 'paid');
    const [shipment] = await booked(orderId);
    expect(shipment).toMatchObject({ carrier: 'easypost', status: 'label_created' });

    const cancelled = await store.api(`/orders/${orderId}/cancel`, { method: 'POST', body: { reason: 'out of stock' } });
    expect(cancelled.status).toBe(200);

    const [after] = await eventually(async () => {
      const current = await shipmentsOf(orderId);
      return current[0]?.status === 'cancelled' ? current : undefined;
    }, `the shipment of ${orderId} to be cancelled`);
    expect(after.events.map((event) => [event.status, event.source])).toEqual([['label_created', 'booking'], ['cancelled', 'cancel']]);
    expect(await parcelsAt('easypost', shipment.shipmentId)).toEqual([expect.objectContaining({ trackingNumber: shipment.trackingNumber, carrierStatus: 'cancelled' })]);
    expect(await statusOf(orderId)).toBe('cancelled');
  });

  it('records a parcel at a carrier without a cancel API for operators, its status unchanged', async () => {
    const sellerId = `seller-${randomUUID()}`;
    const store = storeApi(sellerId);
    await setCarriers(sellerId, [{ carrier: 'pathao', priority: 1 }]);
    const placed = await json(await store.create('/checkouts', store.order(await store.aProduct(5), 1, 'bkash')));
    await store.buyerActs('bkash', placed.payment.action.url, 'approve');
    await store.orderIn(placed.orderId, 'paid');
    const [shipment] = await booked(placed.orderId);

    expect((await store.api(`/orders/${placed.orderId}/cancel`, { method: 'POST', body: { reason: 'out of stock' } })).status).toBe(200);

    const [after] = await eventually(async () => {
      const current = (await shipmentsOf(placed.orderId)) as Array<ShipmentView & { cancellation?: { outcome: string; reason: string } }>;
      return current[0]?.cancellation ? current : undefined;
    }, `the shipment of ${placed.orderId} to be left to operators`);
    expect(after).toMatchObject({ status: 'label_created', cancellation: { outcome: 'manual', reason: expect.stringMatching(/pathao offers no cancel API/) } });
    expect(await parcelsAt('pathao', shipment.shipmentId)).toEqual([expect.objectContaining({ carrierStatus: 'pending' })]);
  });
});

describe('POST /v1/orders/{orderId}/shipments (ship now)', () => {
  const shipNow = (orderId: string, body: unknown) => operatorFetch(`${api}/orders/${orderId}/shipments`, { method: 'POST', body }, operator);

  it('books a paid order once at the chosen carrier; a carrier not enabled is 422, a repeat 409 with the booking, an unknown order 404', async () => {
    const sellerId = `seller-${randomUUID()}`;
    await setCarriers(sellerId, [{ carrier: 'pathao', priority: 1 }, { carrier: 'steadfast', priority: 2 }]);
    // Paid, but order.paid is not published: the seller ships it by hand.
    const orderId = await aPaidOrder(sellerId, DHAKA, '+8801712345678');

    const notEnabled = await shipNow(orderId, { carrier: 'ghn' });
    expect(notEnabled.status).toBe(422);
    expect((await json(notEnabled)).error).toMatchObject({ code: 'CARRIER_NOT_ENABLED', details: { carrier: 'ghn', enabled: ['pathao', 'steadfast'] } });

    const first = await shipNow(orderId, { carrier: 'steadfast' });
    expect(first.status).toBe(201);
    const { shipments } = (await json(first)) as { shipments: ShipmentView[] };
    expect(shipments).toEqual([expect.objectContaining({ carrier: 'steadfast', status: 'label_created' })]);
    expect(await shipmentsOf(orderId)).toEqual(shipments);

    const again = await shipNow(orderId, {});
    expect(again.status).toBe(409);
    expect((await json(again)).error).toMatchObject({ code: 'SHIPMENT_EXISTS', details: { shipments: [expect.objectContaining({ trackingNumber: shipments[0].trackingNumber })] } });
    expect(await parcelsAt('steadfast', shipments[0].shipmentId)).toHaveLength(1);
    expect(await parcelsAt('pathao', shipments[0].shipmentId)).toHaveLength(0);

    expect((await shipNow(`ord_${'0'.repeat(26)}`, {})).status).toBe(404);
    const unsigned = await fetch(`${api}/orders/${orderId}/shipments`, { method: 'POST', headers: { 'x-api-key': storeKey, 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(403);
  });
});
