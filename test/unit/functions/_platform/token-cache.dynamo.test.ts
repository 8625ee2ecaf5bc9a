import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type LocalDynamoDb, startDynamoDb } from '../../../../local/runtime/emulators/dynamodb';
import type { Clock } from '../../../../functions/_platform/clock';
import { dynamoTokenCache } from '../../../../functions/_platform/token-cache.dynamo';
import { singleTable } from '../../../support/dynamodb-tables';

// Against the local runtime's DynamoDB (dynalite) with the real SDK.
const TABLE = 'integration-state';
const START = Date.parse('2026-01-01T00:00:00Z');
let dynamo: LocalDynamoDb;
let documents: DynamoDBDocumentClient;
let now = START;
const clock: Clock = { now: () => new Date(now) };

beforeAll(async () => {
  dynamo = await startDynamoDb({ host: '127.0.0.1' });
  await dynamo.createTable(singleTable(TABLE));
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
});
afterAll(async () => {
  documents.destroy();
  await dynamo.stop();
});
beforeEach(() => {
  now = START;
});

describe('the token cache on DynamoDB', () => {
  it('stores a token under TOKEN#<provider> with a TTL in epoch seconds and reads it back', async () => {
    const cache = dynamoTokenCache(documents, TABLE, clock);
    const token = { accessToken: 'id-1', expiresAt: START + 3600_000, refreshToken: 'refresh-1', refreshableUntil: START + 86_400_000 };

    await cache.put('bkash', token);

    expect(await cache.get('bkash')).toEqual(token);
    const { Item } = await documents.send(new GetCommand({ TableName: TABLE, Key: { pk: 'TOKEN#bkash', sk: 'TOKEN' } }));
    expect(Item?.expiresAt).toBe((START + 86_400_000) / 1000);
  });

  it('is shared: a token one instance stores is what another reads', async () => {
    await dynamoTokenCache(documents, TABLE, clock).put('nagad', { accessToken: 'shared', expiresAt: START + 60_000 });
    expect(await dynamoTokenCache(documents, TABLE, clock).get('nagad')).toEqual({ accessToken: 'shared', expiresAt: START + 60_000 });
  });

  it('ignores an item past its TTL that DynamoDB has not deleted yet', async () => {
    const cache = dynamoTokenCache(documents, TABLE, clock);
    await cache.put('expiring', { accessToken: 'old', expiresAt: START + 60_000 });

    now = START + 61_000;

    expect(await cache.get('expiring')).toBeUndefined();
  });

  it('has nothing for a provider that never stored a token', async () => {
    expect(await dynamoTokenCache(documents, TABLE, clock).get('unknown')).toBeUndefined();
  });
});
