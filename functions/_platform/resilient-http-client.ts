import { DelegateBackoff, fullJitterGenerator, handleWhen, type IRetryBackoffContext, retry, timeout, TimeoutStrategy } from 'cockatiel';
import { randomUUID } from 'node:crypto';
import { type AuditLog, type CallErrorKind, type CallOutcome, maskBody, maskUrl } from './audit-log';
import { type Admission, type CircuitBreakerStore, createCircuitBreaker } from './circuit-breaker';
import { type Clock, systemClock } from './clock';
import { ProviderIndeterminateError, ProviderRetryableError } from './errors';
import { type HttpClient, type HttpRequest, type HttpResponse, TIMEOUT_NORMAL_MS } from './http-client';
import { logger, metrics, MetricUnit } from './observability';
import { RateLimitedError, type RateLimiter } from './rate-limiter';

export interface ResilientHttpClientOptions {
  breakers: CircuitBreakerStore;
  audit: AuditLog;
  rateLimiter?: RateLimiter;
  /** Retries of a `safe` call after the first try; default 3. Step Functions tasks pass 0 (the state machine retries). */
  maxRetries?: number;
  /** Base delay of the exponential backoff; default 200 ms (tests pass 1). */
  baseDelayMs?: number;
  /** Longest `Retry-After` the client waits for; a longer one ends the retries at once. Default 5 000 ms. */
  maxRetryAfterMs?: number;
  /** Breaker tuning; BREAKER_FAILURE_THRESHOLD (5) failed calls and BREAKER_COOL_DOWN_MS (30 s) unless given. */
  breaker?: { failureThreshold?: number; coolDownMs?: number };
  clock?: Clock;
  /** Called when a provider's breaker opens or closes (to publish integration.degraded / integration.recovered). */
  onBreakerChange?: (change: { provider: string; state: 'open' | 'closed' }) => void | Promise<void>;
}

const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_BASE_DELAY_MS = 200;
const MAX_BACKOFF_MS = 2_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 5_000;
// The probe's lease outlives its one attempt by this much, so a probe that crashed frees the breaker soon after.
const PROBE_LEASE_MARGIN_MS = 2_000;

// Failures raised before any byte of the request left (no connection, no address): repeating cannot apply it twice.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

type AttemptFailureKind = Exclude<CallErrorKind, 'breaker_open' | 'rate_limited'>;

/** One attempt that got no usable answer: a 429/5xx, a timeout, or a transport error. */
class AttemptFailure extends Error {
  constructor(
    readonly kind: AttemptFailureKind,
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AttemptFailure';
  }
}

/** What `send` learns along the way, for the audit record and the breaker. */
interface CallTrace {
  attempts: number;
  outcome: CallOutcome;
  status?: number;
  errorKind?: CallErrorKind;
  responseBody?: string;
}

/**
 * Milliseconds a `Retry-After` header asks to wait, given in seconds or as an HTTP-date (RFC 9110 §10.2.3);
 * undefined when absent or unreadable.
 */
export const retryAfterMs = (header: string | undefined, now: Date): number | undefined => {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
};

// Property checks rather than instanceof: fetch's errors may come from another realm (a test sandbox, for one).
const fieldOf = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined;

const codeOf = (error: unknown): string | undefined => {
  const code = fieldOf(error, 'code');
  return typeof code === 'string' ? code : undefined;
};

/** True when fetch failed before the request could leave (its cause, or every cause of a happy-eyeballs attempt). */
const wasNotSent = (error: unknown): boolean => {
  const cause = fieldOf(error, 'cause');
  const nested = fieldOf(cause, 'errors');
  const causes: unknown[] = Array.isArray(nested) ? nested : [cause];
  return causes.length > 0 && causes.every((each) => NOT_SENT_CODES.has(codeOf(each) ?? ''));
};

const messageOf = (error: unknown): string => String(fieldOf(error, 'message') ?? error);

/** `{ [name]: value }` when there is a value, `{}` otherwise (records keep no undefined fields). */
const optional = <K extends string>(name: K, value: string | undefined): Partial<Record<K, string>> =>
  value === undefined ? {} : ({ [name]: value } as Partial<Record<K, string>>);

const retryModeOf = (request: HttpRequest): 'safe' | 'never' => request.retry ?? (request.method === 'GET' ? 'safe' : 'never');

/** The provider was asked and failed (as opposed to a call the breaker or the rate limit held back). */
const providerFailed = (trace: CallTrace): boolean =>
  trace.errorKind !== undefined && trace.errorKind !== 'breaker_open' && trace.errorKind !== 'rate_limited';

