import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { operatorFetch } from '../../../local/runtime/operator-client';
import { awsClientConfig, eventually, localEndpoints, resource } from '../../support/local-stack';

const endpoints = localEndpoints();
const operator = { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey };
const storeKey = endpoints.apiKeys[0].value;
const sfn = new SFNClient(awsClientConfig(endpoints));
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(endpoints, 'dynamodb')));
const stateMachineArn = resource(endpoints, 'Service/Payments/PaymentSaga').ref;
const ordersTable = resource(endpoints, 'Stateful/OrdersTable').ref;
type Gateway = 'bkash' | 'nagad';

/** The parsed JSON body (typed loosely: the assertions check its shape). */
const json = async (res: Response): Promise<any> => res.json();
const api = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${endpoints.api.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'x-api-key': storeKey, 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
const control = async (gateway: Gateway, path: string, body?: unknown): Promise<any> => {
  const res = await fetch(`${endpoints.simulators[gateway]}/__control${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status === 204 ? undefined : res.json();
};

const aProduct = async (stock: number) => {
  const sku = `PAY-${randomUUID().slice(0, 8)}`;
  const res = await operatorFetch(`${endpoints.api.url}/products/${sku}`, {
    method: 'PUT',
    body: { title: 'Cotton gamcha', sellerId: 'seller-pay', prices: [{ value: 35000, currency: 'BDT' }], stock, weightGrams: 150, dimensionsCm: { l: 20, w: 15, h: 2 } },
  }, operator);
  expect(res.status).toBe(201);
  return sku;
};
const stockOf = async (sku: string) =>
  (await json(await api('/products?sellerId=seller-pay&limit=100'))).items.find((p: { sku: string }) => p.sku === sku).stock as number;
const attemptItem = async (orderId: string, paymentId: string) =>
  (await ddb.send(new GetCommand({ TableName: ordersTable, Key: { pk: `ORDER#${orderId}`, sk: `PAYMENT#${paymentId}` }, ConsistentRead: true }))).Item;

/** A real checkout of 2 units; resolves the order, payment and the gateway's reference. */
const placeOrder = async (gateway: Gateway) => {
  const sku = await aProduct(5);
  const res = await api('/checkouts', {
    method: 'POST',
    headers: { 'idempotency-key': randomUUID() },
    body: {
      buyer: { name: 'Rahim Uddin', email: 'rahim@example.com', phone: '+8801712345678', address: { line1: 'House 12', city: 'Dhaka', postalCode: '1207', country: 'BD' } },
      items: [{ sku, quantity: 2 }],
      payment: { method: gateway, returnUrl: 'https://shop.example/return' },
      shipping: { serviceLevel: 'standard' },
    },
  });
  expect(res.status).toBe(201);
  const body = await json(res);
  const orderId: string = body.orderId;
  const paymentId: string = body.payment.paymentId;
  const attempt = await eventually(async () => {
    const item = await attemptItem(orderId, paymentId);
    return item?.gatewayReference && item.taskToken ? item : undefined;
  }, 'the described attempt with the saga waiting on it');
  return { sku, orderId, paymentId, gatewayReference: attempt.gatewayReference as string };
};
const buyer = async (gateway: Gateway, gatewayReference: string, action: string): Promise<string | null> =>
  (await control(gateway, `/buyer/${encodeURIComponent(gatewayReference)}`, { action })).redirectUrl;
const follow = (redirectUrl: string) => fetch(redirectUrl, { redirect: 'manual' });
/** The order once the saga is done with it: the order and its attempts are written one after the other. */
const orderSettled = (orderId: string) =>
  eventually(async () => {
    const order = await json(await api(`/orders/${orderId}`));
    const settled = order.status !== 'pending_payment' && order.payments.every((p: { status: string }) => p.status !== 'pending');
    return settled ? order : undefined;
  }, `order ${orderId} and its payment to settle`);
const debitsOf = async (gateway: Gateway, gatewayReference: string) =>
  ((await control(gateway, '/state')).ledger as Array<{ kind: string; gatewayReference: string }>).filter((e) => e.kind === 'debit' && e.gatewayReference === gatewayReference);

afterEach(async () => {
  await control('bkash', '/scenario', { mode: 'normal' });
  await control('nagad', '/scenario', { mode: 'normal' });
});
afterAll(() => { sfn.destroy(); ddb.destroy(); });

describe('GET /v1/payments/{paymentId}/return', () => {
  it.each(['bkash', 'nagad'] as const)('%s approved: 303 to the store as paid, then the saga captures once and the order is paid', async (gateway) => {
    const { orderId, paymentId, gatewayReference } = await placeOrder(gateway);
    const redirectUrl = await buyer(gateway, gatewayReference, 'approve');
    expect(redirectUrl).toContain(`/payments/${paymentId}/return`);

    const res = await follow(redirectUrl!);

    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example/return');
    expect(Object.fromEntries(location.searchParams)).toEqual({ orderId, paymentId, status: 'paid' });
    const order = await orderSettled(orderId);
    expect(order.status).toBe('paid');
    expect(order.payments).toEqual([expect.objectContaining({ paymentId, status: 'succeeded' })]);
    expect(await attemptItem(orderId, paymentId)).toMatchObject({ status: 'succeeded', transactionId: expect.any(String) });
    expect(await debitsOf(gateway, gatewayReference)).toHaveLength(1);
  });

  it.each([
    ['cancel', 'CANCELLED_BY_BUYER'],
    ['insufficient-balance', 'INSUFFICIENT_FUNDS'],
  ])('bkash %s: 303 as failed with the reason, the order payment_failed with %s and the stock back', async (action, code) => {
    const { sku, orderId, paymentId, gatewayReference } = await placeOrder('bkash');
    expect(await stockOf(sku)).toBe(3);

    const res = await follow((await buyer('bkash', gatewayReference, action))!);

    expect(res.status).toBe(303);
    expect(Object.fromEntries(new URL(res.headers.get('location')!).searchParams)).toMatchObject({ status: 'failed', reason: code });
    const order = await orderSettled(orderId);
    expect(order.status).toBe('payment_failed');
    expect(order.payments).toEqual([expect.objectContaining({ paymentId, status: 'failed', failureCode: code })]);
    await eventually(async () => ((await stockOf(sku)) === 5 ? true : undefined), 'the stock to be back');
    expect(await debitsOf('bkash', gatewayReference)).toHaveLength(0);
  });

  it('a return delivered twice debits once and ends in the same state', async () => {
    const { orderId, paymentId, gatewayReference } = await placeOrder('bkash');
    await control('bkash', '/scenario', { mode: 'duplicate-callback' });
    const redirectUrl = (await buyer('bkash', gatewayReference, 'approve'))!;

    const [first, second] = await Promise.all([follow(redirectUrl), follow(redirectUrl)]);

    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect((await orderSettled(orderId)).status).toBe('paid');
    const attempt = await attemptItem(orderId, paymentId);
    expect(attempt).toMatchObject({ status: 'succeeded', resolution: { outcome: 'approved', source: 'return' } });
    expect(await debitsOf('bkash', gatewayReference)).toHaveLength(1);
    const again = await follow(redirectUrl);
    expect(again.status).toBe(303);
    expect(await attemptItem(orderId, paymentId)).toEqual(attempt);
  });

  it('refuses a forged return (foreign reference, unknown payment) with 401 UNVERIFIED and changes nothing', async () => {
    const { orderId, paymentId } = await placeOrder('bkash');
    const before = await attemptItem(orderId, paymentId);

    const forged = await fetch(`${endpoints.api.url}/payments/${paymentId}/return?paymentID=TR-FORGED&status=success`, { redirect: 'manual' });
    const unknown = await fetch(`${endpoints.api.url}/payments/pay_00000000000000000000000000_1/return?paymentID=TR-X&status=success`, { redirect: 'manual' });
    const malformed = await fetch(`${endpoints.api.url}/payments/${paymentId}/return`, { redirect: 'manual' });

    expect(forged.status).toBe(401);
    expect((await json(forged)).error.code).toBe('UNVERIFIED');
    expect(unknown.status).toBe(401);
    expect(malformed.status).toBe(400);
    expect(await attemptItem(orderId, paymentId)).toEqual(before);
  });

  it('a buyer who approves but never comes back: after the wait the saga asks bKash, captures and the order is paid', async () => {
    const { orderId, paymentId, gatewayReference } = await placeOrder('bkash');
    await control('bkash', '/scenario', { mode: 'lose-callback' });
    expect(await buyer('bkash', gatewayReference, 'approve')).toBeNull();
    // The checkout's saga waits the whole session (15 min): run the same saga input again with a short wait.
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${paymentId}`;
    const input = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn }))).input!);
    const { executionArn: shortWait } = await sfn.send(new StartExecutionCommand({
      stateMachineArn, name: `${paymentId}-short-wait`, input: JSON.stringify({ ...input, timeoutSeconds: 1 }),
    }));

    const execution = await eventually(async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: shortWait }));
      return described.status === 'RUNNING' ? undefined : described;
    }, 'the short-wait execution to finish');

    expect(execution.status).toBe('SUCCEEDED');
    expect((await orderSettled(orderId)).status).toBe('paid');
    expect(await debitsOf('bkash', gatewayReference)).toHaveLength(1);
  });
});
