import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError, ConflictError } from '../../../../../functions/_platform/errors';
import { dynamoOrderRepository } from '../../../../../functions/checkout/adapters/order-repository.dynamo';
import { createOrder, markPaid, markPaymentFailed, type Order, paymentIdOf } from '../../../../../functions/checkout/domain/order';
import type { NewPaymentAttempt } from '../../../../../functions/checkout/domain/ports';
import { dynamoPaymentAttempts, dynamoPaymentResolutions } from '../../../../../functions/payments/adapters/payment-attempts.dynamo';
import { awaitPaymentResult } from '../../../../../functions/payments/domain/await-payment-result';
import { type LocalDynamoDb, startDynamoDb } from '../../../../../local/runtime/emulators/dynamodb';
import { singleTable } from '../../../../support/dynamodb-tables';

// Against the local runtime's DynamoDB (dynalite) with the real SDK, beside the payment saga's own adapter, which
// shares the PAYMENT# items.
let dynamo: LocalDynamoDb;
let documents: DynamoDBDocumentClient;
const TABLE = 'orders';
const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:05:00.000Z';

let orderCount = 0;
const anOrder = (): Order => {
  orderCount += 1;
  return createOrder(
    {
      orderId: `ord_${String(orderCount).padStart(26, '0')}`,
      buyer: { name: 'Rahim Uddin', email: 'rahim@example.com', phone: '+8801712345678', address: { line1: 'House 12', city: 'Dhaka', postalCode: '1207', country: 'BD' } },
      items: [{ sku: 'TSHIRT-RED-M', title: 'T-shirt', sellerId: 'seller-1', quantity: 2, unitPrice: { value: 120000, currency: 'BDT' }, weightGrams: 250, dimensionsCm: { l: 30, w: 20, h: 3 } }],
      amount: { value: 240000, currency: 'BDT' },
      shipping: { serviceLevel: 'standard' },
      paymentMethod: 'bkash',
    },
    T0,
  );
};
const anAttempt = (order: Order, overrides: Partial<NewPaymentAttempt> = {}): NewPaymentAttempt => ({
  orderId: order.orderId,
  paymentId: order.currentPaymentId,
  method: 'bkash',
  gateway: 'bkash',
  gatewayReference: 'TR0011abc',
  amount: order.amount,
  redirectUrl: 'https://sandbox.bka.sh/pay/TR0011abc',
  storeReturnUrl: 'https://shop.example/return',
  createdAt: T0,
  ...overrides,
});
const itemOf = async (orderId: string, sk: string) =>
  (await documents.send(new GetCommand({ TableName: TABLE, Key: { pk: `ORDER#${orderId}`, sk }, ConsistentRead: true }))).Item;

const repository = () => dynamoOrderRepository(documents, TABLE);

beforeAll(async () => {
  dynamo = await startDynamoDb({ host: '127.0.0.1' });
  await dynamo.createTable(singleTable(TABLE));
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
});
afterAll(async () => {
  documents.destroy();
  await dynamo.stop();
});

