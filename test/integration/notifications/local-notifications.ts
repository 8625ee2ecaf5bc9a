import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoOrderRepository } from '../../../functions/checkout/adapters/order-repository.dynamo';
import { createOrder } from '../../../functions/checkout/domain/order';
import type { MessageRecord } from '../../../functions/notifications/domain/model';
import { LOCAL_CREDENTIALS } from '../../../local/runtime/runtime';
import { operatorFetch } from '../../../local/runtime/operator-client';
import { awsClientConfig, eventually, localEndpoints, resource } from '../../support/local-stack';

/** Helpers of the notifications integration tests: orders, events, the local mailbox and the SMS simulators. */
export const endpoints = localEndpoints();
const documents = DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(endpoints, 'dynamodb')), { marshallOptions: { removeUndefinedValues: true } });
const sns = new SNSClient(awsClientConfig(endpoints));
const ordersTable = resource(endpoints, 'Stateful/OrdersTable').ref;
const notificationsTable = resource(endpoints, 'Stateful/NotificationsTable').ref;
const topicArn = resource(endpoints, 'Stateful/EventsTopic').ref;

export const closeClients = () => {
  documents.destroy();
  sns.destroy();
};

export const unique = () => randomUUID().replace(/-/g, '').slice(0, 12);

/** A paid order written straight into the orders table (checkout's own repository), for a buyer and one seller. */
export const aPaidOrder = async (buyer: { email: string; phone?: string; country?: string }, sellerId: string) => {
  const orderId = `ord_${randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase()}`;
  const order = createOrder({
    orderId,
    buyer: { name: 'Rahim Uddin', email: buyer.email, phone: buyer.phone ?? '+8801712345678', address: { line1: 'House 12', city: 'Dhaka', postalCode: '1207', country: buyer.country ?? 'US' } },
    items: [{ sku: 'TSHIRT-RED-M', title: 'Cotton T-shirt', sellerId, quantity: 2, unitPrice: { value: 120000, currency: 'BDT' }, weightGrams: 220, dimensionsCm: { l: 30, w: 25, h: 2 } }],
    amount: { value: 240000, currency: 'BDT' },
    shipping: { serviceLevel: 'standard' },
    paymentMethod: 'bkash',
  }, new Date().toISOString());
  await dynamoOrderRepository(documents, ordersTable).create(order);
  return orderId;
};

export const anEvent = (type: string, orderId: string, data: Record<string, unknown> = {}) => ({
  id: `evt_${randomUUID()}`, type, version: 1, occurredAt: new Date().toISOString(), orderId, data,
});

export const publish = (event: { type: string }) =>
  sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(event), MessageAttributes: { type: { DataType: 'String', StringValue: event.type } } }));

export const operator = (path: string, request: { method: string; body?: unknown; headers?: Record<string, string> }) =>
  operatorFetch(`${endpoints.api.url}${path}`, request, LOCAL_CREDENTIALS);

export const storeApi = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${endpoints.api.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'x-api-key': endpoints.apiKeys[0].value, 'content-type': 'application/json', ...init.headers },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });

export const putSeller = async (sellerId: string, contact: { email?: string; phone?: string; language?: string }) => {
  const res = await operator(`/sellers/${sellerId}/contact`, { method: 'PUT', body: { name: 'Dhaka Tees', language: 'en', ...contact } });
  if (res.status !== 200) throw new Error(`seller contact answered ${res.status}: ${await res.text()}`);
};

export interface MailboxEmail {
  messageId: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: Array<{ name: string; value: string }>;
}

/** The local SES mailbox (the emulator on the AWS endpoint). */
export const mailbox = async (): Promise<MailboxEmail[]> =>
  ((await (await fetch(`${endpoints.aws.endpoint}/_mailbox/messages`)).json()) as { messages: MailboxEmail[] }).messages;
export const mailTo = async (address: string) => (await mailbox()).filter((m) => m.to.includes(address));

export interface SimulatedSms { id: string; to: string; text: string }
export const simulatorState = async (provider: string) =>
  (await (await fetch(`${endpoints.simulators[provider]}/__control/state`)).json()) as { messages: SimulatedSms[] };
export const smsTo = async (provider: string, to: string) => (await simulatorState(provider)).messages.filter((m) => m.to === to || `+${m.to}` === to);
export const scenario = (provider: string, body: Record<string, unknown>) =>
  fetch(`${endpoints.simulators[provider]}/__control/scenario`, { method: 'POST', body: JSON.stringify(body) });

export const messageRecord = async (messageId: string) =>
  (await documents.send(new GetCommand({ TableName: notificationsTable, Key: { pk: `MSG#${messageId}`, sk: 'MSG' } }))).Item as (MessageRecord | undefined);

/** A seller's sales counters of one business day (the notifications consumer keeps them from order.paid). */
export const salesDay = async (sellerId: string, day: string, currency = 'BDT') =>
  (await documents.send(new GetCommand({ TableName: notificationsTable, Key: { pk: `SALES#${sellerId}`, sk: `DAY#${day}#${currency}` } }))).Item as
    ({ orders: number; revenue: number } | undefined);

export const suppression = async (addressHash: string) =>
  (await documents.send(new GetCommand({ TableName: notificationsTable, Key: { pk: `ADDRESS#${addressHash}`, sk: 'SUPPRESSION' } }))).Item;

/** Waits until `probe` finds at least `count` items. */
export const atLeast = <T>(count: number, probe: () => Promise<T[]>, what: string) =>
  eventually(async () => {
    const items = await probe();
    return items.length >= count ? items : undefined;
  }, what, 20_000);

/** Lets a redelivery or a late duplicate happen before counting again. */
export const settle = (ms = 1_500) => new Promise((resolve) => setTimeout(resolve, ms));
