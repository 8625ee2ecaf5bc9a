import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { operatorFetch } from '../../local/runtime/operator-client';
import type { LocalEndpoints } from '../../local/runtime/runtime';
import type { PaymentSimulator } from '../../local/simulators/contracts';

export interface CheckoutBenchResult {
  readonly requests: number;
  readonly concurrency: number;
  readonly ordersPerSecond: number;
  /** Of the answered (201) checkouts only; refusals (429 throttling, 503) are counted in `statuses`. */
  readonly latencyMs: { p50: number; p95: number; p99: number };
  /** Each buyer's final answer (after retrying 5xx and 409 REQUEST_IN_PROGRESS with the same Idempotency-Key). */
  readonly statuses: Record<number, number>;
  /** First answers that were retried (504 gateway timeout, 409 in progress, 5xx), by status. */
  readonly retried: Record<number, number>;
  /** Orders the API answered 201 for that are not in the table. */
  readonly lost: number;
  /** Orders in the table beyond one per buyer answered 201 (a key that made two orders, or an order nobody got). */
  readonly doubled: number;
  /** Units taken from stock that no order in the table holds. */
  readonly stockLeaked: number;
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/** Runs `requests` async jobs with at most `concurrency` in flight; returns the latency of each job that counts. */
export const runConcurrently = async (requests: number, concurrency: number, job: (i: number) => Promise<boolean>): Promise<{ latencies: number[]; wallMs: number }> => {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, async () => {
    while (next < requests) {
      const i = next++;
      const t0 = performance.now();
      if (await job(i)) latencies.push(performance.now() - t0);
    }
  }));
  return { latencies: latencies.sort((a, b) => a - b), wallMs: performance.now() - started };
};

/** How often a buyer asks again after an unknown answer before giving up (each wait 0.5 s longer). */
const MAX_CLIENT_TRIES = 8;

const orderBody = (sku: string) => ({
  buyer: { name: 'Bench Buyer', email: 'bench@example.com', phone: '+8801700000000', address: { line1: 'Road 1', city: 'Dhaka', postalCode: '1000', country: 'BD' } },
  items: [{ sku, quantity: 1 }],
  payment: { method: 'bkash', returnUrl: 'https://shop.example/return' },
  shipping: { serviceLevel: 'standard' },
});

/**
 * `requests` checkouts through the local stack (API → Lambda → DynamoDB, bKash simulator, Step Functions), at most
 * `concurrency` in flight, each buyer with its own Idempotency-Key (asking again with it after an unknown answer); then
 * counts what the table and the stock hold to prove nothing was lost, doubled or leaked.
 */
export const benchCheckouts = async (endpoints: LocalEndpoints, requests: number, concurrency: number): Promise<CheckoutBenchResult> => {
  const operator = { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey };
  const sku = `BENCH-${randomUUID().slice(0, 8)}`;
  const stock = requests * 2;
  const put = await operatorFetch(`${endpoints.api.url}/products/${sku}`, {
    method: 'PUT',
    body: { title: 'Bench item', sellerId: 'seller-bench', prices: [{ value: 10000, currency: 'BDT' }], stock, weightGrams: 100, dimensionsCm: { l: 1, w: 1, h: 1 } },
  }, operator);
  if (!put.ok) throw new Error(`seeding the bench product answered ${put.status}`);

  const statuses: Record<number, number> = {};
  const retried: Record<number, number> = {};
  const orderIds: string[] = [];
  const { latencies, wallMs } = await runConcurrently(requests, concurrency, async () => {
    // A real client: an answer that may hide a created order (gateway timeout, 5xx) or a request still running (409)
    // is asked again with the same key and body, until the API gives the first answer back.
    const key = randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      const res = await fetch(`${endpoints.api.url}/checkouts`, {
        method: 'POST',
        headers: { 'x-api-key': endpoints.apiKeys[0].value, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(orderBody(sku)),
      });
      const body = await res.text();
      const unknown = res.status >= 500 || (res.status === 409 && body.includes('REQUEST_IN_PROGRESS'));
      if (unknown && attempt < MAX_CLIENT_TRIES) {
        retried[res.status] = (retried[res.status] ?? 0) + 1;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        continue;
      }
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status !== 201) return false;
      orderIds.push((JSON.parse(body) as { orderId: string }).orderId);
      return true;
    }
  });

  const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: endpoints.aws.dynamodb, region: endpoints.aws.region, credentials: { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey } }));
  const ordersTable = resourceRef(endpoints, 'Stateful/OrdersTable');
  const catalogTable = resourceRef(endpoints, 'Stateful/CatalogTable');
  const inTable = new Set<string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({
      TableName: ordersTable, FilterExpression: 'sk = :order', ExpressionAttributeValues: { ':order': 'ORDER' }, ExclusiveStartKey: startKey,
      ProjectionExpression: 'orderId, #items', ExpressionAttributeNames: { '#items': 'items' },
    }));
    for (const item of page.Items ?? []) {
      // The baseline's bare order items carry no lines.
      if ((item.items as Array<{ sku: string }> | undefined)?.some((line) => line.sku === sku)) inTable.add(item.orderId as string);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const { Item: product } = await ddb.send(new GetCommand({ TableName: catalogTable, Key: { pk: `PRODUCT#${sku}`, sk: 'PRODUCT' }, ConsistentRead: true }));
  ddb.destroy();
  const answered = new Set(orderIds);
  const lost = [...answered].filter((orderId) => !inTable.has(orderId)).length;
  const doubled = orderIds.length - answered.size + [...inTable].filter((orderId) => !answered.has(orderId)).length;
  const taken = stock - Number(product?.stock);
  return {
    requests,
    concurrency,
    ordersPerSecond: (orderIds.length / wallMs) * 1000,
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99) },
    statuses,
    retried,
    lost,
    doubled,
    stockLeaked: Math.max(0, taken - inTable.size),
  };
};

