/**
 * The bKash Tokenized Checkout sandbox as an in-memory model: tokens, payments, the buyer's choices, refunds and a
 * ledger of every money movement. Field names, codes and messages follow shared/design/providers/payments.md §1;
 * where the facts are [weak] the choice made here is noted.
 */
import { randomBytes } from 'node:crypto';
import type { BuyerAction } from '../contracts';

/** The credentials the simulator accepts (the merchant's sandbox account). */
export const SIMULATOR_CREDENTIALS = {
  username: 'sim-merchant',
  password: 'sim-merchant-password',
  appKey: 'sim-app-key',
  appSecret: 'sim-app-secret',
} as const;

export const TOKEN_LIFETIME_SECONDS = 3600;
/** [weak] bKash's session lifetime is not published ("minutes"); the simulator lets a payment wait 15 minutes. */
const PAYMENT_LIFETIME_MS = 15 * 60_000;
/** The wallet the simulated buyer pays from. */
export const BUYER_WALLET = '01770618575';

const MESSAGES: Readonly<Record<string, string>> = {
  '0000': 'Successful',
  '2001': 'Invalid App Key',
  '2002': 'Invalid Payment ID',
  '2006': 'Invalid amount',
  '2007': 'Invalid currency',
  '2008': 'Invalid intent',
  '2014': 'Wrong PIN',
  '2023': 'Insufficient Balance',
  '2025': 'Invalid request body',
  '2026': 'The reversal amount cannot be greater than the original transaction amount',
  '2033': 'Transaction not found',
  '2034': 'The transaction cannot be reversed because the original transaction has been reversed',
  '2037': 'The account of the debit party is in a state which prohibits execution of this transaction',
  '2049': 'Invalid Merchant Callback URL',
  '2056': 'Invalid Payment State',
  '2060': "Payment execution pre-requisite hasn't been met",
  '2062': 'The payment has already been completed',
  '2063': 'Mode is not valid as per request data',
  '2065': 'Mandatory field missing',
  '2069': 'Transaction has already been cancelled',
};

/** An HTTP answer of the protocol. Business errors are HTTP 200 with a statusCode other than "0000". */
export interface Reply {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A failure of the control API or the payer page (unknown payment, already decided). */
export class SimulatorError extends Error {
  constructor(readonly status: 404 | 409, message: string) {
    super(message);
  }
}

export type TransactionStatus = 'Initiated' | 'Authorized' | 'Completed' | 'Cancelled' | 'Failed' | 'Expired';

interface Refund {
  readonly refundTrxId: string;
  readonly amountMinor: number;
  readonly completedTime: string;
  readonly sku: string;
  readonly reason: string;
}

/** One payment as the simulated bKash holds it. */
export interface SimulatedPayment {
  readonly paymentID: string;
  readonly mode: string;
  readonly payerReference: string;
  readonly callbackURL: string;
  /** The amount exactly as the merchant sent it, and in poisha. */
  readonly amount: string;
  readonly amountMinor: number;
  readonly intent: string;
  readonly merchantInvoiceNumber: string;
  readonly createdAt: number;
  transactionStatus: TransactionStatus;
  /** The buyer approved on the payer page; execute may now complete the payment. */
  buyerVerified: boolean;
  /** Why a Failed payment failed (its bKash code). */
  failureCode?: string;
  trxID?: string;
  executedAt?: number;
  readonly refunds: Refund[];
}

/** One money movement, as the suite and the operator console count them. */
export interface LedgerEntry {
  readonly kind: 'debit' | 'refund';
  readonly gatewayReference: string;
  readonly transactionId: string;
  readonly amountMinor: number;
  readonly at: string;
}

const ok = (body: Record<string, unknown>): Reply => ({ status: 200, body: { ...body, statusCode: '0000', statusMessage: MESSAGES['0000'] } });
/** A tokenized (v1) business error. */
const fail = (code: string): Reply => ({ status: 200, body: { statusCode: code, statusMessage: MESSAGES[code] ?? 'Error' } });
/**
 * A refund-v2 business error: externalCode/internalCode and messages in English and Bangla [lib]. The simulator
 * repeats the bKash code as internalCode and does not translate the Bangla message.
 */
const failV2 = (code: string): Reply => {
  const message = MESSAGES[code] ?? 'Error';
  return { status: 200, body: { externalCode: code, internalCode: code, errorMessageEn: message, errorMessageBn: message } };
};
export const UNAUTHORIZED: Reply = { status: 401, body: { message: 'Unauthorized' } };

const randomId = (length: number): string =>
  randomBytes(length)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, length)
    .toUpperCase()
    .padEnd(length, 'X');