const encode = (request: HttpRequest): { headers: Record<string, string>; body?: string } => {
  const headers = { ...request.headers };
  if (request.body === undefined || typeof request.body === 'string') return { headers, body: request.body };
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  return { headers, body: JSON.stringify(request.body) };
};

/**
 * The HttpClient every adapter gets (see `http-client.ts` for the contract). Per call:
 * 1. the provider's circuit breaker admits it or throws CircuitOpenError without touching the network (one
 *    DynamoDB read; none while this instance knows the breaker is cooling down);
 * 2. each attempt takes a rate-limit token (when the provider has a limit), then runs under the call's timeout,
 *    which aborts the request, body included;
 * 3. a 429/5xx/timeout/transport failure of a `safe` call is retried up to `maxRetries` times with exponential
 *    backoff and full jitter, waiting at least the `Retry-After` the provider asked for (a longer one than
 *    `maxRetryAfterMs` ends the retries); a `never` call is repeated only when the connection failed before sending;
 * 4. the breaker learns the outcome (written only on failure or change) and one masked audit record is put, both at
 *    once; neither can fail the call.
 * Worst-case duration is `(maxRetries + 1) × timeoutMs` plus the backoff (≤ 2 s each) or Retry-After waits: size
 * `timeoutMs` and `maxRetries` to the Lambda's timeout (Step Functions tasks pass `maxRetries: 0`). The half-open
 * probe is a single attempt.
 */
