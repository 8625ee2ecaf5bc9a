/**
 * The one way out to a provider (payment gateway, carrier, messaging provider, revenue system). Adapters build a
 * request and classify the answer; the client owns everything else: the timeout, retries with backoff and jitter
 * for what is safe to retry, the provider's circuit breaker (shared by every instance), its rate limit and the audit
 * record of the call. Adapters contain no retry loops and never call `fetch` themselves.
 */

/** Default per-call timeouts (ARCHITECTURE.md): normal calls and heavy ones (a gateway's execute, a label). */
export const TIMEOUT_NORMAL_MS = 5_000;
export const TIMEOUT_HEAVY_MS = 30_000;

export interface HttpRequest {
  /** The provider id (`bkash`, `nagad` …): the key of its breaker, rate limit and audit records. */
  readonly provider: string;
  /** What the call does (`create`, `execute`, `refund` …), for audit records, metrics and logs. */
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; an object is sent as JSON with `content-type: application/json`. */
  readonly body?: string | Readonly<Record<string, unknown>>;
  /** Milliseconds before the call is abandoned; TIMEOUT_NORMAL_MS unless given. */
  readonly timeoutMs?: number;
  /**
   * `safe`: repeating the call cannot move money or create anything twice (a query, or a call carrying the
   * provider's idempotency key), so the client may retry it. `never`: the client must not repeat it; a timeout or
   * 5xx then means the outcome is unknown. Default: `safe` for GET, `never` otherwise.
   */
  readonly retry?: 'safe' | 'never';
  /** Extra field names (in headers, query or JSON body) whose values the audit record masks; secrets always are. */
  readonly sensitiveFields?: readonly string[];
  /** Correlation ids for the audit record. */
  readonly context?: { readonly orderId?: string; readonly paymentId?: string; readonly refundId?: string };
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Sends one request with the provider's policies. Any answer below 500 other than 429 is returned for the adapter
 * to classify (gateways answer business errors with 200 or 4xx). It throws:
 * - ProviderRetryableError when the request certainly did not take effect: the breaker is open, the connection was
 *   refused, or a 429/5xx/timeout persisted through the retries of a `safe` call;
 * - ProviderIndeterminateError when a `never`-retry call timed out or got a 5xx after it was sent: the provider may
 *   have applied it, so the caller must query before retrying or compensating.
 */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}
