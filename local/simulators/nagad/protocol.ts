import { generateKeyPair, type KeyObject, randomBytes } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { promisify } from 'node:util';
import {
  decryptWithPrivateKey,
  encryptWithPublicKey,
  signWithPrivateKey,
  toPem,
  verifySignature,
} from '../../../functions/payments/gateways/nagad-crypto';
import type { BuyerAction } from '../contracts';

/*
 * Nagad's merchant API as the simulator plays it (providers/payments.md §2 and the §7 Nagad checklist). Facts tagged
 * [weak] there are [weak] here too; so is everything the facts do not cover and this file had to choose: the error
 * `reason` strings, HTTP 400 for business errors, the status codes of failures other than "over limit", the
 * `Initiated`/`Ready` statuses, the cancel answer's fields, the one-orderId-once rule, the datetime tolerance, the
 * X-KM-Client-Type values besides PC_WEB and what verify shows before complete and after several partial cancels.
 */

/**
 * Who the simulated merchant is, as Nagad's sandbox knows it: the public sandbox merchant id and wallet of Nagad's
 * samples, and an egress address from the documentation range (TEST-NET-3) for X-KM-IP-V4.
 */
export const MERCHANT = { id: '683002007104225', account: '01300200710', ip: '203.0.113.10' } as const;

/** One Nagad error envelope `{reason, message, devMessage}`; clients treat a `reason` as failure (§2.4). */
export class NagadError extends Error {
  constructor(
    readonly reason: string,
    readonly devMessage: string,
    // Nagad's generic text for bad input [lib].
    readonly publicMessage = 'Please verify provided data and try again. Call 16167 for help.',
  ) {
    super(devMessage);
  }
}

type Stage = 'initialized' | 'ready' | 'success' | 'aborted' | 'failed';

interface Cancel {
  referenceNo: string;
  poisha: number;
  cancelIssuerRefNo: string;
  at: Date;
}

/** A payment as Nagad holds it. */
export interface NagadPayment {
  paymentRefId: string;
  orderId: string;
  challenge: string;
  orderDateTime: Date;
  stage: Stage;
  poisha?: number;
  callbackUrl?: string;
  additionalMerchantInfo?: string;
  statusCode?: string;
  message?: string;
  issuerPaymentRefNo?: string;
  issuerPaymentDateTime?: Date;
  clientMobileNo?: string;
  cancels: Cancel[];
}

/**
 * What each buyer action ends in. Success's code is from real callbacks [lib], Failed `50_0026_851` "Transaction
 * over limit" from one real callback [lib] (used for a declined payment); the Aborted, insufficient-balance and
 * wrong-PIN codes and texts are [weak]. The adapter's failure table names the same codes.
 */
const OUTCOMES = {
  approve: { stage: 'success', status: 'Success', statusCode: '00_0000_000', message: 'Successful Transaction' },
  decline: { stage: 'failed', status: 'Failed', statusCode: '50_0026_851', message: 'E Com Trx Failed. Transaction over limit.' },
  cancel: { stage: 'aborted', status: 'Aborted', statusCode: '02_0000_000', message: 'Transaction aborted by customer' },
  'insufficient-balance': { stage: 'failed', status: 'Failed', statusCode: '50_0020_851', message: 'E Com Trx Failed. Insufficient balance.' },
  'wrong-pin': { stage: 'failed', status: 'Failed', statusCode: '50_0011_851', message: 'E Com Trx Failed. Wrong PIN.' },
} as const satisfies Record<string, { stage: Stage; status: string; statusCode: string; message: string }>;

const VERIFY_STATUS: Readonly<Record<Stage, string>> = { initialized: 'Initiated', ready: 'Ready', success: 'Success', aborted: 'Aborted', failed: 'Failed' };
const HEADER_CLIENT_TYPES = new Set(['PC_WEB', 'MOBILE_WEB', 'MOBILE_APP', 'WALLET_WEB_VIEW', 'BILL_KEY']);
const DATETIME_TOLERANCE_MS = 15 * 60_000;
const ORDER_ID = /^[A-Za-z0-9]{1,40}$/;
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;

/** Dhaka is UTC+6 all year (no DST since 2009): computed by offset here, by the Intl time zone in the adapter. */
const dhaka = (instant: Date): string => new Date(instant.getTime() + 6 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);

/** The instant of a Dhaka `YYYYMMDDHHmmss`, or undefined when it is not a real date and time. */
const parseDhaka = (text: string): Date | undefined => {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const utc = Date.UTC(year, month - 1, day, hour - 6, minute, second);
  return dhaka(new Date(utc)) === text ? new Date(utc) : undefined;
};

