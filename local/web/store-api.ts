import type { Money } from './html';

export interface Product {
  sku: string;
  title: string;
  sellerId: string;
  prices: Money[];
  stock: number;
}

export interface ProductPage {
  items: Product[];
  nextCursor: string | null;
}

export interface PaymentSummary {
  paymentId: string;
  method: string;
  status: string;
  failureCode?: string;
  amount: Money;
}

export interface Order {
  orderId: string;
  status: string;
  amount: Money;
  items: Array<{ sku: string; title: string; quantity: number; unitPrice: Money }>;
  payments: PaymentSummary[];
  timeline: Array<{ at: string; status: string; event: string; cause?: string }>;
}

export interface CheckoutRequest {
  buyer: { name: string; email: string; phone: string; address: { line1: string; city: string; postalCode: string; country: string } };
  items: Array<{ sku: string; quantity: number }>;
  payment: { method: string; returnUrl: string };
  shipping: { serviceLevel: string };
}

export interface CheckoutResponse {
  orderId: string;
  status: string;
  amount: Money;
  payment: { paymentId: string; method: string; status: string; action: { type: string; url?: string } };
}

/** The API answered with its error envelope (or something that is not JSON). */
export class StoreApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StoreApiError';
  }
}

/** The Commerce Hub store API, called server-to-server with the store key (which never reaches a browser). */
export class StoreApi {
  private readonly baseUrl: string;

  constructor(apiUrl: string, private readonly storeKey: string) {
    this.baseUrl = apiUrl.replace(/\/+$/, '');
  }

  /** One page of the catalog. */
  listProducts(query: { sellerId?: string; cursor?: string }): Promise<ProductPage> {
    const params = new URLSearchParams({ limit: '100' });
    if (query.sellerId) params.set('sellerId', query.sellerId);
    if (query.cursor) params.set('cursor', query.cursor);
    return this.call<ProductPage>('GET', `/products?${params}`);
  }

  /** Places the order; the same idempotency key with the same body answers the first answer again. */
  createCheckout(body: CheckoutRequest, idempotencyKey: string): Promise<CheckoutResponse> {
    return this.call<CheckoutResponse>('POST', '/checkouts', body, { 'idempotency-key': idempotencyKey });
  }

  /** A new payment attempt for an order whose last one failed, with the same or another method. */
  retryPayment(orderId: string, payment: CheckoutRequest['payment'], idempotencyKey: string): Promise<CheckoutResponse> {
    return this.call<CheckoutResponse>('POST', `/orders/${encodeURIComponent(orderId)}/payments`, payment, { 'idempotency-key': idempotencyKey });
  }

  getOrder(orderId: string): Promise<Order> {
    return this.call<Order>('GET', `/orders/${encodeURIComponent(orderId)}`);
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'x-api-key': this.storeKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new StoreApiError(502, 'API_UNREACHABLE', `The Commerce Hub API at ${this.baseUrl} did not answer (${(err as Error).message}).`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new StoreApiError(502, 'BAD_RESPONSE', `The Commerce Hub API answered ${res.status} with a body that is not JSON.`);
    }
    if (res.ok) return parsed as T;
    const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }).error;
    throw new StoreApiError(res.status, error?.code ?? 'UNKNOWN', error?.message ?? `The Commerce Hub API answered ${res.status}.`, error?.details);
  }
}
