import { randomUUID } from 'node:crypto';
import { operatorFetch } from '../../local/runtime/operator-client';
import { eventually, localEndpoints } from './local-stack';

/** The gateways the local stack simulates. */
export type Gateway = 'bkash' | 'nagad';

/** The parsed JSON body (typed loosely: the assertions check its shape). */
export const json = async (res: Response): Promise<any> => res.json();

/**
 * A store's view of the running local stack (integration tests): the API with the store key, the catalog through
 * the operator route, real checkouts, the simulators' control API and the buyer's side of the gateway pages.
 */
export const storeApi = (sellerId: string) => {
  const endpoints = localEndpoints();
  const operator = { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey };

  const api = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${endpoints.api.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-api-key': endpoints.apiKeys[0].value, 'content-type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  /** POST with a fresh Idempotency-Key (or the given one). */
  const create = (path: string, body: unknown, key: string = randomUUID()) => api(path, { method: 'POST', body, headers: { 'idempotency-key': key } });

  const control = async (gateway: Gateway, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${endpoints.simulators[gateway]}/__control${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };

  const aProduct = async (stock: number, price = 35000) => {
    const sku = `IT-${randomUUID().slice(0, 8)}`;
    const res = await operatorFetch(`${endpoints.api.url}/products/${sku}`, {
      method: 'PUT',
      body: { title: 'Cotton gamcha', sellerId, prices: [{ value: price, currency: 'BDT' }], stock, weightGrams: 150, dimensionsCm: { l: 20, w: 15, h: 2 } },
    }, operator);
    if (res.status !== 201) throw new Error(`product not created: ${res.status}`);
    return sku;
  };
  const stockOf = async (sku: string) =>
    (await json(await api(`/products?sellerId=${sellerId}&limit=100`))).items.find((p: { sku: string }) => p.sku === sku).stock as number;

  /** A checkout body for `quantity` units of `sku`, paid with `method` (any method name, to test refusals too). */
  const order = (sku: string, quantity: number, method: string) => ({
    buyer: { name: 'Rahim Uddin', email: 'rahim@example.com', phone: '+8801712345678', address: { line1: 'House 12, Road 5', city: 'Dhaka', postalCode: '1207', country: 'BD' } },
    items: [{ sku, quantity }],
    payment: { method, returnUrl: 'https://shop.example/return' },
    shipping: { serviceLevel: 'standard' },
  });

  const getOrder = async (orderId: string) => json(await api(`/orders/${orderId}`));
  /**
   * The buyer acts on the gateway's page (`redirectUrl`, the checkout's `payment.action.url`, ends with the gateway's
   * reference) and the browser follows the redirect back through our return route.
   */
  const buyerActs = async (gateway: Gateway, redirectUrl: string, action: string) => {
    const reference = new URL(redirectUrl).pathname.split('/').filter(Boolean).at(-1)!;
    const { redirectUrl: back } = await control(gateway, `/buyer/${encodeURIComponent(reference)}`, { action });
    return back ? fetch(back, { redirect: 'manual' }) : undefined;
  };

  /** The order once its status is `status` and no payment is pending (the saga writes the two one after the other). */
  const orderIn = (orderId: string, status: string) =>
    eventually(async () => {
      const current = await getOrder(orderId);
      return current.status === status && current.payments.every((p: { status: string }) => p.status !== 'pending') ? current : undefined;
    }, `order ${orderId} to be ${status}`);

  return { endpoints, api, create, control, aProduct, stockOf, order, getOrder, buyerActs, orderIn };
};
