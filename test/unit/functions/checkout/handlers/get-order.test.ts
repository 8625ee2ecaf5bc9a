import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { anApiGatewayEvent } from '../../../../support/api-gateway';
import { platformEnv, setEnv } from '../../../../support/env';
import { aLambdaContext } from '../../../../support/lambda-context';
import { captureLogs } from '../../../../support/log-capture';
import { sampleEvent } from '../../../../support/sample-event';

setEnv({ ...platformEnv, POWERTOOLS_SERVICE_NAME: 'checkout', ORDERS_TABLE: 'orders-table', AWS_REGION: 'us-east-1' });
const { handler } = require('../../../../../functions/checkout/handlers/get-order') as typeof import('../../../../../functions/checkout/handlers/get-order');

const ORDER_ID = 'ord_01jd5q7y2x3w4v5u6t7s8r9q0p';
const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:16:00.000Z';
const BDT = (value: number) => ({ value, currency: 'BDT' });

const buyer = { name: 'Rahim Uddin', email: 'rahim@example.com', phone: '+8801712345678', address: { line1: 'House 12, Road 5', city: 'Dhaka', postalCode: '1207', country: 'BD' } };
const timeline = [
  { at: T0, status: 'pending_payment', event: 'order.created' },
  { at: T1, status: 'payment_failed', event: 'payment.failed', cause: 'EXPIRED' },
];
const orderItem = {
  pk: `ORDER#${ORDER_ID}`,
  sk: 'ORDER',
  orderId: ORDER_ID,
  status: 'payment_failed',
  buyer,
  items: [{ sku: 'TSHIRT-RED-M', title: 'T-shirt, red, M', sellerId: 'seller-dhaka-1', quantity: 2, unitPrice: BDT(120000), weightGrams: 250, dimensionsCm: { l: 30, w: 20, h: 3 } }],
  amount: BDT(240000),
  shipping: { serviceLevel: 'standard' },
  paymentMethod: 'bkash',
  currentPaymentId: `pay_01jd5q7y2x3w4v5u6t7s8r9q0p_1`,
  paymentAttempts: 1,
  reservation: 'released',
  timeline,
  version: 2,
  createdAt: T0,
  updatedAt: T1,
};
const paymentItem = {
  pk: `ORDER#${ORDER_ID}`,
  sk: 'PAYMENT#pay_01jd5q7y2x3w4v5u6t7s8r9q0p_1',
  orderId: ORDER_ID,
  paymentId: 'pay_01jd5q7y2x3w4v5u6t7s8r9q0p_1',
  status: 'failed',
  failureCode: 'EXPIRED',
  method: 'bkash',
  gateway: 'bkash',
  gatewayReference: 'TR0011abc',
  amount: BDT(240000),
  redirectUrl: 'https://sandbox.bka.sh/pay/TR0011abc',
  storeReturnUrl: 'https://shop.example/return',
  taskToken: 'never-shown',
  createdAt: T0,
  updatedAt: T1,
  version: 3,
};

const documents = mockClient(DynamoDBDocumentClient);
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.stop();
  documents.reset();
});
afterAll(() => documents.restore());

const getOrder = async (orderId: string) => {
  const result = await handler(anApiGatewayEvent({ path: `/orders/${orderId}`, resource: '/orders/{orderId}', pathParameters: { orderId } }), aLambdaContext());
  return { status: result.statusCode, body: JSON.parse(result.body) };
};

describe('GET /orders/{orderId}', () => {
  it('answers the sample request in events/checkout/get-order.apigw.json', async () => {
    documents.on(QueryCommand).resolves({ Items: [orderItem, paymentItem] });

    const result = await handler(sampleEvent<APIGatewayProxyEvent>('checkout/get-order.apigw.json'), aLambdaContext());

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).orderId).toBe(ORDER_ID);
  });

  it('shows the order with its items, amount, payments, refunds, shipments and timeline, and nothing internal', async () => {
    documents.on(QueryCommand).resolves({ Items: [orderItem, paymentItem] });

    const { status, body } = await getOrder(ORDER_ID);

    expect(status).toBe(200);
    expect(body).toEqual({
      orderId: ORDER_ID,
      status: 'payment_failed',
      buyer,
      items: [{ sku: 'TSHIRT-RED-M', title: 'T-shirt, red, M', sellerId: 'seller-dhaka-1', quantity: 2, unitPrice: BDT(120000) }],
      amount: BDT(240000),
      shipping: { serviceLevel: 'standard' },
      payments: [{ paymentId: 'pay_01jd5q7y2x3w4v5u6t7s8r9q0p_1', method: 'bkash', status: 'failed', failureCode: 'EXPIRED', amount: BDT(240000) }],
      refunds: [],
      shipments: [],
      timeline,
      createdAt: T0,
      updatedAt: T1,
    });
  });

  it('reads the whole item collection with one consistent Query on its partition', async () => {
    documents.on(QueryCommand).resolves({ Items: [orderItem] });

    await getOrder(ORDER_ID);

    expect(documents.calls()).toHaveLength(1);
    expect(documents.commandCalls(QueryCommand)[0].args[0].input).toEqual({
      TableName: 'orders-table',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `ORDER#${ORDER_ID}` },
      ConsistentRead: true,
    });
  });

  it('answers 404 NOT_FOUND in the envelope when there is no such order', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });

    const { status, body } = await getOrder('ord_00000000000000000000000000');

    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'NOT_FOUND', message: 'order ord_00000000000000000000000000 not found', details: {} });
  });

  it('answers 400 naming path.orderId for something that is not an order id, without reading the table', async () => {
    const { status, body } = await getOrder('ORDER#x');

    expect(status).toBe(400);
    expect(body.error.details.fields.map((field: { path: string }) => field.path)).toEqual(['path.orderId']);
    expect(documents.calls()).toHaveLength(0);
  });
});
