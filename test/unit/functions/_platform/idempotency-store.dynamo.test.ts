import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { type LocalDynamoDb, startDynamoDb } from '../../../../local/runtime/emulators/dynamodb';
import { ConflictError } from '../../../../functions/_platform/errors';
import { defineRoute } from '../../../../functions/_platform/openapi';
import { anApiGatewayEvent } from '../../../support/api-gateway';
import { idempotencyTable } from '../../../support/dynamodb-tables';
import { platformEnv, setEnv } from '../../../support/env';
import { aLambdaContext } from '../../../support/lambda-context';
import { captureLogs } from '../../../support/log-capture';


// The idempotent factory with its default store, the Powertools DynamoDB layer, against the local runtime's DynamoDB:
// the store's conditional writes are judged by a DynamoDB implementation, reached the way handlers reach it.
let dynamo: LocalDynamoDb;
let idempotentHttpHandler: typeof import('../../../../functions/_platform/idempotent-http-handler').idempotentHttpHandler;
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
});
afterAll(() => dynamo.stop());
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
  const client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { Items } = await client.send(new ScanCommand({ TableName: 'idempotency' }));
  client.destroy();
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