/**
 * What a checkout cannot avoid, done directly from this process: its DynamoDB writes (the idempotency claim and its
 * completion, the stock take, the audit record the resilient client must keep of the gateway call, the attempt and
 * the order) and one create at the bKash simulator (token granted once, as the adapter caches it). The same
 * concurrency as the real run.
 */
export const benchCheckoutBaseline = async (endpoints: LocalEndpoints, bkash: PaymentSimulator, requests: number, concurrency: number) => {
  const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: endpoints.aws.dynamodb, region: endpoints.aws.region, credentials: { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey } }));
  const ordersTable = resourceRef(endpoints, 'Stateful/OrdersTable');
  const catalogTable = resourceRef(endpoints, 'Stateful/CatalogTable');
  const idempotencyTable = resourceRef(endpoints, 'Stateful/IdempotencyTable');
  const auditTable = resourceRef(endpoints, 'Stateful/AuditTable');
  const sku = `BASE-${randomUUID().slice(0, 8)}`;
  await ddb.send(new PutCommand({ TableName: catalogTable, Item: { pk: `PRODUCT#${sku}`, sk: 'PRODUCT', stock: requests * 2 } }));
  const secret = bkash.secret;
  const base = `${secret.baseUrl}/v1.2.0-beta/tokenized/checkout`;
  const grant = await fetch(`${base}/token/grant`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', username: secret.username, password: secret.password },
    body: JSON.stringify({ app_key: secret.appKey, app_secret: secret.appSecret }),
  });
  const token = ((await grant.json()) as { id_token: string }).id_token;

  const { latencies, wallMs } = await runConcurrently(requests, concurrency, async () => {
    const id = randomUUID();
    await ddb.send(new PutCommand({ TableName: idempotencyTable, Item: { id: `bench#${id}`, status: 'INPROGRESS' }, ConditionExpression: 'attribute_not_exists(id)' }));
    await ddb.send(new UpdateCommand({
      TableName: catalogTable, Key: { pk: `PRODUCT#${sku}`, sk: 'PRODUCT' },
      UpdateExpression: 'SET stock = stock - :q', ConditionExpression: 'stock >= :q', ExpressionAttributeValues: { ':q': 1 },
    }));
    const created = await fetch(`${base}/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token, 'x-app-key': secret.appKey },
      body: JSON.stringify({ mode: '0011', payerReference: id, callbackURL: 'https://shop.example/return', amount: '100.00', currency: 'BDT', intent: 'sale', merchantInvoiceNumber: `pay_${id}` }),
    });
    await created.text();
    await ddb.send(new PutCommand({ TableName: auditTable, Item: { pk: `AUDIT#bkash#${new Date().toISOString().slice(0, 10)}`, sk: `${new Date().toISOString()}#${id}`, operation: 'create', status: created.status } }));
    await ddb.send(new PutCommand({ TableName: ordersTable, Item: { pk: `PAYMENT#${id}`, sk: 'PAYMENT', status: 'pending' } }));
    await ddb.send(new PutCommand({ TableName: ordersTable, Item: { pk: `ORDER#${id}`, sk: 'ORDER', status: 'pending_payment' }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await ddb.send(new UpdateCommand({ TableName: idempotencyTable, Key: { id: `bench#${id}` }, UpdateExpression: 'SET #s = :done', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':done': 'COMPLETED' } }));
    return true;
  });
  ddb.destroy();
  return {
    ordersPerSecond: (requests / wallMs) * 1000,
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99) },
  };
};

const resourceRef = (endpoints: LocalEndpoints, path: string): string => {
  const entry = Object.entries(endpoints.resources).find(([key]) => key.endsWith(`-${path}`));
  if (!entry) throw new Error(`the local stack has no ${path}`);
  return entry[1].ref;
};