/** bKash's timestamp style: `2019-08-07T11:12:34:978 GMT+0600` (Dhaka time). */
export const bkashTime = (epochMs: number): string => {
  const iso = new Date(epochMs + 6 * 3600_000).toISOString(); // shifted to UTC+6, then printed without the zone
  return `${iso.slice(0, 19)}:${iso.slice(20, 23)} GMT+0600`;
};

/** "1234.56" → 123456; undefined for anything that is not a positive amount with at most 2 decimals. */
const toPoisha = (value: unknown): number | undefined => {
  const match = typeof value === 'string' ? /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value) : null;
  if (!match) return undefined;
  const poisha = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return poisha > 0 ? poisha : undefined;
};
const toTaka = (poisha: number): string => `${Math.floor(poisha / 100)}.${String(poisha % 100).padStart(2, '0')}`;

const text = (body: Readonly<Record<string, unknown>>, field: string): string | undefined => {
  const value = body[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

const header = (headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

type Headers = Readonly<Record<string, string | string[] | undefined>>;
type Body = Readonly<Record<string, unknown>>;

/** The simulated bKash. `now` is injectable so expiry can be tested without waiting. */
export class BkashModel {
  private readonly idTokens = new Map<string, number>();
  private readonly refreshTokens = new Set<string>();
  private readonly payments = new Map<string, SimulatedPayment>();
  private readonly ledger: LedgerEntry[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  reset(): void {
    this.idTokens.clear();
    this.refreshTokens.clear();
    this.payments.clear();
    this.ledger.length = 0;
  }

  // ---- tokens ----

  /** Username/password are headers (a mismatch is refused like the API gateway does: 401 [weak]); app key/secret are body fields (2001). */
  grant(headers: Headers, body: Body): Reply {
    if (!this.merchantHeaders(headers)) return UNAUTHORIZED;
    if (!this.appCredentials(body)) return fail('2001');
    return this.issueToken();
  }

  refresh(headers: Headers, body: Body): Reply {
    if (!this.merchantHeaders(headers)) return UNAUTHORIZED;
    if (!this.appCredentials(body)) return fail('2001');
    const refreshToken = text(body, 'refresh_token');
    if (!refreshToken || !this.refreshTokens.delete(refreshToken)) return UNAUTHORIZED;
    return this.issueToken();
  }

  /** True when the call carries a live id_token (raw, no "Bearer ") and the matching X-APP-Key. */
  authorized(headers: Headers): boolean {
    const token = header(headers, 'authorization');
    const expiresAt = token === undefined ? undefined : this.idTokens.get(token);
    return header(headers, 'x-app-key') === SIMULATOR_CREDENTIALS.appKey && expiresAt !== undefined && expiresAt > this.now();
  }

  private merchantHeaders(headers: Headers): boolean {
    return header(headers, 'username') === SIMULATOR_CREDENTIALS.username && header(headers, 'password') === SIMULATOR_CREDENTIALS.password;
  }

  private appCredentials(body: Body): boolean {
    return body.app_key === SIMULATOR_CREDENTIALS.appKey && body.app_secret === SIMULATOR_CREDENTIALS.appSecret;
  }

  private issueToken(): Reply {
    const idToken = randomBytes(32).toString('base64url');
    const refreshToken = randomBytes(32).toString('base64url');
    this.idTokens.set(idToken, this.now() + TOKEN_LIFETIME_SECONDS * 1000);
    this.refreshTokens.add(refreshToken);
    return ok({ id_token: idToken, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, refresh_token: refreshToken });
  }

  // ---- payments ----

  create(body: Body, payerPageUrl: (paymentID: string) => string): Reply {
    const fields = ['mode', 'payerReference', 'callbackURL', 'amount', 'currency', 'intent', 'merchantInvoiceNumber'];
    if (fields.some((field) => text(body, field) === undefined)) return fail('2065');
    if (body.mode !== '0011') return fail('2063'); // agreement modes (0000/0001) are not simulated
    if (body.currency !== 'BDT') return fail('2007');
    if (body.intent !== 'sale' && body.intent !== 'authorization') return fail('2008');
    const amountMinor = toPoisha(body.amount);
    if (amountMinor === undefined) return fail('2006');
    const callbackURL = String(body.callbackURL);
    if (!URL.canParse(callbackURL)) return fail('2049');

    const payment: SimulatedPayment = {
      paymentID: `TR0011${randomId(16)}`,
      mode: String(body.mode),
      payerReference: String(body.payerReference),
      callbackURL,
      amount: String(body.amount),
      amountMinor,
      intent: String(body.intent),
      merchantInvoiceNumber: String(body.merchantInvoiceNumber),
      createdAt: this.now(),
      transactionStatus: 'Initiated',
      buyerVerified: false,
      refunds: [],
    };
    this.payments.set(payment.paymentID, payment);
    return ok({
      paymentID: payment.paymentID,
      bkashURL: payerPageUrl(payment.paymentID),
      callbackURL,
      successCallbackURL: callbackWith(payment, 'success'),
      failureCallbackURL: callbackWith(payment, 'failure'),
      cancelledCallbackURL: callbackWith(payment, 'cancel'),
      amount: payment.amount,
      intent: payment.intent,
      currency: 'BDT',
      paymentCreateTime: bkashTime(payment.createdAt),
      transactionStatus: 'Initiated',
      merchantInvoiceNumber: payment.merchantInvoiceNumber,
    });
  }

  /**
   * Completes (sale) or authorises (authorization) a payment the buyer approved. Before approval 2060, a repeat
   * 2062, a payment that failed answers its failure (2023 after insufficient balance), cancelled 2069, expired 2056.
   */
  execute(body: Body): Reply {
    const payment = this.find(body, 'paymentID');
    if (!payment) return fail('2002');
    switch (payment.transactionStatus) {
      case 'Completed':
      case 'Authorized':
        return fail('2062');
      case 'Cancelled':
        return fail('2069');
      case 'Failed':
        return fail(payment.failureCode ?? '2056');
      case 'Expired':
        return fail('2056');
      case 'Initiated':
        if (!payment.buyerVerified) return fail('2060');
    }
    payment.trxID = randomId(10);
    payment.executedAt = this.now();
    if (payment.intent === 'authorization') {
      payment.transactionStatus = 'Authorized'; // held; moves on confirm/capture
    } else {
      payment.transactionStatus = 'Completed';
      this.debit(payment);
    }
    return ok(this.record(payment, 'execute'));
  }

  query(body: Body): Reply {
    const payment = this.find(body, 'paymentID');
    if (!payment) return fail('2002');
    const record = this.record(payment, 'query');
    // [weak] A failed payment's query carries the reason as its statusCode (the only place bKash could put it).
    if (payment.transactionStatus === 'Failed' && payment.failureCode) return { status: 200, body: { ...record, ...fail(payment.failureCode).body } };
    return ok(record);
  }

  searchTransaction(body: Body): Reply {
    const trxID = text(body, 'trxID');
    const payment = [...this.payments.values()].find((candidate) => trxID !== undefined && candidate.trxID === trxID);
    if (!payment?.trxID) return fail('2033');
    return ok({
      trxID: payment.trxID,
      initiationTime: bkashTime(payment.createdAt),
      completedTime: bkashTime(payment.executedAt ?? payment.createdAt),
      transactionType: 'bKash Tokenized Checkout via API',
      customerMsisdn: BUYER_WALLET,
      transactionStatus: payment.transactionStatus,
      amount: payment.amount,
      currency: 'BDT',
      organizationShortCode: '50022',
      transactionReference: payment.payerReference,
    });
  }

  /** intent=authorization: capture moves the held money, void releases it. */
  confirm(body: Body, action: 'capture' | 'void'): Reply {
    const payment = this.find(body, 'paymentID');
    if (!payment) return fail('2002');
    if (payment.transactionStatus !== 'Authorized') return fail('2056');
    if (action === 'capture') {
      payment.transactionStatus = 'Completed';
      this.debit(payment);
    } else {
      payment.transactionStatus = 'Cancelled';
    }
    return ok(this.record(payment, 'execute'));
  }

  // ---- refunds ----

  /** v1: with amount a refund, with only paymentID and trxID the status of the latest refund. */
  refundV1(body: Body): Reply {
    if (body.amount === undefined) {
      const payment = this.refundable(text(body, 'paymentID'), text(body, 'trxID'));
      const latest = typeof payment === 'string' ? undefined : payment.refunds.at(-1);
      if (typeof payment === 'string' || !latest) return fail(typeof payment === 'string' ? payment : '2033');
      return ok(refundV1Record(payment, latest));
    }
    const result = this.refund(text(body, 'paymentID'), text(body, 'trxID'), body.amount, body);
    return typeof result === 'string' ? fail(result) : ok(refundV1Record(result.payment, result.refund));
  }

  /** v2 (camel-case paymentId/trxId, refundAmount). Sending v1's paymentID/trxID gets 2065: the simulator is strict. */
  refundV2(body: Body): Reply {
    const result = this.refund(text(body, 'paymentId'), text(body, 'trxId'), body.refundAmount, body);
    if (typeof result === 'string') return failV2(result);
    const { payment, refund } = result;
    return {
      status: 200,
      body: {
        originalTrxId: payment.trxID,
        refundTrxId: refund.refundTrxId,
        refundTransactionStatus: 'Completed',
        originalTrxAmount: payment.amount,
        refundAmount: toTaka(refund.amountMinor),
        currency: 'BDT',
        completedTime: refund.completedTime,
        sku: refund.sku,
        reason: refund.reason,
      },
    };
  }

  refundStatusV2(body: Body): Reply {
    const payment = this.refundable(text(body, 'paymentId'), text(body, 'trxId'));
    if (typeof payment === 'string') return failV2(payment);
    return {
      status: 200,
      body: {
        originalTrxId: payment.trxID,
        originalTrxAmount: payment.amount,
        refundTransactions: payment.refunds.map((refund) => ({
          refundTrxId: refund.refundTrxId,
          refundAmount: toTaka(refund.amountMinor),
          refundTransactionStatus: 'Completed',
          completedTime: refund.completedTime,
        })),
      },
    };
  }

  /** Partial refunds add up to at most the original (2026); once fully refunded every refund is 2034. */
  private refund(paymentID: string | undefined, trxID: string | undefined, amount: unknown, body: Body) {
    const sku = text(body, 'sku');
    const reason = text(body, 'reason');
    if (!paymentID || !trxID || amount === undefined || !sku || !reason) return '2065';
    const payment = this.refundable(paymentID, trxID);
    if (typeof payment === 'string') return payment;
    const amountMinor = toPoisha(amount);
    if (amountMinor === undefined) return '2006';
    const refunded = payment.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0);
    if (refunded >= payment.amountMinor) return '2034';
    if (refunded + amountMinor > payment.amountMinor) return '2026';
    const refund: Refund = { refundTrxId: randomId(10), amountMinor, completedTime: bkashTime(this.now()), sku, reason };
    payment.refunds.push(refund);
    this.ledger.push({ kind: 'refund', gatewayReference: payment.paymentID, transactionId: refund.refundTrxId, amountMinor, at: new Date(this.now()).toISOString() });
    return { payment, refund };
  }

  /** The completed payment with this trxID, or the code that says why there is none. */
  private refundable(paymentID: string | undefined, trxID: string | undefined): (SimulatedPayment & { trxID: string }) | string {
    if (!paymentID || !trxID) return '2065';
    const payment = this.payments.get(paymentID);
    if (!payment || payment.trxID !== trxID) return '2033';
    if (payment.transactionStatus !== 'Completed') return '2056';
    return payment as SimulatedPayment & { trxID: string };
  }

  // ---- the buyer ----

  /**
   * What the buyer does on the payer page. Returns where bKash sends the browser back to:
   * `callbackURL?paymentID=…&status=success|failure|cancel`. A wrong PIN ends the session here (the real page allows
   * retries up to 2015 "count exceeded"); `declined` (the decline scenario) turns an approval into a 2037 failure.
   */
  buyer(paymentID: string, action: BuyerAction, declined: boolean): string {
    const payment = this.payment(paymentID);
    if (!payment) throw new SimulatorError(404, `no payment ${paymentID}`);
    if (payment.transactionStatus !== 'Initiated' || payment.buyerVerified) {
      throw new SimulatorError(409, `payment ${paymentID} is already ${payment.buyerVerified ? 'approved' : payment.transactionStatus}`);
    }
    const failWith = (code: string) => {
      payment.transactionStatus = 'Failed';
      payment.failureCode = code;
      return callbackWith(payment, 'failure');
    };
    switch (action) {
      case 'approve':
        if (declined) return failWith('2037');
        payment.buyerVerified = true;
        return callbackWith(payment, 'success');
      case 'cancel':
        payment.transactionStatus = 'Cancelled';
        return callbackWith(payment, 'cancel');
      case 'insufficient-balance':
        return failWith('2023');
      case 'wrong-pin':
        return failWith('2014');
    }
  }

  /** The payment as it stands now (an unexecuted one expires after its lifetime). */
  payment(paymentID: string): SimulatedPayment | undefined {
    const payment = this.payments.get(paymentID);
    if (payment?.transactionStatus === 'Initiated' && this.now() - payment.createdAt > PAYMENT_LIFETIME_MS) payment.transactionStatus = 'Expired';
    return payment;
  }

  /** Everything held, for `GET /__control/state` (tokens are left out). */
  snapshot() {
    return {
      payments: [...this.payments.keys()].map((paymentID) => this.payment(paymentID)),
      ledger: [...this.ledger],
      liveTokens: [...this.idTokens.values()].filter((expiresAt) => expiresAt > this.now()).length,
    };
  }

  private find(body: Body, field: string): SimulatedPayment | undefined {
    const paymentID = text(body, field);
    return paymentID === undefined ? undefined : this.payment(paymentID);
  }

  private debit(payment: SimulatedPayment): void {
    this.ledger.push({
      kind: 'debit',
      gatewayReference: payment.paymentID,
      transactionId: payment.trxID ?? '',
      amountMinor: payment.amountMinor,
      at: new Date(this.now()).toISOString(),
    });
  }

  private record(payment: SimulatedPayment, shape: 'execute' | 'query'): Record<string, unknown> {
    return {
      paymentID: payment.paymentID,
      ...(shape === 'query'
        ? {
            mode: payment.mode,
            paymentCreateTime: bkashTime(payment.createdAt),
            userVerificationStatus: payment.buyerVerified ? 'Complete' : 'Incomplete',
          }
        : {}),
      ...(payment.trxID ? { trxID: payment.trxID, customerMsisdn: BUYER_WALLET } : {}),
      ...(payment.executedAt ? { paymentExecuteTime: bkashTime(payment.executedAt) } : {}),
      payerReference: payment.payerReference,
      transactionStatus: payment.transactionStatus,
      amount: payment.amount,
      currency: 'BDT',
      intent: payment.intent,
      merchantInvoiceNumber: payment.merchantInvoiceNumber,
    };
  }
}

/** The merchant's callback URL with bKash's query string appended. */
const callbackWith = (payment: SimulatedPayment, status: 'success' | 'failure' | 'cancel'): string => {
  const url = new URL(payment.callbackURL);
  url.searchParams.set('paymentID', payment.paymentID);
  url.searchParams.set('status', status);
  return url.toString();
};

const refundV1Record = (payment: SimulatedPayment & { trxID: string }, refund: Refund) => ({
  originalTrxID: payment.trxID,
  refundTrxID: refund.refundTrxId,
  transactionStatus: 'Completed',
  amount: toTaka(refund.amountMinor),
  currency: 'BDT',
  charge: '0.00',
  completedTime: refund.completedTime,
});