const toPoisha = (text: string): number | undefined => {
  if (!AMOUNT.test(text)) return undefined;
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};

/** Nagad writes amounts without trailing zeros ("5", "50.55" in real verify answers [lib]; "50.5" is [weak]). */
const amountText = (poisha: number): string => {
  const whole = Math.floor(poisha / 100);
  const fraction = String(poisha % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
};

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const issuerRef = () => Array.from(randomBytes(8), (byte) => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[byte % 36]).join('');

const field = (data: Record<string, unknown>, name: string): string => {
  const value = data[name];
  if (typeof value !== 'string' || value === '') throw new NagadError('INVALID_REQUEST', `${name} is missing`);
  return value;
};

const objectOf = (value: unknown, what: string): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new NagadError('INVALID_REQUEST', `${what} is not a JSON object`);
  return value as Record<string, unknown>;
};

/** The PG's and the merchant's key pairs, made at start. */
export interface NagadKeys {
  pgPrivate: KeyObject;
  pgPublic: KeyObject;
  merchantPublic: KeyObject;
  /** The secret's PEMs: the merchant key as PKCS#8 under the RSA label, the way Nagad's sample hands it out (§2.6). */
  merchantPrivatePem: string;
  pgPublicPem: string;
}

const newKeyPair = promisify(generateKeyPair);

export const generateNagadKeys = async (): Promise<NagadKeys> => {
  const [pg, merchant] = await Promise.all([newKeyPair('rsa', { modulusLength: 2048 }), newKeyPair('rsa', { modulusLength: 2048 })]);
  return {
    pgPrivate: pg.privateKey,
    pgPublic: pg.publicKey,
    merchantPublic: merchant.publicKey,
    merchantPrivatePem: toPem(merchant.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'), 'RSA PRIVATE KEY'),
    pgPublicPem: toPem(pg.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), 'PUBLIC KEY'),
  };
};

