import { DeleteItemCommand, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { type LocalDynamoDb, startDynamoDb } from '../../../../local/runtime/emulators/dynamodb';
import { ConflictError } from '../../../../functions/_platform/errors';
import { defineRoute } from '../../../../functions/_platform/openapi';
import type { IdempotencyClaim } from '../../../../functions/_platform/idempotency-store';
import { dynamoIdempotencyStore } from '../../../../functions/_platform/idempotency-store.dynamo';
import { anApiGatewayEvent } from '../../../support/api-gateway';
import { idempotencyTable } from '../../../support/dynamodb-tables';
import { platformEnv, setEnv } from '../../../support/env';
import { aLambdaContext } from '../../../support/lambda-context';
import { captureLogs } from '../../../support/log-capture';


// The DynamoDB idempotency store, alone and as the idempotent factory's default, against the local runtime's
// DynamoDB: the store's conditional writes are judged by a DynamoDB implementation, reached with the real SDK.
let dynamo: LocalDynamoDb;
let idempotentHttpHandler: typeof import('../../../../functions/_platform/idempotent-http-handler').idempotentHttpHandler;
let client: DynamoDBClient;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  dynamo = await startDynamoDb({ host: '127.0.0.1' });
  await dynamo.createTable(idempotencyTable('idempotency'));
  setEnv({
    ...platformEnv,
    IDEMPOTENCY_TABLE: 'idempotency',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  ({ idempotentHttpHandler } = require('../../../../functions/_platform/idempotent-http-handler'));
  client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.stop());

const createOrder = defineRoute({
  operationId: 'createOrder',
  method: 'POST',
  path: '/orders',
  summary: 'test route',
  auth: 'apiKey',
  body: z.object({ sku: z.string() }),
  responses: { 201: { description: 'created' } },
  idempotent: true,
});
const post = (handler: ReturnType<typeof idempotentHttpHandler>, key: string, body: unknown) =>
  handler(anApiGatewayEvent({ method: 'POST', path: '/orders', headers: { 'Idempotency-Key': key }, body }), aLambdaContext());
const bodyOf = (result: APIGatewayProxyResult) => JSON.parse(result.body);
const storedRecords = async () => {
  const { Items } = await client.send(new ScanCommand({ TableName: 'idempotency' }));
  return Items ?? [];
};

describe('HTTP idempotency on the DynamoDB table', () => {
  it('replays the first answer, refuses a different body, and keeps one COMPLETED record with a TTL', async () => {
    let runs = 0;
    const handler = idempotentHttpHandler(createOrder, async ({ body }) => {
      runs += 1;
      return { status: 201, body: { orderId: `ord_${runs}`, sku: body.sku } };
    });

    const first = await post(handler, 'key-1', { sku: 'A' });
    const repeat = await post(handler, 'key-1', { sku: 'A' });
    const reused = await post(handler, 'key-1', { sku: 'B' });

    expect(runs).toBe(1);
    expect([first.statusCode, repeat.statusCode, reused.statusCode]).toEqual([201, 201, 422]);
    expect(bodyOf(repeat)).toEqual(bodyOf(first));
    expect(bodyOf(reused).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const records = (await storedRecords()).filter((item) => item.id.S?.startsWith('createOrder#'));
    expect(records).toEqual([expect.objectContaining({ status: { S: 'COMPLETED' }, expiration: { N: expect.any(String) } })]);
  });

  it('answers 409 while the first request runs, and leaves no record when that request fails', async () => {
    let release: () => void = () => undefined;
    const handler = idempotentHttpHandler(createOrder, async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      throw new ConflictError('the order changed meanwhile');
    });

    const first = post(handler, 'key-2', { sku: 'A' });
    for (let i = 0; i < 50 && (await storedRecords()).every((item) => item.status?.S !== 'INPROGRESS'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const concurrent = await post(handler, 'key-2', { sku: 'A' });
    release();
    const failed = await first;

    expect(concurrent.statusCode).toBe(409);
    expect(bodyOf(concurrent).error.code).toBe('REQUEST_IN_PROGRESS');
    expect(failed.statusCode).toBe(409);
    expect(bodyOf(failed).error.code).toBe('CONFLICT');
    expect((await storedRecords()).filter((item) => item.status?.S === 'INPROGRESS')).toEqual([]);
  });
});

describe('dynamoIdempotencyStore', () => {
  const TABLE = 'idempotency';
  let keys = 0;
  const aKey = () => `store-test#${(keys += 1)}`;
  const nowSeconds = () => Math.round(Date.now() / 1000);
  const aClaim = (overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
    validationHash: 'hash-of-the-request',
    inProgressUntil: Date.now() + 10_000,
    expiresAt: nowSeconds() + 3_600,
    ...overrides,
  });
  const itemOf = async (key: string) => (await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: key } }, ConsistentRead: true }))).Item;

  it('lets exactly one of concurrent claims of a key win, across instances; the others see it in progress', async () => {
    const instances = [dynamoIdempotencyStore(TABLE, client), dynamoIdempotencyStore(TABLE, client)];
    const key = aKey();

    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => instances[i % 2].claim(key, aClaim())));

    expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== 'claimed')).toEqual(
      Array.from({ length: 7 }, () => ({ status: 'INPROGRESS', validationHash: 'hash-of-the-request' })),
    );
  });

  it('writes the claim in the table layout Powertools wrote', async () => {
    const key = aKey();
    const claim = aClaim();

    await dynamoIdempotencyStore(TABLE, client).claim(key, claim);

    expect(await itemOf(key)).toEqual({
      id: { S: key },
      status: { S: 'INPROGRESS' },
      expiration: { N: String(claim.expiresAt) },
      in_progress_expiration: { N: String(claim.inProgressUntil) },
      validation: { S: 'hash-of-the-request' },
    });
  });

  it('lets a claim whose lease has run out be taken over', async () => {
    const store = dynamoIdempotencyStore(TABLE, client);
    const key = aKey();
    await store.claim(key, aClaim({ inProgressUntil: Date.now() - 1 }));

    const takeover = await store.claim(key, aClaim());
    const whileHeld = await store.claim(key, aClaim());

    expect(takeover).toBe('claimed');
    expect(whileHeld).toEqual({ status: 'INPROGRESS', validationHash: 'hash-of-the-request' });
  });

  it('releases only its own claim: not one taken over since, and not a completed record', async () => {
    const store = dynamoIdempotencyStore(TABLE, client);
    const key = aKey();
    const lapsed = aClaim({ inProgressUntil: Date.now() - 1 });
    const current = aClaim();
    await store.claim(key, lapsed);
    await store.claim(key, current);

    await store.release(key, lapsed.inProgressUntil);
    expect((await itemOf(key))?.in_progress_expiration).toEqual({ N: String(current.inProgressUntil) });

    await store.release(key, current.inProgressUntil);
    expect(await itemOf(key)).toBeUndefined();

    const completedKey = aKey();
    const claim = aClaim();
    await store.claim(completedKey, claim);
    await store.complete(completedKey, { data: { done: true }, expiresAt: claim.expiresAt });
    await store.release(completedKey, claim.inProgressUntil);
    expect((await itemOf(completedKey))?.status).toEqual({ S: 'COMPLETED' });
  });

  it('replays a completed record: its data (nested JSON, undefined fields dropped) and validation hash', async () => {
    const store = dynamoIdempotencyStore(TABLE, client);
    const key = aKey();
    const claim = aClaim();
    await store.claim(key, claim);
    const data = {
      status: 201,
      body: { orderId: 'ord_1', amount: { value: 240000, currency: 'BDT' }, tags: ['a', 1, true, null], note: '', missing: undefined },
      headers: {},
    };

    await store.complete(key, { data, validationHash: claim.validationHash, expiresAt: claim.expiresAt });
    const repeat = await dynamoIdempotencyStore(TABLE, client).claim(key, aClaim());

    const { missing: _dropped, ...body } = data.body;
    expect(repeat).toEqual({ status: 'COMPLETED', data: { ...data, body }, validationHash: 'hash-of-the-request' });
    expect(await itemOf(key)).toMatchObject({ status: { S: 'COMPLETED' }, data: { M: expect.objectContaining({ status: { N: '201' } }) } });
  });

  it('replays a completed record without data or validation as such', async () => {
    const store = dynamoIdempotencyStore(TABLE, client);
    const key = aKey();
    const claim = aClaim({ validationHash: undefined });
    await store.claim(key, claim);

    await store.complete(key, { data: undefined, expiresAt: claim.expiresAt });

    expect(await store.claim(key, aClaim())).toEqual({ status: 'COMPLETED', data: undefined });
  });

  it('lets a record past its expiration (TTL) be claimed again, before DynamoDB deletes it', async () => {
    const store = dynamoIdempotencyStore(TABLE, client);
    const key = aKey();
    const claim = aClaim();
    await store.claim(key, claim);
    await store.complete(key, { data: { done: true }, validationHash: claim.validationHash, expiresAt: nowSeconds() - 10 });

    expect(await store.claim(key, aClaim())).toBe('claimed');
    expect((await itemOf(key))?.status).toEqual({ S: 'INPROGRESS' });
  });

  it('claims again when the record that blocked the claim is gone by the time it is read', async () => {
    const key = aKey();
    await dynamoIdempotencyStore(TABLE, client).claim(key, aClaim());
    // A client whose reads come just after the blocking record was released.
    const racing = {
      send: async (command: unknown) => {
        if (command instanceof GetItemCommand) await client.send(new DeleteItemCommand({ TableName: TABLE, Key: { id: { S: key } } }));
        return client.send(command as GetItemCommand);
      },
    } as unknown as DynamoDBClient;

    expect(await dynamoIdempotencyStore(TABLE, racing).claim(key, aClaim())).toBe('claimed');
  });
});
