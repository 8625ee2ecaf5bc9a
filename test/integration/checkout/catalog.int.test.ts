import { randomUUID } from 'node:crypto';
import { operatorFetch } from '../../../local/runtime/operator-client';
import { localEndpoints } from '../../support/local-stack';

const endpoints = localEndpoints();
const operator = { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey };
const storeKey = endpoints.apiKeys[0].value;

const aProduct = (sellerId: string) => ({
  title: 'Nakshi kantha quilt', sellerId, prices: [{ value: 560000, currency: 'BDT' }], stock: 4, weightGrams: 1200,
  dimensionsCm: { l: 50, w: 40, h: 8 },
});
/** The parsed JSON body (typed loosely: the assertions check its shape). */
const json = async (res: Response): Promise<any> => res.json();
const put = (sku: string, body: unknown) => operatorFetch(`${endpoints.api.url}/products/${sku}`, { method: 'PUT', body }, operator);
const listSeller = async (sellerId: string) =>
  ((await (await fetch(`${endpoints.api.url}/products?sellerId=${sellerId}`, { headers: { 'x-api-key': storeKey } })).json()) as { items: Array<Record<string, unknown>> }).items;

describe('PUT /v1/products/{sku} (operators)', () => {
  it('creates a product with a SigV4-signed request (201), then replaces it (200); stores list it', async () => {
    const sellerId = `seller-${randomUUID()}`;
    const sku = `KANTHA-${randomUUID().slice(0, 8)}`;
    const created = await put(sku, aProduct(sellerId));
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ sku, ...aProduct(sellerId) });

    const replaced = await put(sku, { ...aProduct(sellerId), title: 'Nakshi kantha quilt, large' });
    expect(replaced.status).toBe(200);
    expect(await listSeller(sellerId)).toEqual([expect.objectContaining({ sku, title: 'Nakshi kantha quilt, large', stock: 4 })]);
  });

  it('changes stock by a delta and refuses one that would go below zero, changing nothing', async () => {
    const sellerId = `seller-${randomUUID()}`;
    const sku = `KANTHA-${randomUUID().slice(0, 8)}`;
    await put(sku, aProduct(sellerId));
    const { stock: _stock, ...details } = aProduct(sellerId);
    expect((await json(await put(sku, { ...details, stockDelta: -3 }))).stock).toBe(1);

    const refused = await put(sku, { ...details, stockDelta: -2 });
    expect(refused.status).toBe(422);
    expect((await json(refused)).error).toMatchObject({ code: 'STOCK_BELOW_ZERO', details: { sku } });
    expect(await listSeller(sellerId)).toEqual([expect.objectContaining({ stock: 1 })]);
  });

  it('lists every bad field of an invalid product with 400', async () => {
    const res = await put('BAD-1', { title: '', sellerId: 's', prices: [], weightGrams: -1, dimensionsCm: { l: 1, w: 1, h: 1 }, stock: 1, stockDelta: 1 });
    expect(res.status).toBe(400);
    const paths = ((await json(res)).error.details.fields as Array<{ path: string }>).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.title', 'body.prices', 'body.weightGrams']));
  });

  it('refuses an unsigned request with 403 and a store API key is no substitute', async () => {
    const res = await fetch(`${endpoints.api.url}/products/ANY-1`, {
      method: 'PUT', headers: { 'content-type': 'application/json', 'x-api-key': storeKey }, body: JSON.stringify(aProduct('s')),
    });
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe('FORBIDDEN');
  });

  it('refuses a request signed with the wrong secret', async () => {
    const res = await operatorFetch(`${endpoints.api.url}/products/ANY-2`, { method: 'PUT', body: aProduct('s') }, { ...operator, secretAccessKey: 'wrong' });
    expect(res.status).toBe(403);
  });
});
