import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoOrderRepository } from '../../../../../functions/checkout/adapters/order-repository.dynamo';
import { dynamoProductCatalog } from '../../../../../functions/checkout/adapters/product-catalog.dynamo';
import { dynamoStockLedger } from '../../../../../functions/checkout/adapters/stock-ledger.dynamo';
import { placeOrder } from '../../../../../functions/checkout/domain/place-order';
import { createIdGenerator } from '../../../../../functions/_platform/ids';
import { type LocalDynamoDb, startDynamoDb } from '../../../../../local/runtime/emulators/dynamodb';
import { singleTable } from '../../../../support/dynamodb-tables';
import { aPlaceOrder, aProduct, fixedClock, inMemoryCheckout } from '../../../../support/in-memory/checkout';

// Concurrent checkouts against the real conditional writes (dynalite over HTTP with the real SDK): the catalog, the
// stock ledger and the orders are the DynamoDB adapters; the gateway, saga and events stay in memory.
let dynamo: LocalDynamoDb;
let documents: DynamoDBDocumentClient;

const putProduct = (sku: string, stock: number) =>
  documents.send(new PutCommand({ TableName: 'catalog', Item: { pk: `PRODUCT#${sku}`, sk: 'PRODUCT', ...aProduct({ sku, stock }) } }));
const stockOf = async (sku: string) =>
  (await documents.send(new GetCommand({ TableName: 'catalog', Key: { pk: `PRODUCT#${sku}`, sk: 'PRODUCT' }, ConsistentRead: true }))).Item?.stock;

/** placeOrder's ports with the DynamoDB adapters for catalog, stock and orders. */
const checkoutOnDynamo = () => {
  const checkout = inMemoryCheckout();
  checkout.deps.catalog = dynamoProductCatalog(documents, 'catalog');
  checkout.deps.stock = dynamoStockLedger(documents, 'catalog');
  checkout.deps.orders = dynamoOrderRepository(documents, 'orders');
  checkout.deps.ids = createIdGenerator(fixedClock);
  return checkout;
};

beforeAll(async () => {
  dynamo = await startDynamoDb({ host: '127.0.0.1' });
  await dynamo.createTable(singleTable('catalog'));
  await dynamo.createTable(singleTable('orders'));
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
});
afterAll(async () => {
  documents.destroy();
  await dynamo.stop();
});

describe('placeOrder on DynamoDB', () => {
  it('20 concurrent checkouts for the last 5 units: exactly 5 orders, 15 OUT_OF_STOCK, stock at 0', async () => {
    await putProduct('LAST-UNITS', 5);
    const { deps } = checkoutOnDynamo();

    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => placeOrder(deps, aPlaceOrder({ items: [{ sku: 'LAST-UNITS', quantity: 1 }] }))),
    );

    const placed = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(placed).toHaveLength(5);
    expect(refused.map((outcome) => outcome.reason.code)).toEqual(Array(15).fill('OUT_OF_STOCK'));
    expect(await stockOf('LAST-UNITS')).toBe(0);
  });

  it('20 concurrent two-line checkouts where the second line runs out: the first line gets its units back', async () => {
    await putProduct('PLENTY', 20);
    await putProduct('SCARCE', 5);
    const { deps } = checkoutOnDynamo();

    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        placeOrder(deps, aPlaceOrder({ items: [{ sku: 'PLENTY', quantity: 1 }, { sku: 'SCARCE', quantity: 1 }] })),
      ),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    expect([await stockOf('PLENTY'), await stockOf('SCARCE')]).toEqual([15, 0]);
  });

  it('writes each placed order with its pending attempt in one item collection', async () => {
    await putProduct('ONE-ORDER', 3);
    const { deps } = checkoutOnDynamo();

    const { order, payment } = await placeOrder(deps, aPlaceOrder({ items: [{ sku: 'ONE-ORDER', quantity: 2 }] }));

    const { Items } = await documents.send(
      new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `ORDER#${order.orderId}` } }),
    );
    expect(Items?.map((item) => item.sk).sort()).toEqual(['ORDER', `PAYMENT#${payment.paymentId}`]);
    expect(await stockOf('ONE-ORDER')).toBe(1);
  });
});
