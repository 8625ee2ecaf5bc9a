/**
 * A real checkout on the local stack and what payment tests look at (the attempt item, the order, the simulator's
 * ledger). Shared by the payment integration tests; each test file gets its own clients (call `closePaymentFlow`).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { operatorFetch } from '../../../local/runtime/operator-client';
import { awsClientConfig, eventually, localEndpoints, resource } from '../../support/local-stack';

export const endpoints = localEndpoints();
const operator = { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey };
const storeKey = endpoints.apiKeys[0].value;
export const sfn = new SFNClient(awsClientConfig(endpoints));
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(endpoints, 'dynamodb')));
export const stateMachineArn = resource(endpoints, 'Service/Payments/PaymentSaga').ref;
const ordersTable = resource(endpoints, 'Stateful/OrdersTable').ref;
export type Gateway = 'bkash' | 'nagad';

export const closePaymentFlow = (): void => {
  sfn.destroy();
  ddb.destroy();
};

/** The parsed JSON body (typed loosely: the assertions check its shape). */
export const json = async (res: Response): Promise<any> => res.json();
export const api = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${endpoints.api.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'x-api-key': storeKey, 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
/** A simulator's control API: GET without a body, POST with one; the JSON answer (undefined for 204). */
export const control = async (gateway: Gateway, path: string, body?: unknown): Promise<any> => {
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
export const stockOf = async (sku: string) =>
  (await json(await api('/products?sellerId=seller-pay&limit=100'))).items.find((p: { sku: string }) => p.sku === sku).stock as number;
export const attemptItem = async (orderId: string, paymentId: string) =>
  (await ddb.send(new GetCommand({ TableName: ordersTable, Key: { pk: `ORDER#${orderId}`, sk: `PAYMENT#${paymentId}` }, ConsistentRead: true }))).Item;

/** A real checkout of 2 units; resolves the order, payment and the gateway's reference. */
export const placeOrder = async (gateway: Gateway) => {
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
export const buyer = async (gateway: Gateway, gatewayReference: string, action: string): Promise<string | null> =>
  (await control(gateway, `/buyer/${encodeURIComponent(gatewayReference)}`, { action })).redirectUrl;
export const follow = (redirectUrl: string) => fetch(redirectUrl, { redirect: 'manual' });
/** The order once the saga is done with it: the order and its attempts are written one after the other. */
export const orderSettled = (orderId: string) =>
  eventually(async () => {
    const order = await json(await api(`/orders/${orderId}`));
    const settled = order.status !== 'pending_payment' && order.payments.every((p: { status: string }) => p.status !== 'pending');
    return settled ? order : undefined;
  }, `order ${orderId} and its payment to settle`);
export const debitsOf = async (gateway: Gateway, gatewayReference: string) =>
  ((await control(gateway, '/state')).ledger as Array<{ kind: string; gatewayReference: string }>).filter((e) => e.kind === 'debit' && e.gatewayReference === gatewayReference);