/** An incoming protocol call, already split up by the server. */
export interface ProtocolRequest {
  method: string;
  /** Path segments after `/api/dfs/`, decoded. */
  segments: string[];
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface ProtocolAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One money movement, for tests that count debits and refunds (the control API's `ledger`). */
export interface LedgerEntry {
  kind: 'debit' | 'refund';
  gatewayReference: string;
  amountMinor: number;
}

/** Nagad's state and endpoints for one merchant. */
export class NagadGatewayState {
  readonly payments = new Map<string, NagadPayment>();
  readonly ledger: LedgerEntry[] = [];

  constructor(
    private readonly keys: NagadKeys,
    /** Absolute URL of the hosted page of a payment. */
    private readonly pageUrl: (paymentRefId: string) => string,
  ) {}

  reset(): void {
    this.payments.clear();
    this.ledger.length = 0;
  }

  /** Which endpoint a request is for; undefined when it is none. */
  static operationOf(request: Pick<ProtocolRequest, 'method' | 'segments'>): 'initialize' | 'complete' | 'verify' | 'cancel' | undefined {
    const [first, second] = request.segments;
    if (request.method === 'POST' && first === 'check-out' && second === 'initialize' && request.segments.length === 4) return 'initialize';
    if (request.method === 'POST' && first === 'check-out' && second === 'complete' && request.segments.length === 3) return 'complete';
    if (request.method === 'GET' && first === 'verify' && second === 'payment' && request.segments.length === 3) return 'verify';
    if (request.method === 'POST' && first === 'purchase' && second === 'cancel' && request.segments.length === 2) return 'cancel';
    return undefined;
  }

  /** Answers one protocol call; Nagad errors become their envelope. */
  handle(request: ProtocolRequest): ProtocolAnswer {
    try {
      const operation = NagadGatewayState.operationOf(request);
      if (!operation) return { status: 404, body: { reason: 'NOT_FOUND', message: 'No such endpoint', devMessage: request.segments.join('/') } };
      this.checkHeaders(request.headers, operation === 'verify');
      switch (operation) {
        case 'initialize':
          return { status: 200, body: this.initialize(request.segments[2], request.segments[3], objectOf(request.body, 'body')) };
        case 'complete':
          return { status: 200, body: this.complete(request.segments[2], objectOf(request.body, 'body')) };
        case 'verify':
          return { status: 200, body: this.verify(request.segments[2]) };
        case 'cancel':
          return { status: 200, body: this.cancel(request.query, objectOf(request.body, 'body')) };
      }
    } catch (error) {
      if (!(error instanceof NagadError)) throw error;
      return { status: 400, body: { reason: error.reason, message: error.publicMessage, devMessage: error.devMessage } };
    }
  }

  /**
   * The X-KM headers every call needs (§2.2). Nagad's own sample calls verify without them, so on verify they are
   * only checked when sent. Loopback addresses are refused like the real gateway does.
   */
  private checkHeaders(headers: ProtocolRequest['headers'], optional: boolean): void {
    const version = headers['x-km-api-version'];
    const ip = headers['x-km-ip-v4'];
    const clientType = headers['x-km-client-type'];
    if (optional && version === undefined && ip === undefined && clientType === undefined) return;
    if (version !== 'v-0.2.0') throw new NagadError('INVALID_HEADER', `X-KM-Api-Version must be v-0.2.0, got ${String(version)}`);
    if (typeof ip !== 'string' || !isIPv4(ip) || ip.startsWith('127.') || ip === '0.0.0.0') {
      throw new NagadError('INVALID_HEADER', `X-KM-IP-V4 must be the client's IPv4, got ${String(ip)}`);
    }
    if (typeof clientType !== 'string' || !HEADER_CLIENT_TYPES.has(clientType)) throw new NagadError('INVALID_HEADER', `unknown X-KM-Client-Type ${String(clientType)}`);
  }

  /** Decrypts a sealed field with the PG key and checks the merchant's signature over the decrypted bytes. */
  private opened(body: Record<string, unknown>, sealedField: string): Record<string, unknown> {
    let plaintext: string;
    try {
      plaintext = decryptWithPrivateKey(field(body, sealedField), this.keys.pgPrivate);
    } catch (error) {
      if (error instanceof NagadError) throw error;
      throw new NagadError('DECRYPTION_FAILED', `${sealedField} does not decrypt with the PG key`);
    }
    if (!verifySignature(plaintext, field(body, 'signature'), this.keys.merchantPublic)) {
      throw new NagadError('INVALID_SIGNATURE', `signature does not match ${sealedField} for merchant ${MERCHANT.id}`);
    }
    try {
      return objectOf(JSON.parse(plaintext), sealedField);
    } catch (error) {
      if (error instanceof NagadError) throw error;
      throw new NagadError('INVALID_REQUEST', `${sealedField} is not JSON`);
    }
  }

  /** `{sensitiveData, signature}` to the merchant: encrypted to its key, signed with the PG key (§2.3). */
  private sealed(data: Record<string, unknown>): Record<string, unknown> {
    const plaintext = JSON.stringify(data);
    return { sensitiveData: encryptWithPublicKey(plaintext, this.keys.merchantPublic), signature: signWithPrivateKey(plaintext, this.keys.pgPrivate) };
  }

  private requireMerchant(merchantId: string): void {
    if (merchantId !== MERCHANT.id) throw new NagadError('INVALID_MERCHANT', `unknown merchant ${merchantId}`);
  }

  private payment(paymentRefId: string | undefined | null): NagadPayment {
    const payment = paymentRefId ? this.payments.get(paymentRefId) : undefined;
    if (!payment) throw new NagadError('PAYMENT_NOT_FOUND', `no payment ${String(paymentRefId)}`, 'Invalid payment reference');
    return payment;
  }

  private initialize(merchantId: string, orderId: string, body: Record<string, unknown>): Record<string, unknown> {
    this.requireMerchant(merchantId);
    if (!ORDER_ID.test(orderId)) throw new NagadError('INVALID_ORDER_ID', `orderId must be 1-40 letters and digits, got ${orderId}`);
    if (field(body, 'accountNumber') !== MERCHANT.account) throw new NagadError('INVALID_MERCHANT', `unknown merchant account ${String(body.accountNumber)}`);
    const data = this.opened(body, 'sensitiveData');
    if (field(data, 'merchantId') !== merchantId || field(data, 'orderId') !== orderId) {
      throw new NagadError('INVALID_REQUEST', 'sensitiveData names another merchant or order than the path');
    }
    const datetime = field(data, 'datetime');
    const instant = parseDhaka(datetime);
    if (!instant || datetime !== field(body, 'dateTime')) throw new NagadError('INVALID_DATETIME', `datetime ${datetime} is not a YYYYMMDDHHmmss Dhaka time matching dateTime`);
    if (Math.abs(instant.getTime() - Date.now()) > DATETIME_TOLERANCE_MS) {
      throw new NagadError('INVALID_DATETIME', `datetime ${datetime} is more than 15 minutes from Dhaka time ${dhaka(new Date())}`);
    }
    field(data, 'challenge');
    if ([...this.payments.values()].some((payment) => payment.orderId === orderId)) throw new NagadError('DUPLICATE_ORDER_ID', `orderId ${orderId} was used before`);

    // A real reference is base64 of "<MMddHHmmssSSS>.<merchantId>.<orderId>.<random hex>" [lib: decoded samples].
    const now = new Date();
    const stamp = `${dhaka(now).slice(4)}${String(now.getUTCMilliseconds()).padStart(3, '0')}`;
    const paymentRefId = Buffer.from(`${stamp}.${merchantId}.${orderId}.${hex(10)}`).toString('base64');
    const payment: NagadPayment = { paymentRefId, orderId, challenge: hex(20), orderDateTime: now, stage: 'initialized', cancels: [] };
    this.payments.set(paymentRefId, payment);
    return this.sealed({ paymentReferenceId: paymentRefId, challenge: payment.challenge, acceptDateTime: dhaka(now) });
  }

  private complete(paymentRefId: string, body: Record<string, unknown>): Record<string, unknown> {
    const payment = this.payment(paymentRefId);
    const data = this.opened(body, 'sensitiveData');
    this.requireMerchant(field(data, 'merchantId'));
    if (field(data, 'orderId') !== payment.orderId) throw new NagadError('INVALID_REQUEST', `orderId does not match payment ${paymentRefId}`);
    if (field(data, 'challenge') !== payment.challenge) throw new NagadError('INVALID_CHALLENGE', 'challenge does not echo the one initialize issued');
    if (field(data, 'currencyCode') !== '050') throw new NagadError('INVALID_CURRENCY', `currencyCode must be 050 (BDT), got ${String(data.currencyCode)}`);
    const poisha = toPoisha(field(data, 'amount'));
    if (!poisha) throw new NagadError('INVALID_AMOUNT', `amount must be a positive BDT amount with at most 2 decimals, got ${String(data.amount)}`);
    const callbackUrl = field(body, 'merchantCallbackURL');
    if (!/^https?:\/\//.test(callbackUrl) || !URL.canParse(callbackUrl)) throw new NagadError('INVALID_REQUEST', `merchantCallbackURL is not an absolute URL: ${callbackUrl}`);
    if (payment.stage !== 'initialized') throw new NagadError('INVALID_STATE', `payment ${paymentRefId} was already completed`);
    Object.assign(payment, {
      stage: 'ready',
      poisha,
      callbackUrl,
      additionalMerchantInfo: body.additionalMerchantInfo === undefined ? undefined : JSON.stringify(body.additionalMerchantInfo),
    });
    return { status: 'Success', callBackUrl: this.pageUrl(paymentRefId) };
  }

  /** The plain verify record (§2.4), the fields and their shapes as seen in real answers [lib]. */
  verify(paymentRefId: string): Record<string, unknown> {
    const payment = this.payment(paymentRefId);
    const lastCancel = payment.cancels.at(-1);
    return {
      merchantId: MERCHANT.id,
      orderId: payment.orderId,
      paymentRefId,
      // Nagad learns the amount at complete; before that the record has none [weak].
      amount: payment.poisha === undefined ? null : amountText(payment.poisha),
      clientMobileNo: payment.clientMobileNo ?? null,
      merchantMobileNo: MERCHANT.account,
      orderDateTime: this.recordTime(payment.orderDateTime),
      issuerPaymentDateTime: payment.issuerPaymentDateTime ? this.recordTime(payment.issuerPaymentDateTime) : null,
      issuerPaymentRefNo: payment.issuerPaymentRefNo ?? null,
      additionalMerchantInfo: payment.additionalMerchantInfo ?? null,
      status: VERIFY_STATUS[payment.stage],
      // Verify says "000" for success [lib]; failures carry their callback code [weak].
      statusCode: payment.stage === 'success' ? '000' : (payment.statusCode ?? null),
      // The latest cancel [weak]: the real record has one pair of fields, even after several partial cancels.
      cancelIssuerDateTime: lastCancel ? this.recordTime(lastCancel.at) : null,
      cancelIssuerRefNo: lastCancel?.cancelIssuerRefNo ?? null,
      serviceType: 'REGULAR_ECOM',
    };
  }

  /** "2021-08-25 14:51:35.0", Dhaka time, as real verify records write times [lib]. */
  private recordTime(instant: Date): string {
    const text = dhaka(instant);
    return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)} ${text.slice(8, 10)}:${text.slice(10, 12)}:${text.slice(12, 14)}.0`;
  }

  /** Purchase cancel (refund): partial cancels allowed while their sum stays within the payment (§2.4). */
  private cancel(query: URLSearchParams, body: Record<string, unknown>): Record<string, unknown> {
    const payment = this.payment(query.get('paymentRefId'));
    if (query.get('orderId') !== payment.orderId) throw new NagadError('INVALID_REQUEST', `orderId ${String(query.get('orderId'))} is not the payment's`);
    const data = this.opened(body, 'sensitiveDataCancelRequest');
    this.requireMerchant(field(data, 'merchantId'));
    const originalRequestDate = field(data, 'originalRequestDate');
    if (!/^\d{8}$/.test(originalRequestDate) || !parseDhaka(`${originalRequestDate}000000`)) {
      throw new NagadError('INVALID_DATETIME', `originalRequestDate must be YYYYMMDD, got ${originalRequestDate}`);
    }
    const referenceNo = field(data, 'referenceNo');
    if (referenceNo.length > 40) throw new NagadError('INVALID_REQUEST', 'referenceNo is longer than 40 characters');
    if (typeof data.referenceMessage !== 'string') throw new NagadError('INVALID_REQUEST', 'referenceMessage is missing');
    if (payment.stage !== 'success' || payment.poisha === undefined) throw new NagadError('INVALID_STATE', `payment ${payment.paymentRefId} is not a successful payment`);
    const original = toPoisha(field(data, 'originalAmount'));
    if (original !== payment.poisha) throw new NagadError('INVALID_AMOUNT', `originalAmount ${String(data.originalAmount)} is not the payment's ${amountText(payment.poisha)}`);
    const poisha = toPoisha(field(data, 'cancelAmount'));
    if (!poisha) throw new NagadError('INVALID_AMOUNT', `cancelAmount must be a positive BDT amount, got ${String(data.cancelAmount)}`);
    const cancelled = payment.cancels.reduce((sum, cancel) => sum + cancel.poisha, 0);
    if (cancelled + poisha > payment.poisha) {
      throw new NagadError('CANCEL_AMOUNT_EXCEEDED', `cancelling ${amountText(poisha)} after ${amountText(cancelled)} exceeds ${amountText(payment.poisha)}`);
    }
    const cancel: Cancel = { referenceNo, poisha, cancelIssuerRefNo: issuerRef(), at: new Date() };
    payment.cancels.push(cancel);
    this.ledger.push({ kind: 'refund', gatewayReference: payment.paymentRefId, amountMinor: poisha });
    // The decrypted answer's fields are [weak] (one integrator's model); cancelIssuerRefNo mirrors the verify field.
    return this.sealed({
      status: 'Success',
      originalRequestDate,
      originalAmount: amountText(payment.poisha),
      cancelAmount: amountText(poisha),
      referenceNo,
      cancelIssuerRefNo: cancel.cancelIssuerRefNo,
    });
  }

  /** The payment the hosted page shows, if it is still payable. */
  payable(paymentRefId: string): NagadPayment | undefined {
    const payment = this.payments.get(paymentRefId);
    return payment?.stage === 'ready' ? payment : undefined;
  }

  /**
   * The buyer acts on the hosted page; returns where Nagad sends the browser: merchantCallbackURL with
   * `merchant, order_id, payment_ref_id, status, status_code, message` (§2.4), plus `payment_dt` and
   * `issuer_payment_ref` on success as real callbacks carry [lib]. The reference goes in unescaped, as Nagad does.
   * `declined` turns an approval into Nagad's decline. Throws NagadError when the payment is not payable.
   */
  act(paymentRefId: string, action: BuyerAction, declined: boolean): string {
    const payment = this.payable(paymentRefId);
    if (!payment?.callbackUrl) throw new NagadError('INVALID_STATE', `payment ${paymentRefId} is not waiting for the buyer`);
    const outcome = OUTCOMES[action === 'approve' && declined ? 'decline' : action];
    const now = new Date();
    Object.assign(payment, { stage: outcome.stage, statusCode: outcome.statusCode, message: outcome.message });
    const params = [
      `merchant=${MERCHANT.id}`,
      `order_id=${encodeURIComponent(payment.orderId)}`,
      `payment_ref_id=${payment.paymentRefId}`,
      `status=${outcome.status}`,
      `status_code=${outcome.statusCode}`,
      `message=${encodeURIComponent(outcome.message)}`,
    ];
    if (outcome.stage === 'success') {
      Object.assign(payment, { issuerPaymentRefNo: issuerRef(), issuerPaymentDateTime: now, clientMobileNo: '017****4321' });
      this.ledger.push({ kind: 'debit', gatewayReference: payment.paymentRefId, amountMinor: payment.poisha ?? 0 });
      params.push(`payment_dt=${dhaka(now)}`, `issuer_payment_ref=${payment.issuerPaymentRefNo}`);
    }
    return `${payment.callbackUrl}${payment.callbackUrl.includes('?') ? '&' : '?'}${params.join('&')}`;
  }
}
