import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoStockLedger } from '../../../../../functions/checkout/adapters/stock-ledger.dynamo';
import { type LocalDynamoDb, startDynamoDb } from '../../../../../local/runtime/emulators/dynamodb';
import { singleTable } from '../../../../support/dynamodb-tables';

// Against the local runtime's DynamoDB (dynalite) with the real SDK: the condition is what prevents overselling.
let dynamo: LocalDynamoDb;
let documents: DynamoDBDocumentClient;
const TABLE = 'catalog';

const keyOf = (sku: string) => ({ pk: `PRODUCT#${sku}`, sk: 'PRODUCT' });
const putProduct = (sku: string, stock: number) =>
  documents.send(new PutCommand({ TableName: TABLE, Item: { ...keyOf(sku), sku, title: sku, sellerId: 's1', prices: [], stock, weightGrams: 1, dimensionsCm: { l: 1, w: 1, h: 1 } } }));
const stockOf = async (sku: string) => (await documents.send(new GetCommand({ TableName: TABLE, Key: keyOf(sku), ConsistentRead: true }))).Item?.stock;

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

describe('the stock ledger on DynamoDB', () => {
  it('takes units when there are enough and tells what is left', async () => {
    await putProduct('TAKE-OK', 7);

    expect(await dynamoStockLedger(documents, TABLE).take({ sku: 'TAKE-OK', quantity: 5 })).toBe(2);
    expect(await stockOf('TAKE-OK')).toBe(2);
  });

  it('refuses to take more than there is, changing nothing', async () => {
    await putProduct('TAKE-SHORT', 2);

    expect(await dynamoStockLedger(documents, TABLE).take({ sku: 'TAKE-SHORT', quantity: 3 })).toBeUndefined();
    expect(await stockOf('TAKE-SHORT')).toBe(2);
  });

  it('refuses to take from a product that does not exist, and creates nothing', async () => {
    expect(await dynamoStockLedger(documents, TABLE).take({ sku: 'GHOST', quantity: 1 })).toBeUndefined();
    expect((await documents.send(new GetCommand({ TableName: TABLE, Key: keyOf('GHOST') }))).Item).toBeUndefined();
  });

  it('never oversells: 20 concurrent takes of the last 5 units, exactly 5 succeed', async () => {
    await putProduct('LAST-FIVE', 5);
    const ledger = dynamoStockLedger(documents, TABLE);

    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.take({ sku: 'LAST-FIVE', quantity: 1 })));

    expect(results.filter((left) => left !== undefined).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await stockOf('LAST-FIVE')).toBe(0);
  });

  it('puts units back atomically, concurrent put-backs included', async () => {
    await putProduct('PUT-BACK', 1);
    const ledger = dynamoStockLedger(documents, TABLE);

    await Promise.all(Array.from({ length: 10 }, () => ledger.putBack({ sku: 'PUT-BACK', quantity: 2 })));

    expect(await stockOf('PUT-BACK')).toBe(21);
  });

  it('does not resurrect a deleted product as a bare stock count when putting back', async () => {
    await putProduct('DELETED', 1);
    await documents.send(new DeleteCommand({ TableName: TABLE, Key: keyOf('DELETED') }));

    await dynamoStockLedger(documents, TABLE).putBack({ sku: 'DELETED', quantity: 3 });

    expect((await documents.send(new GetCommand({ TableName: TABLE, Key: keyOf('DELETED') }))).Item).toBeUndefined();
  });
});
