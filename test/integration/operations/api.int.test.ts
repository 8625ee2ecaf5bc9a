import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig, localEndpoints, resource } from '../../support/local-stack';

const endpoints = localEndpoints();
const storeKey = endpoints.apiKeys[0].value;
/** GET on the local API; the body is parsed JSON (typed loosely: the assertions check its shape). */
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${endpoints.api.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as any };
};

describe('GET /v1/health', () => {
  it('answers 200 with every table, the events topic and every provider secret ok', async () => {
    const { status, body } = await get('/health');
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    const names = body.dependencies.map((d: { name: string }) => d.name);
    expect(names).toEqual(expect.arrayContaining(['table:orders', 'table:catalog', 'table:idempotency', 'topic:events', 'secret:bkash', 'secret:nagad']));
    for (const dependency of body.dependencies) expect(dependency).toMatchObject({ status: 'ok', latencyMs: expect.any(Number) });
  });
});

describe('GET /v1/openapi.json', () => {
  it('describes the routes with the API-key scheme and the error envelope', async () => {
    const { status, body: doc } = await get('/openapi.json');
    expect(status).toBe(200);
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/products']));
    expect(JSON.stringify(doc.components)).toContain('x-api-key');
  });
});

describe('store routes', () => {
  it('refuse a request without an API key with 403 in the error envelope', async () => {
    const { status, body } = await get('/products');
    expect(status).toBe(403);
    expect(body).toEqual({ error: { code: 'FORBIDDEN', message: 'Forbidden', details: { requestId: expect.any(String) } } });
  });

  it('refuse a wrong API key the same way', async () => {
    const { status, body } = await get('/products', { 'x-api-key': 'not-a-key' });
    expect(status).toBe(403);
    expect(body.error.code).toBe('FORBIDDEN');
  });

  it('answer with a store key: a seller’s products, a page at a time', async () => {
    // The catalog upsert route comes with checkout; until then the products are written as its repository stores them.
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(endpoints, 'dynamodb')));
    const sellerId = `seller-${randomUUID()}`;
    const skus = ['TSHIRT-RED-M', 'TSHIRT-RED-L'];
    for (const sku of skus) {
      await ddb.send(new PutCommand({
        TableName: resource(endpoints, 'Stateful/CatalogTable').ref,
        Item: {
          pk: `PRODUCT#${sku}`, sk: 'PRODUCT', gsi1pk: `SELLER#${sellerId}`, gsi1sk: `PRODUCT#${sku}`,
          sku, title: `T-shirt ${sku}`, sellerId, prices: [{ value: 120000, currency: 'BDT' }], stock: 5, weightGrams: 200,
          dimensionsCm: { l: 30, w: 20, h: 2 },
        },
      }));
    }
    ddb.destroy();

    const first = await get(`/products?sellerId=${sellerId}&limit=1`, { 'x-api-key': storeKey });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`/products?sellerId=${sellerId}&limit=1&cursor=${first.body.nextCursor}`, { 'x-api-key': storeKey });
    const listed = [...first.body.items, ...second.body.items];
    expect(listed.map((p: { sku: string }) => p.sku).sort()).toEqual([...skus].sort());
    expect(listed[0]).toEqual(expect.objectContaining({ sellerId, prices: [{ value: 120000, currency: 'BDT' }], stock: 5 }));
  });

  it('reject bad query parameters with 400 listing the field', async () => {
    const { status, body } = await get('/products?limit=0', { 'x-api-key': storeKey });
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(body.error.details)).toContain('limit');
  });
});

describe('an unknown route', () => {
  it('gets 403 in the envelope, as API Gateway answers', async () => {
    const { status, body } = await get('/no-such-route', { 'x-api-key': storeKey });
    expect(status).toBe(403);
    expect(body.error.code).toBe('FORBIDDEN');
  });
});
