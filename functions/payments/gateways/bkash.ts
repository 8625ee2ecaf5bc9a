/**
 * bKash Tokenized Checkout (Bangladesh). Wire facts: shared/design/providers/payments.md §1; a fact tagged [weak]
 * there is tagged [weak] here too and must be checked against the sandbox before it is relied on.
 *
 * Flow: create (buyer is sent to `bkashURL`) → the buyer returns to `callbackURL?paymentID=…&status=…` → execute
 * moves the money → query payment reads the truth at any time. bKash takes no idempotency key: a repeated execute is
 * answered 2062 (and then queried, never re-debited); a repeated create makes a second, unused session.
 */
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../_platform/clock';
import {
  ProviderIndeterminateError,
  ProviderRetryableError,
  ProviderTerminalError,
  RuleViolationError,
  ValidationError,
} from '../../_platform/errors';
import { type HttpClient, type HttpRequest, type HttpResponse, TIMEOUT_HEAVY_MS } from '../../_platform/http-client';
import { fromMajorUnits, type Money, toMajorUnits } from '../../_platform/money';
import type { PaymentFailureCode } from '../domain/model';
import type { GatewayPaymentStatus, PaymentGateway, RefundResult, ReturnClaim } from '../domain/ports';
import type { ProviderToken, TokenCache } from '../../_platform/token-cache';

const PROVIDER = 'bkash';
const CURRENCY = 'BDT';
const CHECKOUT_PATH = '/v1.2.0-beta/tokenized/checkout';
// Refund v2 has no version segment and camel-case ids (paymentId/trxId), unlike v1 (paymentID/trxID).
const REFUND_PATH = '/v2/tokenized-checkout/refund/payment';
const SUCCESS = '0000';

/** Renew the id_token this long before bKash's `expires_in` runs out, so no call goes out with a dying token. */
const RENEW_BEFORE_EXPIRY_MS = 60_000;
/** [weak] One Laravel package keeps refresh tokens for 7 days; a refused refresh falls back to a new grant anyway. */
const REFRESH_TOKEN_LIFETIME_MS = 7 * 24 * 3600_000;

/** Field names whose values the audit record masks (headers, request and response bodies). */
const SENSITIVE_FIELDS = ['password', 'app_secret', 'authorization', 'id_token', 'refresh_token', 'customerMsisdn'] as const;

const nonEmpty = () => z.string().check(z.minLength(1));

/**
 * The bKash provider secret: `baseUrl` is the host (`https://tokenized.sandbox.bka.sh`), without the version path.
 * The IPN (webhook) settings are optional: `ipnTopicArn` pins the SNS topic bKash publishes on (unset: any topic
 * signed by SNS); `ipnCertificateOrigin` names a local simulator's origin whose signing certificate is trusted
 * besides AWS's (honoured only for a loopback origin: functions/_platform/sns-message.ts).
 */
export const bkashConfig = z.object({
  baseUrl: z.url(),
  username: nonEmpty(),
  password: nonEmpty(),
  appKey: nonEmpty(),
  appSecret: nonEmpty(),
  ipnTopicArn: z.optional(nonEmpty()),
  ipnCertificateOrigin: z.optional(z.url()),
});
export type BkashConfig = z.output<typeof bkashConfig>;

// ---- wire shapes ----------------------------------------------------------------------------------------------

const amountText = z.string().check(z.regex(/^\d+(\.\d{1,2})?$/));

const grantAnswer = z.object({
  statusCode: z.optional(z.string()),
  id_token: nonEmpty(),
  expires_in: z.union([z.number(), z.string().check(z.regex(/^\d+$/))]),
  refresh_token: z.optional(z.string()),
});

const createAnswer = z.object({ paymentID: nonEmpty(), bkashURL: z.url() });

/** What execute and query payment return for a payment (query adds mode, paymentCreateTime, userVerificationStatus). */
const paymentRecord = z.object({
  paymentID: nonEmpty(),
  transactionStatus: nonEmpty(),
  merchantInvoiceNumber: nonEmpty(),
  trxID: z.optional(z.string()),
  amount: z.optional(amountText),
  currency: z.optional(z.string()),
  userVerificationStatus: z.optional(z.string()),
  statusCode: z.optional(z.string()),
  statusMessage: z.optional(z.string()),
});
type PaymentRecord = z.output<typeof paymentRecord>;

