import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { anApiGatewayEvent } from '../../../../support/api-gateway';
import { platformEnv, setEnv } from '../../../../support/env';
import { aLambdaContext } from '../../../../support/lambda-context';
import { captureLogs } from '../../../../support/log-capture';
import { sampleEvent } from '../../../../support/sample-event';


setEnv({ ...platformEnv, CATALOG_TABLE: 'catalog-table', AWS_REGION: 'us-east-1' });
const { handler } = require('../../../../../functions/checkout/handlers/list-products') as typeof import('../../../../../functions/checkout/handlers/list-products');

const documents = mockClient(DynamoDBDocumentClient);
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.stop();
  documents.reset();
});
afterAll(() => documents.restore());

const aProduct = (sku: string, sellerId = 'seller-1') => ({
  sku,
  title: `Product ${sku}`,
  sellerId,
  prices: [{ value: 120000, currency: 'BDT' }],
  stock: 7,
  weightGrams: 250,
  dimensionsCm: { l: 30, w: 20, h: 3 },
});
const anItem = (sku: string, sellerId = 'seller-1') => ({
  pk: `PRODUCT#${sku}`,
  sk: 'PRODUCT',
  gsi1pk: `SELLER#${sellerId}`,
  gsi1sk: `PRODUCT#${sku}`,
  ...aProduct(sku, sellerId),
});

const list = async (query: Record<string, string> = {}) => {
  const result = await handler(anApiGatewayEvent({ path: '/products', query }), aLambdaContext());
  return { status: result.statusCode, body: JSON.parse(result.body) };
};

describe('GET /products', () => {
  it('answers the sample request in events/checkout/list-products.apigw.json', async () => {
    documents.on(QueryCommand).resolves({ Items: [anItem('TSHIRT-RED-M', 'seller-dhaka-1')] });

    const response = await handler(sampleEvent('checkout/list-products.apigw.json'), aLambdaContext());

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).items).toEqual([aProduct('TSHIRT-RED-M', 'seller-dhaka-1')]);
    expect(documents.commandCalls(QueryCommand)[0].args[0].input.ExpressionAttributeValues).toEqual({ ':seller': 'SELLER#seller-dhaka-1' });
  });

  it('scans the catalog when no seller is given, 20 per page by default, in the API shape', async () => {
    documents.on(ScanCommand).resolves({ Items: [anItem('A'), anItem('B')] });

    const { status, body } = await list();

    expect(status).toBe(200);
    expect(body).toEqual({ items: [aProduct('A'), aProduct('B')], nextCursor: null });
    expect(documents.commandCalls(ScanCommand)[0].args[0].input).toEqual({ TableName: 'catalog-table', Limit: 20 });
    expect(documents.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it("queries gsi1 for one seller's products", async () => {
    documents.on(QueryCommand).resolves({ Items: [anItem('A', 'seller-9')] });

    const { status, body } = await list({ sellerId: 'seller-9', limit: '5' });

    expect(status).toBe(200);
    expect(body.items).toEqual([aProduct('A', 'seller-9')]);
    expect(documents.commandCalls(QueryCommand)[0].args[0].input).toEqual({
      TableName: 'catalog-table',
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :seller',
      ExpressionAttributeValues: { ':seller': 'SELLER#seller-9' },
      Limit: 5,
    });
    expect(documents.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('round-trips the cursor: nextCursor of one page starts the next', async () => {
    const lastKey = { pk: 'PRODUCT#B', sk: 'PRODUCT' };
    documents.on(ScanCommand).resolvesOnce({ Items: [anItem('A'), anItem('B')], LastEvaluatedKey: lastKey }).resolvesOnce({ Items: [anItem('C')] });

    const first = await list({ limit: '2' });
    const second = await list({ limit: '2', cursor: first.body.nextCursor });

    expect(first.body.nextCursor).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]+$/));
    expect(documents.commandCalls(ScanCommand)[1].args[0].input.ExclusiveStartKey).toEqual(lastKey);
    expect(second.body).toEqual({ items: [aProduct('C')], nextCursor: null });
  });

  it("round-trips a seller listing's cursor, which carries the index key", async () => {
    const lastKey = { pk: 'PRODUCT#A', sk: 'PRODUCT', gsi1pk: 'SELLER#seller-9', gsi1sk: 'PRODUCT#A' };
    documents.on(QueryCommand).resolvesOnce({ Items: [anItem('A', 'seller-9')], LastEvaluatedKey: lastKey }).resolvesOnce({ Items: [] });

    const first = await list({ sellerId: 'seller-9', limit: '1' });
    await list({ sellerId: 'seller-9', limit: '1', cursor: first.body.nextCursor });

    expect(documents.commandCalls(QueryCommand)[1].args[0].input.ExclusiveStartKey).toEqual(lastKey);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor!'],
    ['JSON of the wrong shape', Buffer.from(JSON.stringify({ pk: 'ORDER#1', sk: 'PRODUCT' })).toString('base64url')],
    ['a key with extra attributes', Buffer.from(JSON.stringify({ pk: 'PRODUCT#A', sk: 'PRODUCT', admin: true })).toString('base64url')],
  ])('rejects a tampered cursor (%s) with 400 naming query.cursor, without reading the table', async (_case, cursor) => {
    const { status, body } = await list({ cursor });

    expect(status).toBe(400);
    expect(body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'invalid cursor',
      details: { fields: [{ path: 'query.cursor', message: 'not a cursor issued for this listing' }] },
    });
    expect(documents.calls()).toHaveLength(0);
  });

  it("rejects one seller's cursor on another seller's listing", async () => {
    const cursor = Buffer.from(JSON.stringify({ pk: 'PRODUCT#A', sk: 'PRODUCT', gsi1pk: 'SELLER#seller-1', gsi1sk: 'PRODUCT#A' })).toString('base64url');

    const { status } = await list({ sellerId: 'seller-2', cursor });

    expect(status).toBe(400);
  });

  it.each(['0', '101', 'ten', '2.5'])('rejects limit=%s with 400 listing query.limit', async (limit) => {
    const { status, body } = await list({ limit });

    expect(status).toBe(400);
    expect(body.error.details.fields.map((field: { path: string }) => field.path)).toEqual(['query.limit']);
  });

  it('answers 500 (not a half-valid page) when a stored item is corrupt', async () => {
    documents.on(ScanCommand).resolves({ Items: [{ ...anItem('A'), prices: [{ value: '12', currency: 'BDT' }] }] });

    const { status, body } = await list();

    expect(status).toBe(500);
    expect(body.error.message).toBe('Internal error');
  });
});
