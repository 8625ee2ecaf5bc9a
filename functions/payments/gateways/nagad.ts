/**
 * Nagad Payment Gateway (Bangladesh). Wire facts: shared/design/providers/payments.md §2; a fact tagged [weak] there
 * is tagged [weak] here too and must be checked against the sandbox before it is relied on.
 *
 * Flow: initialize (encrypted, signed) → complete (answers the hosted page's URL) → the buyer pays on Nagad's page,
 * which moves the money → the buyer comes back to our return URL with an unsigned query string → verify (plain JSON)
 * is the only thing a result is decided on. A refund is a purchase cancel. Nagad has no capture call and documents
 * no refund status call.
 *
 * Idempotency: Nagad takes no idempotency key, so `options.idempotencyKey` is not sent. Each attempt gets its own
 * Nagad orderId (made from our payment id), so one attempt can never become two payable orders at Nagad. A refund
 * carries our refund id as `referenceNo`, but whether Nagad refuses a repeated referenceNo is not known [weak]: a
 * cancel is sent once (`retry: 'never'`) and an unknown outcome is settled with refundStatus.
 */
import { randomBytes } from 'node:crypto';
import { isIPv4 } from 'node:net';
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../_platform/clock';
import { ProviderIndeterminateError, ProviderRetryableError, ProviderTerminalError, RuleViolationError, ValidationError } from '../../_platform/errors';
import type { HttpClient, HttpRequest } from '../../_platform/http-client';
import { fromMajorUnits, type Money, toMajorUnits } from '../../_platform/money';
import type { PaymentFailureCode } from '../domain/model';
import type { GatewayPaymentStatus, PaymentGateway, RefundRequest, RefundResult, ReturnClaim } from '../domain/ports';
import {
  decryptWithPrivateKey,
  encryptWithPublicKey,
  maxPlaintextBytes,
  privateKeyFrom,
  publicKeyFrom,
  signWithPrivateKey,
} from './nagad-crypto';

const PROVIDER = 'nagad';
const CURRENCY = 'BDT';
/** ISO 4217 numeric code of BDT, the currency code Nagad wants. */
const CURRENCY_CODE = '050';
const API_VERSION = 'v-0.2.0';
const CLIENT_TYPE = 'PC_WEB';

/** Field names whose values the audit record masks: the encrypted payloads, signatures, the buyer's number and address. */
const SENSITIVE_FIELDS = ['sensitiveData', 'sensitiveDataCancelRequest', 'signature', 'clientMobileNo', 'X-KM-IP-V4'] as const;

// Addresses that cannot be a buyer as the internet sees them; Nagad rejects the loopback ones (payments.md §2.2).
const NON_PUBLIC_IPV4 = [/^0\./, /^10\./, /^127\./, /^169\.254\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];
const isPublicIpv4 = (address: string): boolean => isIPv4(address) && !NON_PUBLIC_IPV4.some((range) => range.test(address));

const parsesAs = (parse: (text: string) => unknown) => (text: string) => {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
};

/** The Nagad provider secret. */
export const nagadConfig = z.object({
  /** Up to and without `/api/dfs`: sandbox `http://sandbox.mynagad.com:10080/remote-payment-gateway-1.0`, live `https://api.mynagad.com`. */
  baseUrl: z.url(),
  merchantId: z.string().check(z.regex(/^[A-Za-z0-9]+$/, 'must be letters and digits')),
  /** The merchant's Nagad wallet number (`accountNumber` of initialize). */
  merchantAccount: z.string().check(z.minLength(1)),
  /** Our RSA private key: PEM (PKCS#8 or PKCS#1, also PKCS#8 under Nagad's RSA label) or base64 DER. */
  merchantPrivateKey: z.string().check(z.refine(parsesAs(privateKeyFrom), 'must be an RSA private key as PEM or base64 DER')),
  /** Nagad's PG public key, PEM or base64 DER. */
  pgPublicKey: z.string().check(z.refine(parsesAs(publicKeyFrom), 'must be an RSA public key as PEM or base64 DER')),
  /**
   * Public IPv4 of our servers' egress: the address Nagad allow-lists in production. Sent as X-KM-IP-V4 when the
   * buyer's address is unknown (verify, cancel) or unusable (loopback, private, IPv6).
   */
  merchantIp: z.string().check(z.refine(isPublicIpv4, 'must be a public IPv4 address')),
});
export type NagadConfig = z.output<typeof nagadConfig>;