const refundEntry = z.object({
  refundTrxId: z.optional(z.string()),
  refundAmount: z.optional(amountText),
  refundTransactionStatus: nonEmpty(),
});
type RefundEntry = z.output<typeof refundEntry>;

const refundStatusAnswer = z.object({ refundTransactions: z.array(refundEntry) });

// ---- classification -------------------------------------------------------------------------------------------

/**
 * bKash codes that say why a payment could not be paid (payments.md §1.5 and the [lib] list behind it). 2018/2019
 * ("verification time expired") are the buyer running out of time [weak]; 2037/2038/2057/2058 say the wallet may not
 * pay (used as the generic decline).
 */
const PAYMENT_FAILURES: Readonly<Record<string, PaymentFailureCode>> = {
  '2023': 'INSUFFICIENT_FUNDS',
  '2011': 'DECLINED',
  '2014': 'DECLINED',
  '2015': 'DECLINED',
  '2016': 'DECLINED',
  '2017': 'DECLINED',
  '2037': 'DECLINED',
  '2038': 'DECLINED',
  '2057': 'DECLINED',
  '2058': 'DECLINED',
  '2018': 'EXPIRED',
  '2019': 'EXPIRED',
};
/** "System under maintenance": bKash did nothing, so the call may be repeated later. */
const MAINTENANCE_CODES = new Set(['503']);
/** "Exception occurred" / "System Error": bKash failed somewhere inside, possibly after applying the call. */
const INTERNAL_ERROR_CODES = new Set(['2020', '2024', '9999']);
/** Execute answers about the payment's state: answered by a query instead (2062/2068 completed, 2056/2060/2069 not payable). */
const EXECUTE_STATE_CODES = new Set(['2056', '2060', '2062', '2068', '2069']);

/** One bKash call as the adapter describes it; `retry: 'never'` marks calls that may create or move something. */
interface BkashCall {
  readonly operation: string;
  readonly url: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly retry: 'safe' | 'never';
  readonly timeoutMs?: number;
  readonly context?: HttpRequest['context'];
}

/** A refusal for good, with the payment failure code and bKash's own code in `details`. */
const rejected = (message: string, failureCode: PaymentFailureCode, gatewayCode: string): ProviderTerminalError => {
  const error = new ProviderTerminalError(PROVIDER, 'payment', message);
  Object.assign(error.details, { failureCode, gatewayCode });
  return error;
};

/** An answer we cannot read: for a call that may have applied, nobody knows what happened. */
const unreadable = (call: BkashCall, why: string): Error =>
  call.retry === 'never'
    ? new ProviderIndeterminateError(PROVIDER, `bkash ${call.operation}: unreadable answer (${why}); query before anything else`)
    : new ProviderRetryableError(PROVIDER, `bkash ${call.operation}: unreadable answer (${why})`);

/** bKash's result code: `statusCode` (tokenized v1), `externalCode` (refund v2) or `errorCode` (legacy). */
const codeOf = (body: Readonly<Record<string, unknown>>): string | undefined => {
  const code = body.statusCode ?? body.externalCode ?? body.errorCode;
  return code === undefined || code === null ? undefined : String(code);
};

const messageOf = (body: Readonly<Record<string, unknown>>): string =>
  String(body.statusMessage ?? body.errorMessageEn ?? body.errorMessage ?? body.message ?? 'no message');

/** The error for a business error answer (HTTP 200 with a code other than 0000). */
const businessError = (call: BkashCall, code: string, body: Readonly<Record<string, unknown>>): Error => {
  const text = `bkash ${call.operation} refused: ${code} ${messageOf(body)}`;
  if (MAINTENANCE_CODES.has(code)) return new ProviderRetryableError(PROVIDER, text);
  if (INTERNAL_ERROR_CODES.has(code)) return unreadable(call, `${code} ${messageOf(body)}`);
  return rejected(text, PAYMENT_FAILURES[code] ?? 'PROCESSING_ERROR', code);
};

