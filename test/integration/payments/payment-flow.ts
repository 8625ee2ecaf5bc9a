/**
 * A real checkout on the local stack and what payment tests look at (the attempt item, the order, the simulator's
 * ledger), on top of the store's view (`storeApi`). Shared by the payment integration tests; each test file gets its
 * own clients (call `closePaymentFlow`).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig, eventually, resource } from '../../support/local-stack';
import { type Gateway, json, storeApi } from '../../support/store-api';

const store = storeApi('seller-pay');
export const { endpoints, api, control, stockOf } = store;
export { json, type Gateway };
export const sfn = new SFNClient(awsClientConfig(endpoints));
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(endpoints, 'dynamodb')));
export const stateMachineArn = resource(endpoints, 'Service/Payments/PaymentSaga').ref;
const ordersTable = resource(endpoints, 'Stateful/OrdersTable').ref;

export const closePaymentFlow = (): void => {
  sfn.destroy();
  ddb.destroy();
};

export const attemptItem = async (orderId: string, paymentId: string) =>
  (await ddb.send(new GetCommand({ TableName: ordersTable, Key: { pk: `ORDER#${orderId}`, sk: `PAYMENT#${paymentId}` }, ConsistentRead: true }))).Item;

/** A real checkout of 2 units; resolves the order, payment and the gateway's reference. */
export const placeOrder = async (gateway: Gateway) => {
  const sku = await store.aProduct(5);
  const res = await store.create('/checkouts', store.order(sku, 2, gateway));
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