export const createHttpClient = (options: ResilientHttpClientOptions): HttpClient => {
  const clock = options.clock ?? systemClock;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const breaker = createCircuitBreaker(options.breakers, {
    ...options.breaker,
    clock,
    onChange: async (change) => {
      if (change.state === 'open') logger.warn('circuit breaker opened', change);
      else logger.info('circuit breaker closed', change);
      try {
        await options.onBreakerChange?.(change);
      } catch (error) {
        logger.error('breaker change not published', { ...change, error: messageOf(error) });
      }
    },
  });

  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>, number>((context, attempt = 0) => {
    const [jittered, next] = fullJitterGenerator(attempt, {
      generator: fullJitterGenerator, initialDelay: baseDelayMs, maxDelay: MAX_BACKOFF_MS, exponent: 2,
    });
    const failure = 'error' in context.result ? context.result.error : undefined;
    const askedMs = failure instanceof AttemptFailure ? (failure.retryAfterMs ?? 0) : 0;
    return { delay: Math.max(jittered, askedMs), state: next };
  });

  /** The breaker's verdict; if the breaker store itself fails, the call goes ahead (the breaker protects, it is no dependency). */
  const admit = async (provider: string, probeLeaseMs: number): Promise<Admission> => {
    try {
      return await breaker.admit(provider, probeLeaseMs);
    } catch (error) {
      if (error instanceof ProviderRetryableError) throw error;
      logger.warn('circuit breaker unreadable, calling anyway', { provider, error: messageOf(error) });
      return { provider, failuresSeen: 0 };
    }
  };

  const takeToken = async (provider: string): Promise<void> => {
    try {
      await options.rateLimiter?.acquire(provider);
    } catch (error) {
      if (error instanceof RateLimitedError) throw error;
      logger.warn('rate limiter unavailable, calling anyway', { provider, error: messageOf(error) });
    }
  };

  const attemptOnce = async (request: HttpRequest, timeoutMs: number, signal: AbortSignal, trace: CallTrace): Promise<HttpResponse> => {
    const { headers, body } = encode(request);
    trace.attempts += 1;
    let response: HttpResponse;
    try {
      const answer = await fetch(request.url, { method: request.method, headers, body, signal });
      response = { status: answer.status, headers: Object.fromEntries(answer.headers), body: await answer.text() };
    } catch (error) {
      if (signal.aborted) throw new AttemptFailure('timeout', `timed out after ${timeoutMs} ms`, undefined, { cause: error });
      const reason = codeOf(fieldOf(error, 'cause')) ?? messageOf(error);
      if (wasNotSent(error)) throw new AttemptFailure('connection_refused', `could not connect (${reason})`, undefined, { cause: error });
      throw new AttemptFailure('network', `connection failed (${reason})`, undefined, { cause: error });
    }
    trace.status = response.status;
    trace.responseBody = response.body;
    if (response.status === 429 || response.status >= 500) {
      const askedMs = retryAfterMs(response.headers['retry-after'], clock.now());
      const asked = askedMs === undefined ? '' : `, retry after ${askedMs} ms`;
      throw new AttemptFailure('http_status', `answered ${response.status}${asked}`, askedMs);
    }
    return response;
  };

  const callWithRetries = (request: HttpRequest, retries: number, trace: CallTrace): Promise<HttpResponse> => {
    const mode = retryModeOf(request);
    const timeoutMs = request.timeoutMs ?? TIMEOUT_NORMAL_MS;
    const retriable = handleWhen(
      (error) =>
        error instanceof AttemptFailure &&
        (mode === 'safe' || error.kind === 'connection_refused') &&
        (error.retryAfterMs ?? 0) <= maxRetryAfterMs,
    );
    const perAttempt = timeout(timeoutMs, TimeoutStrategy.Cooperative);
    return retry(retriable, { maxAttempts: retries, backoff }).execute(async () => {
      await takeToken(request.provider);
      return perAttempt.execute(({ signal }) => attemptOnce(request, timeoutMs, signal, trace));
    });
  };

  /** The error `send` throws for `error`, with the trace updated to match. */
  const failureOf = (error: unknown, request: HttpRequest, trace: CallTrace): unknown => {
    const { provider, operation } = request;
    if (error instanceof AttemptFailure) {
      trace.errorKind = error.kind;
      const notApplied = retryModeOf(request) === 'safe' || error.kind === 'connection_refused' || trace.status === 429;
      const tries = `${trace.attempts} attempt${trace.attempts === 1 ? '' : 's'}`;
      if (notApplied) {
        trace.outcome = 'retryable';
        return new ProviderRetryableError(provider, `${provider} ${operation}: ${error.message} (${tries})`, { cause: error });
      }
      trace.outcome = 'indeterminate';
      return new ProviderIndeterminateError(provider, `${provider} ${operation}: ${error.message}; it may have been applied`, { cause: error });
    }
    if (error instanceof ProviderRetryableError) {
      trace.errorKind = error instanceof RateLimitedError ? 'rate_limited' : 'breaker_open';
      trace.outcome = 'retryable';
    }
    return error;
  };

  const settleBreaker = async (admission: Admission | undefined, trace: CallTrace): Promise<void> => {
    const failed = providerFailed(trace);
    if (!admission || (!failed && trace.outcome !== 'answered')) return;
    try {
      if (failed) await breaker.failed(admission);
      else await breaker.succeeded(admission);
    } catch (error) {
      logger.warn('circuit breaker not updated', { provider: admission.provider, error: messageOf(error) });
    }
  };

  const appendAudit = async (request: HttpRequest, at: Date, startedMs: number, trace: CallTrace): Promise<void> => {
    try {
      const { orderId, paymentId, refundId } = request.context ?? {};
      await options.audit.append({
        id: randomUUID(),
        at: at.toISOString(),
        provider: request.provider,
        operation: request.operation,
        method: request.method,
        url: maskUrl(request.url, request.sensitiveFields),
        latencyMs: Math.round(performance.now() - startedMs),
        attempts: trace.attempts,
        outcome: trace.outcome,
        ...(trace.status !== undefined && { status: trace.status }),
        ...(trace.errorKind !== undefined && { errorKind: trace.errorKind }),
        ...optional('requestBody', maskBody(request.body, request.sensitiveFields)),
        ...optional('responseBody', maskBody(trace.responseBody, request.sensitiveFields)),
        ...optional('orderId', orderId),
        ...optional('paymentId', paymentId),
        ...optional('refundId', refundId),
      });
    } catch (error) {
      logger.warn('audit record not written', { provider: request.provider, operation: request.operation, error: messageOf(error) });
    }
  };

  return {
    async send(request) {
      // A malformed URL is a bug in the adapter, not a provider failure: no breaker, audit or retry for it.
      if (!URL.canParse(request.url)) throw new TypeError(`${request.provider} ${request.operation}: invalid URL`);
      const at = clock.now();
      const startedMs = performance.now();
      // Until the call ends otherwise, its outcome is unknown (the safe assumption for an unexpected error).
      const trace: CallTrace = { attempts: 0, outcome: 'indeterminate' };
      let admission: Admission | undefined;
      try {
        admission = await admit(request.provider, (request.timeoutMs ?? TIMEOUT_NORMAL_MS) + PROBE_LEASE_MARGIN_MS);
        const response = await callWithRetries(request, admission.probeId === undefined ? maxRetries : 0, trace);
        trace.outcome = 'answered';
        return response;
      } catch (error) {
        throw failureOf(error, request, trace);
      } finally {
        if (providerFailed(trace)) {
          const failed = metrics.singleMetric();
          failed.addDimension('provider', request.provider);
          failed.addMetric('ProviderCallFailed', MetricUnit.Count, 1);
        }
        await Promise.all([settleBreaker(admission, trace), appendAudit(request, at, startedMs, trace)]);
      }
    },
  };
};