describe('the order repository on DynamoDB', () => {
  it('stores an order as pk ORDER#<id>, sk ORDER and reads it back unchanged', async () => {
    const order = anOrder();

    await repository().create(order);

    expect(await itemOf(order.orderId, 'ORDER')).toMatchObject({ pk: `ORDER#${order.orderId}`, sk: 'ORDER', status: 'pending_payment', version: 1 });
    expect(await repository().get(order.orderId)).toEqual({ order, payments: [], shipments: [] });
  });

  it('accepts a repeat of the same create (an SDK retry after a lost answer)', async () => {
    const order = anOrder();
    await repository().create(order);

    await expect(repository().create(order)).resolves.toBeUndefined();
  });

  it('refuses a different order under an existing id with ConflictError, keeping the first', async () => {
    const order = anOrder();
    await repository().create(order);

    await expect(repository().create({ ...order, createdAt: T1 })).rejects.toBeInstanceOf(ConflictError);
    expect((await repository().get(order.orderId))?.order.createdAt).toBe(T0);
  });

  it('answers undefined for an order that does not exist, even when stray items share its partition', async () => {
    const order = anOrder();
    await repository().describePaymentAttempt(anAttempt(order));

    expect(await repository().get(order.orderId)).toBeUndefined();
  });

  it('describes an attempt as a pending PAYMENT# item the payment saga reads as its own', async () => {
    const order = anOrder();

    await repository().describePaymentAttempt(anAttempt(order));

    expect(await itemOf(order.orderId, `PAYMENT#${order.currentPaymentId}`)).toMatchObject({
      status: 'pending',
      version: 1,
      method: 'bkash',
      gateway: 'bkash',
      gatewayReference: 'TR0011abc',
      amount: { value: 240000, currency: 'BDT' },
      redirectUrl: 'https://sandbox.bka.sh/pay/TR0011abc',
      storeReturnUrl: 'https://shop.example/return',
    });
    // The payments capability reads the same item back with what checkout described.
    expect(await dynamoPaymentAttempts(documents, TABLE).get({ orderId: order.orderId, paymentId: order.currentPaymentId })).toEqual({
      orderId: order.orderId,
      paymentId: order.currentPaymentId,
      status: 'pending',
      updatedAt: T0,
      version: 1,
      method: 'bkash',
      gateway: 'bkash',
      gatewayReference: 'TR0011abc',
      amount: { value: 240000, currency: 'BDT' },
      storeReturnUrl: 'https://shop.example/return',
    });
  });

  it("keeps the saga's task token, status and version when the saga wrote the attempt first", async () => {
    const order = anOrder();
    const ref = { orderId: order.orderId, paymentId: order.currentPaymentId };
    const sagaDeps = { resolutions: dynamoPaymentResolutions(documents, TABLE), clock: { now: () => new Date(T1) } };
    await awaitPaymentResult(sagaDeps, { ...ref, taskToken: 'token-1', timeoutSeconds: 900 });

    await repository().describePaymentAttempt(anAttempt(order));

    expect(await itemOf(order.orderId, `PAYMENT#${order.currentPaymentId}`)).toMatchObject({
      status: 'pending',
      taskToken: 'token-1',
      version: 1,
      updatedAt: T1,
      gatewayReference: 'TR0011abc',
      method: 'bkash',
    });
  });

  it("keeps checkout's description when the saga stores its token afterwards", async () => {
    const order = anOrder();
    const ref = { orderId: order.orderId, paymentId: order.currentPaymentId };
    await repository().describePaymentAttempt(anAttempt(order));

    await awaitPaymentResult({ resolutions: dynamoPaymentResolutions(documents, TABLE), clock: { now: () => new Date(T1) } }, { ...ref, taskToken: 'token-2', timeoutSeconds: 900 });

    expect(await itemOf(order.orderId, `PAYMENT#${order.currentPaymentId}`)).toMatchObject({ taskToken: 'token-2', version: 2, method: 'bkash', gatewayReference: 'TR0011abc' });
  });

  it('accepts a repeat of the same description and refuses another one for the same payment', async () => {
    const order = anOrder();
    await repository().describePaymentAttempt(anAttempt(order));

    await expect(repository().describePaymentAttempt(anAttempt(order))).resolves.toBeUndefined();
    await expect(repository().describePaymentAttempt(anAttempt(order, { gatewayReference: 'TR0099zzz' }))).rejects.toBeInstanceOf(ConflictError);
  });

  it('lists the payments oldest first as the order shows them, with the failure code of a failed one', async () => {
    const order = anOrder();
    await repository().create(order);
    const second = paymentIdOf(order.orderId, 2);
    await repository().describePaymentAttempt(anAttempt(order, { paymentId: second, gatewayReference: 'TR2', createdAt: T1 }));
    await repository().describePaymentAttempt(anAttempt(order));
    const sagaAttempts = dynamoPaymentAttempts(documents, TABLE);
    const first = await sagaAttempts.get({ orderId: order.orderId, paymentId: order.currentPaymentId });
    await sagaAttempts.save({ ...first!, status: 'failed', failureCode: 'INSUFFICIENT_FUNDS', version: 2 });

    const details = await repository().get(order.orderId);

    expect(details?.payments).toEqual([
      { paymentId: order.currentPaymentId, method: 'bkash', status: 'failed', failureCode: 'INSUFFICIENT_FUNDS', amount: { value: 240000, currency: 'BDT' } },
      { paymentId: second, method: 'bkash', status: 'pending', amount: { value: 240000, currency: 'BDT' } },
    ]);
  });

  it('shows booked shipments (carrier, tracking number, status, events) and leaves out one not booked yet', async () => {
    const order = anOrder();
    await repository().create(order);
    const pk = `ORDER#${order.orderId}`;
    await documents.send(new PutCommand({ TableName: TABLE, Item: { pk, sk: 'SHIPMENT#shp_2', shipmentId: 'shp_2', status: 'unknown', createdAt: T1, events: [] } }));
    await documents.send(new PutCommand({ TableName: TABLE, Item: {
      pk, sk: 'SHIPMENT#shp_1', shipmentId: 'shp_1', carrier: 'pathao', trackingNumber: 'PT-1', status: 'in_transit', createdAt: T0, version: 3,
      events: [{ at: T0, status: 'label_created', carrierStatus: 'Pending', source: 'booking' }, { at: T1, status: 'in_transit', carrierStatus: 'On the way', source: 'webhook' }],
    } }));

    expect(await repository().get(order.orderId)).toEqual({
      order,
      payments: [],
      shipments: [{ shipmentId: 'shp_1', carrier: 'pathao', trackingNumber: 'PT-1', status: 'in_transit', events: [{ at: T0, status: 'label_created' }, { at: T1, status: 'in_transit' }] }],
    });
  });

  it('saves a transition: new status and version, the timeline entry appended in the same write', async () => {
    const order = anOrder();
    await repository().create(order);
    const paid = markPaid(order, { paymentId: order.currentPaymentId, at: T1 });

    await repository().saveTransition(paid);

    expect((await repository().get(order.orderId))?.order).toEqual(paid);
  });

  it('refuses a transition computed from a stale order with ConcurrentUpdateError: two racing writers cannot both win', async () => {
    const order = anOrder();
    await repository().create(order);
    const paid = markPaid(order, { paymentId: order.currentPaymentId, at: T1 });
    const failed = markPaymentFailed(order, { paymentId: order.currentPaymentId, failureCode: 'EXPIRED', at: T1 });

    const outcomes = await Promise.allSettled([repository().saveTransition(paid), repository().saveTransition(failed)]);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(ConcurrentUpdateError);
    const stored = (await repository().get(order.orderId))?.order;
    expect(stored?.timeline).toHaveLength(2);
    expect(stored?.version).toBe(2);
  });
});