/**
 * X-KM-IP-V4 for a call: the buyer's address when it is a public IPv4 (also inside an IPv4-mapped IPv6 `::ffff:…`),
 * else our egress address. Nagad wants "the customer/merchant IPv4" and rejects `127.0.0.1` and `::1`.
 */
export const nagadClientIp = (buyerIp: string | undefined, merchantIp: string): string => {
  const candidate = buyerIp?.trim().replace(/^::ffff:/i, '');
  return candidate && isPublicIpv4(candidate) ? candidate : merchantIp;
};

/**
 * Nagad's orderId (and a refund's referenceNo) for one of our ids: the id without anything but letters and digits
 * (`pay_01hx…` → `pay01hx…`). Our ids are `<prefix>_<26 letters and digits>`, so the mapping is one-to-one and each
 * payment attempt is its own order at Nagad. Nagad's samples use letters and digits only; whether it takes more is
 * not known [weak]. Throws ValidationError when nothing is left.
 */
export const nagadSafeId = (id: string): string => {
  const safe = id.replace(/[^A-Za-z0-9]/g, '');
  if (!safe) throw new ValidationError(`cannot make a Nagad id of ${JSON.stringify(id)}`, [{ path: 'id', message: 'needs letters or digits' }]);
  return safe;
};

/** Bangladesh has kept UTC+6 all year since 2009 (no DST). */
const DHAKA_OFFSET_MS = 6 * 3_600_000;

const dhakaFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Dhaka',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `YYYYMMDDHHmmss` in Asia/Dhaka, as Nagad's `datetime`/`dateTime` want it (a wrong month gives a generic error, §2.6). */
export const formatDhakaDateTime = (instant: Date): string => {
  const parts = dhakaFormat.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}${part('month')}${part('day')}${part('hour')}${part('minute')}${part('second')}`;
};

// ---- wire shapes ----------------------------------------------------------------------------------------------

const nonEmpty = () => z.string().check(z.minLength(1));
const initializeAnswer = z.object({ paymentReferenceId: nonEmpty(), challenge: nonEmpty() });
const completeAnswer = z.object({ status: z.string(), callBackUrl: z.optional(z.string()) });
const encryptedAnswer = z.object({ sensitiveData: nonEmpty() });
const errorAnswer = z.object({ reason: z.string(), message: z.optional(z.nullable(z.string())) });
// The decrypted cancel answer: only `status` is relied on; its other fields are [weak] (one integrator's model, §2.4).
const cancelAnswer = z.object({ status: z.string(), cancelIssuerRefNo: z.optional(z.nullable(z.string())) });
const verifyRecord = z.object({
  merchantId: z.string(),
  orderId: z.string(),
  paymentRefId: z.optional(z.nullable(z.string())),
  amount: z.optional(z.nullable(z.string())),
  status: z.string(),
  statusCode: z.optional(z.nullable(z.string())),
  issuerPaymentRefNo: z.optional(z.nullable(z.string())),
  // Present in real answers, null until a cancel [lib]; what they show after several partial cancels is [weak].
  cancelIssuerRefNo: z.optional(z.nullable(z.string())),
  cancelIssuerDateTime: z.optional(z.nullable(z.string())),
});
type VerifyRecord = z.output<typeof verifyRecord>;

// ---- classification -------------------------------------------------------------------------------------------

/** Verify's `status`: Success and Aborted are confirmed [lib]; the others are [weak] (§2.4). */
const STATES: Readonly<Record<string, GatewayPaymentStatus['state']>> = {
  Success: 'completed',
  Aborted: 'failed',
  Cancelled: 'failed',
  Failed: 'failed',
  Expired: 'failed',
  Initiated: 'pending',
  Ready: 'pending',
};

/**
 * Why a `Failed` payment failed, by its status code. Only `50_0026_851` ("Transaction over limit") was seen in a real
 * callback [lib]. Nagad's codes for insufficient balance and a wrong PIN were found nowhere [weak]: these two are the
 * local simulator's, and a real code met in production belongs here. Any other code is a decline.
 */
const FAILED_CODES: Readonly<Record<string, PaymentFailureCode>> = {
  '50_0026_851': 'DECLINED',
  '50_0020_851': 'INSUFFICIENT_FUNDS',
  '50_0011_851': 'DECLINED',
};

const failureCodeOf = (record: VerifyRecord): PaymentFailureCode => {
  if (record.status === 'Aborted' || record.status === 'Cancelled') return 'CANCELLED_BY_BUYER';
  if (record.status === 'Expired') return 'EXPIRED';
  return FAILED_CODES[record.statusCode ?? ''] ?? 'DECLINED';
};

/** One Nagad call as the adapter describes it; `retry: 'never'` marks calls that may create or move something. */
interface NagadCall {
  readonly operation: 'initialize' | 'complete' | 'verify' | 'cancel';
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: Readonly<Record<string, unknown>>;
  readonly retry: 'safe' | 'never';
  readonly context: NonNullable<HttpRequest['context']>;
  /** X-KM-IP-V4. */
  readonly clientIp: string;
}

/** A refusal for good, with the payment failure code and Nagad's own code in `details`. */
const rejected = (message: string, gatewayCode: string, failureCode: PaymentFailureCode = 'PROCESSING_ERROR', extra: Record<string, unknown> = {}) => {
  const error = new ProviderTerminalError(PROVIDER, 'payment', message);
  Object.assign(error.details, { failureCode, gatewayCode, ...extra });
  return error;
};

/** An answer we cannot read: for a call that may have applied, nobody knows what happened (as in the bKash adapter). */
const unreadable = (call: NagadCall, why: string): Error =>
  call.retry === 'never'
    ? new ProviderIndeterminateError(PROVIDER, `nagad ${call.operation}: unreadable answer (${why}); query before anything else`)
    : new ProviderRetryableError(PROVIDER, `nagad ${call.operation}: unreadable answer (${why})`);

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const requireBdt = (amount: Money): void => {
  if (amount.currency !== CURRENCY) {
    throw new RuleViolationError('METHOD_NOT_AVAILABLE', `Nagad takes ${CURRENCY} only, not ${amount.currency}`, { method: PROVIDER, currency: amount.currency });
  }
};

/** How far Nagad's clock and ours may disagree when refundStatus compares a cancel's time with a refund's. */
const CLOCK_SKEW_MS = 2 * 60_000;

// Our ids (functions/_platform/ids.ts) are `<prefix>_` + 10 Crockford base32 characters of epoch milliseconds + 16 random ones.
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const TIMED_ID = /^[a-z]+_([0-9a-hjkmnp-tv-z]{10})[0-9a-hjkmnp-tv-z]{16}$/;

/** When one of our ids was made (epoch ms), or undefined for an id of another shape. */
const creationTimeOf = (id: string): number | undefined => {
  const time = TIMED_ID.exec(id)?.[1];
  return time === undefined ? undefined : Array.from(time).reduce((ms, char) => ms * 32 + CROCKFORD.indexOf(char), 0);
};

/** Epoch ms of a verify record time, Dhaka local (`2021-08-25 14:51:35.0` [lib]), or undefined when it is not one. */
const recordTimeOf = (text: string): number | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second) - DHAKA_OFFSET_MS;
};

// ---- the gateway ----------------------------------------------------------------------------------------------

/** Reads Nagad's return query (`payment_ref_id`, `status`); unsigned, so only a hint of which payment to verify. */
export const parseNagadReturn = (query: Readonly<Record<string, string | undefined>>): ReturnClaim => {
  // Nagad appends the base64 reference unescaped, so a form decoder may have turned its `+` into spaces.
  const reference = query.payment_ref_id?.trim().replace(/ /g, '+');
  const status = query.status?.trim().toLowerCase();
  if (!reference || !status) {
    throw new ValidationError('not a Nagad return', [
      ...(reference ? [] : [{ path: 'query.payment_ref_id', message: 'missing' }]),
      ...(status ? [] : [{ path: 'query.status', message: 'missing' }]),
    ]);
  }
  return { gatewayReference: reference, claimed: status === 'success' ? 'success' : status === 'aborted' ? 'cancel' : 'failure' };
};

/**
 * The Nagad PaymentGateway; `clock` dates the requests (Dhaka time). Keys are parsed once, here.
 *
 * Errors: a Nagad error envelope `{reason, message, devMessage}` is a ProviderTerminalError with
 * `details: { provider: 'nagad', failureCode, gatewayCode: reason }`; an unknown reference is one such refusal, and a
 * verify record of another merchant, order or reference is treated as a forgery (gatewayCode REFERENCE_MISMATCH, with
 * `expected` and `actual`). A timeout or 5xx of initialize, complete or cancel surfaces from the HttpClient as
 * ProviderIndeterminateError: those calls are never repeated here.
 */
export const createNagadGateway = (config: NagadConfig, http: HttpClient, clock: Clock = systemClock): PaymentGateway => {
  const api = `${config.baseUrl.replace(/\/+$/, '')}/api/dfs`;
  const merchantKey = privateKeyFrom(config.merchantPrivateKey);
  const pgKey = publicKeyFrom(config.pgPublicKey);

  /** The encrypted form of a JSON plaintext and our signature over the same bytes (§2.3). */
  const sealed = (plaintext: string) => ({ encrypted: encryptWithPublicKey(plaintext, pgKey), signature: signWithPrivateKey(plaintext, merchantKey) });

  /**
   * One call. A Nagad error envelope is a refusal; so is an empty answer, which is how the live API answers an
   * address it has not allow-listed (§2.1). Another answer we cannot use is unreadable (see `unreadable`).
   */
  const send = async (call: NagadCall): Promise<unknown> => {
    const response = await http.send({
      provider: PROVIDER,
      operation: call.operation,
      method: call.method,
      url: call.url,
      headers: { 'X-KM-Api-Version': API_VERSION, 'X-KM-IP-V4': call.clientIp, 'X-KM-Client-Type': CLIENT_TYPE },
      ...(call.body === undefined ? {} : { body: call.body }),
      retry: call.retry,
      sensitiveFields: SENSITIVE_FIELDS,
      context: call.context,
    });
    const body = response.body.trim() === '' ? null : parseJson(response.body);
    const envelope = z.safeParse(errorAnswer, body);
    if (envelope.success) {
      const { reason, message } = envelope.data;
      throw rejected(`nagad ${call.operation} refused: ${reason} ${message ?? ''}`.trim(), reason, 'PROCESSING_ERROR', message ? { message } : {});
    }
    if (body === null) throw rejected(`nagad ${call.operation} answered HTTP ${response.status} with nothing (is our IP allow-listed?)`, 'EMPTY_RESPONSE');
    if (response.status >= 200 && response.status < 300) return body;
    if (call.retry === 'never') throw unreadable(call, `HTTP ${response.status}`);
    throw rejected(`nagad ${call.operation} answered HTTP ${response.status}`, `HTTP_${response.status}`);
  };

  /** Reads an answer with `schema`; an answer without the fields we need is unreadable. */
  const read = <S extends z.core.$ZodType>(schema: S, value: unknown, call: NagadCall): z.core.output<S> => {
    const parsed = z.safeParse(schema, value);
    if (!parsed.success) throw unreadable(call, `unexpected fields: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
    return parsed.data;
  };

  /** The decrypted `sensitiveData` of an answer, parsed as JSON. */
  const decrypted = (answer: unknown, call: NagadCall): unknown => {
    const { sensitiveData } = read(encryptedAnswer, answer, call);
    try {
      return JSON.parse(decryptWithPrivateKey(sensitiveData, merchantKey));
    } catch {
      throw unreadable(call, 'sensitiveData does not decrypt with our key');
    }
  };

  /**
   * The domain view of a verify record. A status this file does not know is an unknown outcome, never a decision
   * (as in the bKash adapter).
   */
  const statusOf = (record: VerifyRecord, gatewayReference: string, call: NagadCall): GatewayPaymentStatus => {
    let amount: Money | undefined;
    try {
      amount = record.amount ? fromMajorUnits(record.amount, CURRENCY) : undefined;
    } catch {
      throw unreadable(call, `amount ${JSON.stringify(record.amount)} is not a ${CURRENCY} amount`);
    }
    const base = {
      gatewayReference,
      ...(amount ? { amount } : {}),
      gatewayStatus: record.statusCode ? `${record.status} (${record.statusCode})` : record.status,
    };
    switch (STATES[record.status]) {
      case 'completed':
        // The caller compares what was paid with what it asked for, so a completed payment must say both.
        if (!record.issuerPaymentRefNo || !amount) throw unreadable(call, 'a Success without issuerPaymentRefNo or amount');
        return { ...base, state: 'completed', transactionId: record.issuerPaymentRefNo };
      case 'failed':
        return { ...base, state: 'failed', failureCode: failureCodeOf(record) };
      case 'pending':
        return { ...base, state: 'pending' };
      default:
        throw new ProviderIndeterminateError(PROVIDER, `nagad reported an unknown status ${record.status}`);
    }
  };

  /** Verify, checked against what we expect: a record of another merchant, order or reference is a forgery. */
  const verify = async (payment: { paymentId: string; gatewayReference: string }, retry: 'safe' | 'never') => {
    const call: NagadCall = {
      operation: 'verify',
      method: 'GET',
      url: `${api}/verify/payment/${encodeURIComponent(payment.gatewayReference)}`,
      retry,
      context: { paymentId: payment.paymentId },
      clientIp: config.merchantIp,
    };
    const record = read(verifyRecord, await send(call), call);
    const expected = { merchantId: config.merchantId, orderId: nagadSafeId(payment.paymentId), paymentRefId: payment.gatewayReference };
    const actual = { merchantId: record.merchantId, orderId: record.orderId, paymentRefId: record.paymentRefId ?? payment.gatewayReference };
    // A return URL is unsigned: its payment_ref_id could name another (cheaper) payment, so the record must be ours.
    if (actual.merchantId !== expected.merchantId || actual.orderId !== expected.orderId || actual.paymentRefId !== expected.paymentRefId) {
      throw rejected(`nagad payment ${payment.gatewayReference} is not payment ${payment.paymentId}`, 'REFERENCE_MISMATCH', 'PROCESSING_ERROR', {
        expected,
        actual,
      });
    }
    return { record, status: statusOf(record, payment.gatewayReference, call) };
  };

  /** The cancel request's plaintext, its free-text reason cut so that it fits one RSA block (245 bytes, §2.3). */
  const cancelPlaintext = (refund: RefundRequest): string => {
    const fields = {
      merchantId: config.merchantId,
      // The name says the original payment's date, which is what we send. Nagad's sample comments "change date to
      // the current date" and libraries send today's date, so which one Nagad checks is [weak].
      originalRequestDate: formatDhakaDateTime(new Date(refund.paidAt)).slice(0, 8),
      originalAmount: toMajorUnits(refund.capturedAmount),
      cancelAmount: toMajorUnits(refund.amount),
      referenceNo: nagadSafeId(refund.refundId),
    };
    const reason = Array.from(refund.reason);
    const plaintext = () => JSON.stringify({ ...fields, referenceMessage: reason.join('') });
    while (Buffer.byteLength(plaintext()) > maxPlaintextBytes(pgKey) && reason.length > 0) reason.pop();
    return plaintext();
  };

  return {
    id: PROVIDER,

    async createSession(session) {
      requireBdt(session.amount);
      const orderId = nagadSafeId(session.paymentId);
      const base = {
        method: 'POST',
        retry: 'never', // initialize opens an order at Nagad and complete places it; neither is repeated
        context: { orderId: session.orderId, paymentId: session.paymentId },
        clientIp: nagadClientIp(session.buyerIp, config.merchantIp),
      } as const;

      const datetime = formatDhakaDateTime(clock.now());
      // The sample's challenge is a 40-character random string.
      const init = sealed(JSON.stringify({ merchantId: config.merchantId, datetime, orderId, challenge: randomBytes(20).toString('hex') }));
      const initCall: NagadCall = {
        ...base,
        operation: 'initialize',
        url: `${api}/check-out/initialize/${config.merchantId}/${orderId}`,
        body: { accountNumber: config.merchantAccount, dateTime: datetime, sensitiveData: init.encrypted, signature: init.signature },
      };
      const initialized = read(initializeAnswer, decrypted(await send(initCall), initCall), initCall);

      const order = sealed(
        JSON.stringify({
          merchantId: config.merchantId,
          orderId,
          currencyCode: CURRENCY_CODE,
          amount: toMajorUnits(session.amount), // always 2 decimals: "50.00"
          challenge: initialized.challenge,
        }),
      );
      const completeCall: NagadCall = {
        ...base,
        operation: 'complete',
        url: `${api}/check-out/complete/${encodeURIComponent(initialized.paymentReferenceId)}`,
        body: {
          sensitiveData: order.encrypted,
          signature: order.signature,
          merchantCallbackURL: session.returnUrl,
          additionalMerchantInfo: { orderId: session.orderId, paymentId: session.paymentId },
        },
      };
      const completed = read(completeAnswer, await send(completeCall), completeCall);
      if (completed.status !== 'Success') throw rejected(`nagad complete answered ${completed.status}`, completed.status);
      if (!completed.callBackUrl) throw unreadable(completeCall, 'Success without callBackUrl');
      return { gatewayReference: initialized.paymentReferenceId, redirectUrl: completed.callBackUrl };
    },

    parseReturn: parseNagadReturn,

    async queryStatus(payment) {
      return (await verify(payment, 'safe')).status;
    },

    /**
     * Nagad moves the money on its own page, so capture is a verify that never debits anything: completed is
     * returned, a failure is thrown as a refusal, and a payment still waiting for the buyer comes back `pending` (as
     * in the bKash adapter). It is sent `never`-retry on purpose: a verify lost in flight leaves capture's outcome
     * unknown, which ProviderIndeterminateError tells the caller (ask queryStatus), the contract of a real capture.
     */
    async capture(payment) {
      const { record, status } = await verify(payment, 'never');
      if (status.state !== 'failed') return status;
      throw rejected(`nagad payment ${payment.gatewayReference} is ${status.gatewayStatus}`, record.statusCode ?? record.status, status.failureCode);
    },

    async refund(refund): Promise<RefundResult> {
      requireBdt(refund.amount);
      const cancel = sealed(cancelPlaintext(refund));
      const call: NagadCall = {
        operation: 'cancel',
        method: 'POST',
        url: `${api}/purchase/cancel?paymentRefId=${encodeURIComponent(refund.gatewayReference)}&orderId=${nagadSafeId(refund.paymentId)}`,
        body: { sensitiveDataCancelRequest: cancel.encrypted, signature: cancel.signature },
        retry: 'never', // a repeated cancel could refund twice; after a timeout ask refundStatus
        context: { paymentId: refund.paymentId, refundId: refund.refundId },
        clientIp: config.merchantIp,
      };
      const answer = read(cancelAnswer, decrypted(await send(call), call), call);
      if (answer.status !== 'Success') return { state: 'failed', amount: refund.amount, gatewayStatus: answer.status };
      return {
        state: 'succeeded',
        refundReference: answer.cancelIssuerRefNo ?? nagadSafeId(refund.refundId),
        amount: refund.amount,
        gatewayStatus: answer.status,
      };
    },

    /**
     * Nagad documents no refund status call, so this re-verifies the payment and reads its cancel fields
     * (`cancelIssuerRefNo`, `cancelIssuerDateTime`: null until a cancel [lib]). The record names one cancel; that it
     * is the latest one after several partial cancels is [weak]. So:
     * - no cancel on record: the refund did not happen (`failed`), and sending it again cannot refund twice;
     * - the latest cancel is older than this refund (by the time in our refund id, with CLOCK_SKEW_MS of slack):
     *   this refund was probably not applied, but on a [weak] reading, so the outcome stays unknown
     *   (ProviderIndeterminateError) for an operator to reconcile in Nagad's merchant portal;
     * - otherwise the latest cancel is taken as this refund (`succeeded`). Ask about a payment's most recent refund
     *   before starting another one: a later cancel would be taken for it.
     */
    async refundStatus(refund): Promise<RefundResult> {
      requireBdt(refund.amount);
      const { record } = await verify({ paymentId: refund.paymentId, gatewayReference: refund.gatewayReference }, 'safe');
      const { cancelIssuerRefNo, cancelIssuerDateTime } = record;
      if (!cancelIssuerRefNo) return { state: 'failed', amount: refund.amount, gatewayStatus: 'NO_CANCEL_ON_RECORD' };
      const madeAt = creationTimeOf(refund.refundId);
      const cancelledAt = cancelIssuerDateTime ? recordTimeOf(cancelIssuerDateTime) : undefined;
      if (madeAt !== undefined && cancelledAt !== undefined && cancelledAt < madeAt - CLOCK_SKEW_MS) {
        throw new ProviderIndeterminateError(
          PROVIDER,
          `nagad's latest cancel ${cancelIssuerRefNo} (${cancelIssuerDateTime}) is older than refund ${refund.refundId}; reconcile in Nagad's merchant portal`,
        );
      }
      return {
        state: 'succeeded',
        refundReference: cancelIssuerRefNo,
        amount: refund.amount,
        gatewayStatus: cancelIssuerDateTime ? `cancelled ${cancelIssuerDateTime}` : 'cancelled',
      };
    },
  };
};