const parseJson = (text: string): Record<string, unknown> | undefined => {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** A bKash answer: its JSON object and bKash's result code, when it has one. */
interface Answer {
  readonly body: Record<string, unknown>;
  readonly code: string | undefined;
}

/**
 * Reads an answer the HttpClient returned (below 500, not 429). Business errors come as HTTP 200 with a code other
 * than 0000 and are left to the caller. Another status without a bKash code is a refusal for a safe call, but for
 * a call that may have applied it is an unknown outcome: bKash's own plugin queries after any non-200 execute answer.
 */
const readAnswer = (response: HttpResponse, call: BkashCall): Answer => {
  const body = parseJson(response.body);
  const code = body && codeOf(body);
  if (body && code !== undefined) return { body, code };
  if (response.status >= 200 && response.status < 300) {
    if (!body) throw unreadable(call, `HTTP ${response.status} without a JSON object`);
    return { body, code };
  }
  if (call.retry === 'never') throw unreadable(call, `HTTP ${response.status}`);
  throw rejected(`bkash ${call.operation} answered HTTP ${response.status}`, 'PROCESSING_ERROR', `HTTP_${response.status}`);
};

/** The body of a successful answer; throws the business error otherwise. */
const succeeded = (call: BkashCall, answer: Answer): Record<string, unknown> => {
  if (answer.code !== undefined && answer.code !== SUCCESS) throw businessError(call, answer.code, answer.body);
  return answer.body;
};

/** Execute and query answer with the payment itself, even when its statusCode explains why it failed. */
const paymentBody = (call: BkashCall, answer: Answer): Record<string, unknown> =>
  typeof answer.body.transactionStatus === 'string' && typeof answer.body.paymentID === 'string' ? answer.body : succeeded(call, answer);

const parseWith = <S extends z.core.$ZodType>(schema: S, body: unknown, call: BkashCall): z.core.output<S> => {
  const result = z.safeParse(schema, body);
  if (!result.success) throw unreadable(call, `unexpected fields: ${result.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  return result.data;
};

// ---- wire ↔ domain ----------------------------------------------------------------------------------------------

const requireBdt = (amount: Money): void => {
  if (amount.currency !== CURRENCY) {
    throw new RuleViolationError('METHOD_NOT_AVAILABLE', `bKash takes ${CURRENCY} only, not ${amount.currency}`, {
      method: PROVIDER,
      currency: amount.currency,
    });
  }
};

const bdt = (text: string | undefined): Money | undefined => (text === undefined ? undefined : fromMajorUnits(text, CURRENCY));

/** The gateway's own status text for the timeline: the transactionStatus, plus bKash's code when it failed. */
const statusText = (record: PaymentRecord): string =>
  record.statusCode && record.statusCode !== SUCCESS
    ? `${record.transactionStatus}: ${record.statusCode} ${record.statusMessage ?? ''}`.trim()
    : record.transactionStatus;

/**
 * The domain view of a bKash payment record. `Initiated` is both "the buyer has not finished" and "the buyer
 * approved, execute not called yet": we read `userVerificationStatus: "Complete"` as the latter ([weak]: the field
 * is documented, its values are not). Callers must not wait for `approved` before capturing: capture on a payment
 * the buyer has not approved moves nothing (bKash answers 2060) and returns the pending state.
 * A `Failed` record carries the payment's own failure in statusCode ([weak] inference; DECLINED when it does not).
 */
const toPaymentStatus = (record: PaymentRecord, payment: { paymentId: string; gatewayReference: string }, call: BkashCall): GatewayPaymentStatus => {
  // A return URL is unsigned: its paymentID could belong to another (cheaper) payment, so it must be ours.
  if (record.paymentID !== payment.gatewayReference || record.merchantInvoiceNumber !== payment.paymentId) {
    throw rejected(
      `bkash payment ${record.paymentID} belongs to invoice ${record.merchantInvoiceNumber}, not to ${payment.paymentId}`,
      'PROCESSING_ERROR',
      'INVOICE_MISMATCH',
    );
  }
  const base = { gatewayReference: record.paymentID, gatewayStatus: statusText(record), amount: bdt(record.amount) };
  switch (record.transactionStatus) {
    case 'Completed':
      if (!record.trxID) throw unreadable(call, 'a Completed payment without trxID');
      return { ...base, state: 'completed', transactionId: record.trxID };
    case 'Initiated':
      return { ...base, state: record.userVerificationStatus === 'Complete' ? 'approved' : 'pending' };
    case 'Authorized': // [weak] intent=authorization only; we create with intent=sale
      return { ...base, state: 'approved' };
    case 'Cancelled': // [weak] status value
      return { ...base, state: 'failed', failureCode: 'CANCELLED_BY_BUYER' };
    case 'Expired': // [weak] status value
      return { ...base, state: 'failed', failureCode: 'EXPIRED' };
    case 'Failed': // [weak] status value
      return { ...base, state: 'failed', failureCode: PAYMENT_FAILURES[record.statusCode ?? ''] ?? 'DECLINED' };
    default:
      throw new ProviderIndeterminateError(PROVIDER, `bkash reported an unknown transactionStatus ${record.transactionStatus}`);
  }
};

/** [weak] Only "Completed" is confirmed; other refund states are read as failed ("Failed") or not final yet. */
const toRefundResult = (entry: RefundEntry, requested: Money): RefundResult => ({
  state: entry.refundTransactionStatus === 'Completed' ? 'succeeded' : entry.refundTransactionStatus === 'Failed' ? 'failed' : 'pending',
  ...(entry.refundTrxId ? { refundReference: entry.refundTrxId } : {}),
  amount: bdt(entry.refundAmount) ?? requested,
  gatewayStatus: entry.refundTransactionStatus,
});

// ---- tokens ---------------------------------------------------------------------------------------------------

interface Tokens {
  /** A token believed valid (cached, refreshed or newly granted). */
  current(): Promise<string>;
  /** A token other than `rejected`, which bKash just answered 401 to. */
  replace(rejected: string): Promise<string>;
}

/**
 * bKash's id_token, kept in `cache` until shortly before `expires_in` ends, then renewed with the refresh token, or
 * granted anew when there is none or bKash refuses it. Grant and refresh send username/password as headers (not
 * Basic auth) and app_key/app_secret in the body [doc].
 */
const bkashTokens = (config: BkashConfig, checkout: string, http: HttpClient, cache: TokenCache, clock: Clock): Tokens => {
  const credentialHeaders = { accept: 'application/json', username: config.username, password: config.password };
  const appCredentials = { app_key: config.appKey, app_secret: config.appSecret };

  /** The token in a grant or refresh answer, or undefined when bKash refused. */
  const tokenOf = (response: HttpResponse, call: BkashCall, previous?: ProviderToken): ProviderToken | undefined => {
    const body = parseJson(response.body);
    if (response.status !== 200 || !body || (codeOf(body) ?? SUCCESS) !== SUCCESS) return undefined;
    const answer = parseWith(grantAnswer, body, call);
    const now = clock.now().getTime();
    const refresh = answer.refresh_token
      ? { refreshToken: answer.refresh_token, refreshableUntil: now + REFRESH_TOKEN_LIFETIME_MS }
      : { refreshToken: previous?.refreshToken, refreshableUntil: previous?.refreshableUntil };
    return { accessToken: answer.id_token, expiresAt: now + Number(answer.expires_in) * 1000, ...refresh };
  };

  const send = async (operation: 'grant' | 'refresh', body: Record<string, unknown>) => {
    // A repeated grant or refresh only issues another token, so the client may retry it.
    const call: BkashCall = { operation: `token-${operation}`, url: `${checkout}/token/${operation}`, body, retry: 'safe' };
    const response = await http.send({
      provider: PROVIDER,
      operation: call.operation,
      method: 'POST',
      url: call.url,
      headers: credentialHeaders,
      body,
      retry: call.retry,
      sensitiveFields: SENSITIVE_FIELDS,
    });
    return { call, response };
  };

  const grant = async (): Promise<ProviderToken> => {
    const { call, response } = await send('grant', appCredentials);
    const token = tokenOf(response, call);
    if (!token) {
      const body = parseJson(response.body);
      const code = (body && codeOf(body)) ?? `HTTP_${response.status}`;
      throw rejected(`bkash refused our credentials: ${code} ${body ? messageOf(body) : ''}`.trim(), 'PROCESSING_ERROR', code);
    }
    await cache.put(PROVIDER, token);
    return token;
  };

  const refresh = async (previous: ProviderToken, refreshToken: string): Promise<ProviderToken> => {
    const { call, response } = await send('refresh', { ...appCredentials, refresh_token: refreshToken });
    const token = tokenOf(response, call, previous);
    if (!token) return grant();
    await cache.put(PROVIDER, token);
    return token;
  };

  const fresh = (token: ProviderToken): boolean => token.expiresAt - RENEW_BEFORE_EXPIRY_MS > clock.now().getTime();

  // Concurrent calls of one instance share one renewal instead of each asking bKash for a token.
  let renewal: Promise<ProviderToken> | undefined;
  const once = (renew: () => Promise<ProviderToken>): Promise<string> => {
    renewal ??= renew().finally(() => {
      renewal = undefined;
    });
    return renewal.then((token) => token.accessToken);
  };

  return {
    async current() {
      const cached = await cache.get(PROVIDER);
      if (cached && fresh(cached)) return cached.accessToken;
      return once(() => {
        const refreshToken = cached?.refreshToken;
        const refreshable = cached && refreshToken !== undefined && (cached.refreshableUntil ?? 0) > clock.now().getTime();
        return refreshable ? refresh(cached, refreshToken) : grant();
      });
    },
    async replace(rejectedToken) {
      // Another instance may already have put a newer token into the shared cache.
      const cached = await cache.get(PROVIDER);
      if (cached && fresh(cached) && cached.accessToken !== rejectedToken) return cached.accessToken;
      return once(grant);
    },
  };
};

// ---- the gateway ----------------------------------------------------------------------------------------------

/** Reads bKash's return query (`?paymentID=…&status=success|failure|cancel`); unsigned, so only a hint. */
export const parseBkashReturn = (query: Readonly<Record<string, string | undefined>>): ReturnClaim => {
  const { paymentID, status } = query;
  const claimed = status === 'success' || status === 'failure' || status === 'cancel' ? status : undefined;
  if (!paymentID || !claimed) {
    throw new ValidationError('not a bKash return', [
      ...(paymentID ? [] : [{ path: 'query.paymentID', message: 'missing' }]),
      ...(claimed ? [] : [{ path: 'query.status', message: 'must be success, failure or cancel' }]),
    ]);
  }
  return { gatewayReference: paymentID, claimed };
};

/**
 * The bKash PaymentGateway. `tokens` keeps bKash's id_token between calls (shared by every instance when it is the
 * DynamoDB cache); `clock` decides when the token is due for renewal.
 *
 * Errors: ProviderTerminalError carries `details: { provider: 'bkash', failureCode, gatewayCode }`. A timeout or 5xx
 * on create, execute or refund surfaces as ProviderIndeterminateError from the HttpClient: the adapter never repeats
 * those calls itself (ask queryStatus / refundStatus). An unknown or foreign gatewayReference makes queryStatus and
 * capture throw ProviderTerminalError (gatewayCode 2002 / INVOICE_MISMATCH), so a forged return is never believed.
 * bKash takes no idempotency key, so `options.idempotencyKey` is not sent: duplicates are caught by bKash itself
 * (2062 on a repeated execute) and by never repeating create or refund.
 */
export const createBkashGateway = (config: BkashConfig, http: HttpClient, tokens: TokenCache, clock: Clock = systemClock): PaymentGateway => {
  const host = config.baseUrl.replace(/\/+$/, '');
  const checkout = `${host}${CHECKOUT_PATH}`;
  const refunds = `${host}${REFUND_PATH}`;
  const auth = bkashTokens(config, checkout, http, tokens, clock);

  const request = (call: BkashCall, token: string): HttpRequest => ({
    provider: PROVIDER,
    operation: call.operation,
    method: 'POST',
    url: call.url,
    headers: { accept: 'application/json', authorization: token, 'x-app-key': config.appKey }, // the raw id_token, no "Bearer "
    body: call.body,
    retry: call.retry,
    ...(call.timeoutMs === undefined ? {} : { timeoutMs: call.timeoutMs }),
    sensitiveFields: SENSITIVE_FIELDS,
    ...(call.context === undefined ? {} : { context: call.context }),
  });

  /**
   * Sends `call` with the current token. A 401 means bKash refused the token before doing anything, so one new token
   * and one more send are safe even for execute: re-authentication, not a retry.
   */
  const exchange = async (call: BkashCall): Promise<Answer> => {
    const token = await auth.current();
    let response = await http.send(request(call, token));
    if (response.status === 401) {
      response = await http.send(request(call, await auth.replace(token)));
      if (response.status === 401) throw rejected(`bkash ${call.operation}: a fresh token was refused (401)`, 'PROCESSING_ERROR', 'HTTP_401');
    }
    return readAnswer(response, call);
  };

  const paymentCall = (operation: 'query' | 'execute', payment: { paymentId: string; gatewayReference: string }): BkashCall => ({
    operation,
    url: `${checkout}${operation === 'query' ? '/payment/status' : '/execute'}`,
    body: { paymentID: payment.gatewayReference },
    // Execute moves the money: never repeated, and given bKash's 30 s execute window [doc]. A query is safe.
    ...(operation === 'execute' ? { retry: 'never', timeoutMs: TIMEOUT_HEAVY_MS } : { retry: 'safe' }),
    context: { paymentId: payment.paymentId },
  });

  const queryStatus: PaymentGateway['queryStatus'] = async (payment) => {
    const call = paymentCall('query', payment);
    return toPaymentStatus(parseWith(paymentRecord, paymentBody(call, await exchange(call)), call), payment, call);
  };

  /** Capture's answer for a payment that is not completed: failed ones are refusals, pending ones are returned. */
  const settled = (status: GatewayPaymentStatus, gatewayCode: string): GatewayPaymentStatus => {
    if (status.state !== 'failed') return status;
    throw rejected(`bkash payment ${status.gatewayReference} is ${status.gatewayStatus}`, status.failureCode ?? 'PROCESSING_ERROR', gatewayCode);
  };

  return {
    id: PROVIDER,

    async createSession(session) {
      requireBdt(session.amount);
      const call: BkashCall = {
        operation: 'create',
        url: `${checkout}/create`,
        body: {
          mode: '0011', // checkout without an agreement
          payerReference: session.orderId, // [weak] free text for mode 0011; we hold no wallet number to pre-fill
          callbackURL: session.returnUrl,
          amount: toMajorUnits(session.amount),
          currency: CURRENCY,
          intent: 'sale',
          merchantInvoiceNumber: session.paymentId,
        },
        retry: 'never', // a repeated create opens a second session; after a timeout the first one is unknown
        context: { orderId: session.orderId, paymentId: session.paymentId },
      };
      const answer = parseWith(createAnswer, succeeded(call, await exchange(call)), call);
      return { gatewayReference: answer.paymentID, redirectUrl: answer.bkashURL };
    },

    parseReturn: parseBkashReturn,

    queryStatus,

    /**
     * Execute. Already completed (2062/2068) or not payable (2056 invalid state, 2060 not authorised by the buyer yet,
     * 2069 cancelled) is answered by a query, which never debits: completed is returned, a failure is thrown as a
     * refusal, and a payment still waiting for the buyer comes back `pending` with nothing moved.
     */
    async capture(payment, options) {
      const call = paymentCall('execute', payment);
      const answer = await exchange(call);
      if (answer.code !== undefined && EXECUTE_STATE_CODES.has(answer.code)) return settled(await queryStatus(payment, options), answer.code);
      const status = toPaymentStatus(parseWith(paymentRecord, paymentBody(call, answer), call), payment, call);
      return settled(status, answer.code ?? SUCCESS);
    },

    async refund(refund) {
      requireBdt(refund.amount);
      const call: BkashCall = {
        operation: 'refund',
        url: `${refunds}/transaction`,
        body: {
          paymentId: refund.gatewayReference,
          trxId: refund.transactionId,
          refundAmount: toMajorUnits(refund.amount), // always 2 decimals: "50.00"
          sku: refund.refundId,
          reason: refund.reason,
        },
        retry: 'never', // a repeated refund could pay out twice; after a timeout ask refundStatus
        timeoutMs: TIMEOUT_HEAVY_MS,
        context: { paymentId: refund.paymentId, refundId: refund.refundId },
      };
      return toRefundResult(parseWith(refundEntry, succeeded(call, await exchange(call)), call), refund.amount);
    },

    /**
     * [weak] matching: bKash lists a payment's refunds without any reference of ours (sku is not echoed), so ours is
     * the entry of our amount. None means the refund did not happen (bKash refunds synchronously, so ask only after
     * the refund call returned or timed out). Several of the same amount cannot be told apart: that is reported as
     * unknown (ProviderIndeterminateError) for an operator to reconcile.
     */
    async refundStatus(refund) {
      requireBdt(refund.amount);
      const call: BkashCall = {
        operation: 'refund-status',
        url: `${refunds}/status`,
        body: { paymentId: refund.gatewayReference, trxId: refund.transactionId },
        retry: 'safe',
        context: { paymentId: refund.paymentId, refundId: refund.refundId },
      };
      const { refundTransactions } = parseWith(refundStatusAnswer, succeeded(call, await exchange(call)), call);
      const ours = refundTransactions.filter((entry) => bdt(entry.refundAmount)?.value === refund.amount.value);
      const [entry, ...others] = ours;
      if (!entry) return { state: 'failed', amount: refund.amount, gatewayStatus: 'NOT_FOUND' };
      if (others.length > 0) {
        throw new ProviderIndeterminateError(
          PROVIDER,
          `bkash lists ${ours.length} refunds of ${toMajorUnits(refund.amount)} ${CURRENCY}; cannot tell which is ${refund.refundId}`,
        );
      }
      return toRefundResult(entry, refund.amount);
    },
  };
};
