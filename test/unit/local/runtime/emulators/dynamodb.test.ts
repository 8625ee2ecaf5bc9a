import { DynamoDBClient, GetItemCommand, PutItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startAwsEndpoint } from '../../../../../local/runtime/emulators/aws-endpoint';
import { LocalDynamoDb, startDynamoDb } from '../../../../../local/runtime/emulators/dynamodb';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let dynamodb: LocalDynamoDb;
let endpoint: Awaited<ReturnType<typeof startAwsEndpoint>>;
let direct: DynamoDBClient;
let viaSharedEndpoint: DynamoDBClient;

beforeAll(async () => {
  dynamodb = await startDynamoDb({ host: '127.0.0.1' });
  endpoint = await startAwsEndpoint({ port: 0, services: [dynamodb.service] });
  direct = new DynamoDBClient({ endpoint: dynamodb.url, region: 'us-east-1', credentials });
  viaSharedEndpoint = new DynamoDBClient({ endpoint: endpoint.url, region: 'us-east-1', credentials });
  await dynamodb.createTable({
    tableName: 'Sessions',
    keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    timeToLiveAttribute: 'expiresAt',
  });
});

afterAll(async () => {
  direct.destroy();
  viaSharedEndpoint.destroy();
  await endpoint.stop();
  await dynamodb.stop();
});

describe('local DynamoDB', () => {
  it('keeps an existing table when it is declared again (a persisted run restarting)', async () => {
    const again = await dynamodb.createTable({
      tableName: 'Sessions',
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    });
    expect(again).toBe('existing');
  });

  it('deletes items whose TTL attribute has passed and keeps the others', async () => {
    const now = Math.floor(Date.now() / 1000);
    await direct.send(new PutItemCommand({ TableName: 'Sessions', Item: { pk: { S: 'old' }, expiresAt: { N: String(now - 60) } } }));
    await direct.send(new PutItemCommand({ TableName: 'Sessions', Item: { pk: { S: 'fresh' }, expiresAt: { N: String(now + 3600) } } }));
    await direct.send(new PutItemCommand({ TableName: 'Sessions', Item: { pk: { S: 'forever' } } }));

    expect(await dynamodb.sweepExpiredItems()).toBe(1);

    const exists = async (pk: string) => Boolean((await direct.send(new GetItemCommand({ TableName: 'Sessions', Key: { pk: { S: pk } } }))).Item);
    expect(await exists('old')).toBe(false);
    expect(await exists('fresh')).toBe(true);
    expect(await exists('forever')).toBe(true);
  });

  it('answers through the shared AWS endpoint as well as on its own port', async () => {
    const { TableNames } = await viaSharedEndpoint.send(new ListTablesCommand({}));
    expect(TableNames).toContain('Sessions');
    await viaSharedEndpoint.send(new PutItemCommand({ TableName: 'Sessions', Item: { pk: { S: 'shared' } } }));
    expect((await direct.send(new GetItemCommand({ TableName: 'Sessions', Key: { pk: { S: 'shared' } } }))).Item?.pk.S).toBe('shared');
  });
});
