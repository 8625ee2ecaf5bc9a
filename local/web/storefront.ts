import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addToCart, cartCookie, readCart, removeFromCart } from './cart';
import { type BuyerForm, cartPage, errorPage, orderPage, productsPage, SAMPLE_BUYER, STORE_CURRENCY } from './pages';
import { type CheckoutRequest, StoreApi, StoreApiError } from './store-api';
import { readBoundedBody } from '../http-body';

export interface StorefrontOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** The Commerce Hub API base URL, ending in /v1. */
  apiUrl: string;
  /** The store API key; used server-side only. */
  storeKey: string;
}

export interface RunningStorefront {
  url: string;
  stop(): Promise<void>;
}

const MAX_FORM_BYTES = 64 * 1024;
const ORDER_ID = /^[A-Za-z0-9_-]{1,128}$/;
const ORDER_PATH = /^\/orders\/([A-Za-z0-9_-]{1,128})(\.json)?$/;
/** What the API accepts as an Idempotency-Key (API.md). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const PAY_AGAIN_PATH = /^\/orders\/([A-Za-z0-9_-]{1,128})\/pay$/;
const PAYMENT_METHODS = new Set(['bkash', 'nagad']);

class BadRequest extends Error {}

const readForm = async (req: IncomingMessage): Promise<URLSearchParams> =>
  new URLSearchParams((await readBoundedBody(req, MAX_FORM_BYTES, () => new BadRequest('The form is too large.'))).toString('utf8'));

const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
};
const redirect = (res: ServerResponse, location: string, headers: Record<string, string> = {}): void => {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...headers });
  res.end();
};
/** The status a page shows for an API failure: the API's own 4xx, or 502 when the API itself failed. */
const pageStatusOf = (error: StoreApiError): number => (error.status >= 400 && error.status < 500 ? error.status : 502);

const buyerFormOf = (form: URLSearchParams): BuyerForm => ({
  name: form.get('name') ?? '',
  email: form.get('email') ?? '',
  phone: form.get('phone') ?? '',
  line1: form.get('line1') ?? '',
  city: form.get('city') ?? '',
  postalCode: form.get('postalCode') ?? '',
  country: form.get('country') ?? '',
  method: form.get('method') ?? '',
});

