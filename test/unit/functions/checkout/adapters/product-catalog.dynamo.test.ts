import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type LocalDynamoDb, startDynamoDb } from '../../../../../local/runtime/emulators/dynamodb';
import { dynamoProductCatalog } from '../../../../../functions/checkout/adapters/product-catalog.dynamo';
import type { ProductListQuery } from '../../../../../functions/checkout/domain/ports';
import { ValidationError } from '../../../../../functions/_platform/errors';
import { singleTable } from '../../../../support/dynamodb-tables';

// Against the local runtime's DynamoDB (dynalite) with the real SDK, so the cursors are real LastEvaluatedKeys.
let dynamo: LocalDynamoDb;
let documents: DynamoDBDocumentClient;

const aProduct = (sku: string, sellerId: string) => ({
  sku,
  title: `Product ${sku}`,
  sellerId,
  prices: [{ value: 99000, currency: 'BDT' }],
  stock: 5,
  weightGrams: 300,
  dimensionsCm: { l: 10, w: 10, h: 10 },
});
const SELLER_A = ['A1', 'A2', 'A3', 'A4', 'A5'];
const SELLER_B = ['B1', 'B2'];

beforeAll(async () => {
  dynamo = await startDynamoDb({ host: '127.0.0.1' });
  await dynamo.createTable(singleTable('catalog'));
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const products = [...SELLER_A.map((sku) => aProduct(sku, 'seller-a')), ...SELLER_B.map((sku) => aProduct(sku, 'seller-b'))];
  for (const product of products) {
    await documents.send(
      new PutCommand({
        TableName: 'catalog',
        Item: { pk: `PRODUCT#${product.sku}`, sk: 'PRODUCT', gsi1pk: `SELLER#${product.sellerId}`, gsi1sk: `PRODUCT#${product.sku}`, ...product },
      }),
    );
  }
});
afterAll(async () => {
  documents.destroy();
  await dynamo.stop();
});

const allPages = async (query: Omit<ProductListQuery, 'cursor'>) => {
  const catalog = dynamoProductCatalog(documents, 'catalog');
  const skus: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const result = await catalog.list({ ...query, cursor });
    skus.push(...result.items.map((item) => item.sku));
    if (result.nextCursor === null) return skus;
    cursor = result.nextCursor;
  }
  throw new Error('the listing never ended');
};

describe('the product catalog on DynamoDB', () => {
  it('pages through the whole catalog with its cursors, each product once', async () => {
    const skus = await allPages({ limit: 2 });

    expect(skus.sort()).toEqual([...SELLER_A, ...SELLER_B].sort());
  });

  it("pages through one seller's products in SKU order", async () => {
    expect(await allPages({ sellerId: 'seller-a', limit: 2 })).toEqual(SELLER_A);
    expect(await allPages({ sellerId: 'seller-b', limit: 10 })).toEqual(SELLER_B);
  });

  it("refuses a seller cursor on another seller's listing, and a scan cursor on a seller listing", async () => {
    const catalog = dynamoProductCatalog(documents, 'catalog');
    const sellerPage = await catalog.list({ sellerId: 'seller-a', limit: 1 });
    const scanPage = await catalog.list({ limit: 1 });

    await expect(catalog.list({ sellerId: 'seller-b', limit: 1, cursor: sellerPage.nextCursor ?? '' })).rejects.toBeInstanceOf(ValidationError);
    await expect(catalog.list({ sellerId: 'seller-a', limit: 1, cursor: scanPage.nextCursor ?? '' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('upserting a product', () => {
  const details = (sku: string, sellerId = 'seller-u') => {
    const { stock: _stock, ...rest } = aProduct(sku, sellerId);
    return rest;
  };

  it('creates with stock 0 when none is given, then replaces, reporting which happened', async () => {
    const catalog = dynamoProductCatalog(documents, 'catalog');
    expect(await catalog.upsert(details('U1'), { keep: true })).toEqual({ product: { ...details('U1'), stock: 0 }, created: true });
    const replaced = await catalog.upsert({ ...details('U1'), title: 'Renamed' }, { set: 9 });
    expect(replaced).toEqual({ product: { ...details('U1'), title: 'Renamed', stock: 9 }, created: false });
  });

  it('applies concurrent stock deltas atomically, none lost', async () => {
    const catalog = dynamoProductCatalog(documents, 'catalog');
    await catalog.upsert(details('U2'), { set: 10 });
    await Promise.all(Array.from({ length: 10 }, () => catalog.upsert(details('U2'), { delta: -1 })));
    expect((await catalog.upsert(details('U2'), { keep: true })).product.stock).toBe(0);
  });

  it('refuses a decrease below zero and leaves the stock as it was', async () => {
    const catalog = dynamoProductCatalog(documents, 'catalog');
    await catalog.upsert(details('U3'), { set: 2 });
    await expect(catalog.upsert(details('U3'), { delta: -3 })).rejects.toMatchObject({ code: 'STOCK_BELOW_ZERO', details: { sku: 'U3' } });
    expect((await catalog.upsert(details('U3'), { keep: true })).product.stock).toBe(2);
  });

  it('moves a product to its new seller’s listing', async () => {
    const catalog = dynamoProductCatalog(documents, 'catalog');
    await catalog.upsert(details('U4', 'seller-old'), { set: 1 });
    await catalog.upsert(details('U4', 'seller-new'), { keep: true });
    expect((await catalog.list({ sellerId: 'seller-old', limit: 10 })).items).toEqual([]);
    expect((await catalog.list({ sellerId: 'seller-new', limit: 10 })).items.map((p) => p.sku)).toEqual(['U4']);
  });
});

describe('reading the products of a checkout', () => {
  it('returns the products asked for, once each, and leaves unknown SKUs out', async () => {
    const products = await dynamoProductCatalog(documents, 'catalog').getMany(['A1', 'B2', 'NOPE', 'A1']);

    expect(products.map((product) => product.sku).sort()).toEqual(['A1', 'B2']);
    expect(products.find((product) => product.sku === 'B2')).toEqual(aProduct('B2', 'seller-b'));
  });

  it('reads more than one BatchGetItem can take (100 keys)', async () => {
    const skus = Array.from({ length: 150 }, (_, index) => `BULK-${index}`);
    for (const sku of skus.slice(0, 120)) {
      await documents.send(new PutCommand({ TableName: 'catalog', Item: { pk: `PRODUCT#${sku}`, sk: 'PRODUCT', ...aProduct(sku, 'seller-bulk') } }));
    }

    const products = await dynamoProductCatalog(documents, 'catalog').getMany(skus);

    expect(products).toHaveLength(120);
  });
});