/** The storefront's routes, bound to one API and its own public URL (for the payment return). */
const routes = (api: StoreApi, storefrontUrl: () => string) => {
  const products = async (url: URL, res: ServerResponse) => {
    const query = { sellerId: url.searchParams.get('sellerId') ?? undefined, cursor: url.searchParams.get('cursor') ?? undefined };
    try {
      send(res, 200, productsPage(await api.listProducts(query), query));
    } catch (err) {
      if (!(err instanceof StoreApiError)) throw err;
      send(res, pageStatusOf(err), productsPage(undefined, query, err));
    }
  };

  const addLine = async (req: IncomingMessage, res: ServerResponse) => {
    const form = await readForm(req);
    const sku = form.get('sku') ?? '';
    const quantity = Number(form.get('quantity'));
    const priceValue = Number(form.get('priceValue'));
    if (!sku || !Number.isInteger(quantity) || quantity < 1 || !Number.isInteger(priceValue)) throw new BadRequest('Choose a whole quantity of at least 1.');
    const line = { sku, title: form.get('title') ?? sku, quantity, unitPrice: { value: priceValue, currency: STORE_CURRENCY } };
    redirect(res, '/cart', { 'set-cookie': cartCookie(addToCart(readCart(req.headers.cookie), line)) });
  };

  const removeLine = async (req: IncomingMessage, res: ServerResponse) => {
    const form = await readForm(req);
    redirect(res, '/cart', { 'set-cookie': cartCookie(removeFromCart(readCart(req.headers.cookie), form.get('sku') ?? '')) });
  };

  const checkout = async (req: IncomingMessage, res: ServerResponse) => {
    const form = await readForm(req);
    const lines = readCart(req.headers.cookie);
    const buyer = buyerFormOf(form);
    const idempotencyKey = form.get('idempotencyKey') ?? '';
    if (lines.length === 0) return send(res, 400, cartPage(lines, buyer, randomUUID(), 'Your cart is empty.'));
    if (!PAYMENT_METHODS.has(buyer.method) || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      return send(res, 400, cartPage(lines, { ...buyer, method: SAMPLE_BUYER.method }, randomUUID(), 'Choose bKash or Nagad and submit the form again.'));
    }
    const request: CheckoutRequest = {
      buyer: {
        name: buyer.name,
        email: buyer.email,
        phone: buyer.phone,
        address: { line1: buyer.line1, city: buyer.city, postalCode: buyer.postalCode, country: buyer.country },
      },
      items: lines.map(({ sku, quantity }) => ({ sku, quantity })),
      payment: { method: buyer.method, returnUrl: `${storefrontUrl()}/orders/return` },
      shipping: { serviceLevel: 'standard' },
    };
    try {
      const placed = await api.createCheckout(request, idempotencyKey);
      const next = placed.payment.action.type === 'redirect' && placed.payment.action.url ? placed.payment.action.url : `/orders/${encodeURIComponent(placed.orderId)}`;
      redirect(res, next, { 'set-cookie': cartCookie([]) });
    } catch (err) {
      if (!(err instanceof StoreApiError)) throw err;
      // A fresh key: the buyer will change something (quantity, method) and that is a new submission.
      send(res, pageStatusOf(err), cartPage(lines, buyer, randomUUID(), err));
    }
  };

  const payAgain = async (orderId: string, req: IncomingMessage, res: ServerResponse) => {
    const form = await readForm(req);
    const method = form.get('method') ?? '';
    const idempotencyKey = form.get('idempotencyKey') ?? '';
    if (!PAYMENT_METHODS.has(method) || !IDEMPOTENCY_KEY.test(idempotencyKey)) throw new BadRequest('Choose bKash or Nagad and submit the form again.');
    try {
      const attempt = await api.retryPayment(orderId, { method, returnUrl: `${storefrontUrl()}/orders/return` }, idempotencyKey);
      redirect(res, attempt.payment.action.url ?? `/orders/${encodeURIComponent(orderId)}`);
    } catch (err) {
      if (!(err instanceof StoreApiError)) throw err;
      send(res, pageStatusOf(err), errorPage('The payment could not be started', err));
    }
  };

  const order = async (orderId: string, asJson: boolean, res: ServerResponse) => {
    try {
      const found = await api.getOrder(orderId);
      // A fresh key per rendering of the form: one submission of it is one attempt, a double click the same one.
      if (!asJson) return send(res, 200, orderPage(found, randomUUID()));
      const { status, amount, items, payments, timeline } = found;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ orderId: found.orderId, status, amount, items, payments, timeline }));
    } catch (err) {
      if (!(err instanceof StoreApiError)) throw err;
      if (!asJson) return send(res, pageStatusOf(err), errorPage('Order not available', err));
      res.writeHead(pageStatusOf(err), { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: { code: err.code, message: err.message } }));
    }
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://storefront.local');
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /') return products(url, res);
    if (route === 'GET /cart') return send(res, 200, cartPage(readCart(req.headers.cookie), SAMPLE_BUYER, randomUUID()));
    if (route === 'POST /cart/add') return addLine(req, res);
    if (route === 'POST /cart/remove') return removeLine(req, res);
    if (route === 'POST /checkout') return checkout(req, res);
    if (route === 'GET /orders/return') {
      const orderId = url.searchParams.get('orderId') ?? '';
      if (!ORDER_ID.test(orderId)) throw new BadRequest('The payment return did not name a valid order.');
      return redirect(res, `/orders/${orderId}`);
    }
    const payAgainPath = req.method === 'POST' ? PAY_AGAIN_PATH.exec(url.pathname) : null;
    if (payAgainPath) return payAgain(payAgainPath[1], req, res);
    const orderPath = req.method === 'GET' ? ORDER_PATH.exec(url.pathname) : null;
    if (orderPath) return order(orderPath[1], orderPath[2] !== undefined, res);
    send(res, 404, errorPage('Not found', `Nothing at ${url.pathname}.`));
  };
};

/**
 * Starts the local demo storefront: a store's backend and its server-rendered pages in one node:http server. It
 * calls the Commerce Hub API server-to-server with the store key (so the key never reaches the browser) and sends
 * buyers to the gateway's payer page; the API sends them back to `<url>/orders/return`.
 */
export const startStorefront = async (options: StorefrontOptions): Promise<RunningStorefront> => {
  const host = options.host ?? '127.0.0.1';
  const api = new StoreApi(options.apiUrl, options.storeKey);
  let url = '';
  const handle = routes(api, () => url);
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof BadRequest) return send(res, 400, errorPage('Bad request', err.message));
      send(res, 500, errorPage('Storefront error', (err as Error).message ?? String(err)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // A wildcard address is not somewhere a browser can be sent back to.
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  url = `http://${publicHost}:${port}`;
  return {
    url,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
};
