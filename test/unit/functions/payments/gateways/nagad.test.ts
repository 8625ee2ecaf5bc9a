import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { ProviderIndeterminateError, ProviderTerminalError, RuleViolationError, ValidationError } from '../../../../../functions/_platform/errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../../../../../functions/_platform/http-client';
import { createIdGenerator } from '../../../../../functions/_platform/ids';
import { money } from '../../../../../functions/_platform/money';
import type { RefundRequest } from '../../../../../functions/payments/domain/ports';
import {
  createNagadGateway,
  formatDhakaDateTime,
  nagadClientIp,
  nagadConfig,
  nagadSafeId,
} from '../../../../../functions/payments/gateways/nagad';
import {
  decryptWithPrivateKey,
  encryptWithPublicKey,
  privateKeyFrom,
  publicKeyFrom,
  signWithPrivateKey,
  toPem,
  verifySignature,
} from '../../../../../functions/payments/gateways/nagad-crypto';

const FIXTURES = path.resolve(__dirname, '../../../../fixtures/nagad');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const fixtureJson = (name: string): Record<string, unknown> => JSON.parse(fixture(name));

const REFERENCE = 'MTEyNDAxNTk1MTU5Ny42ODMwMDIwMDcxMDQyMjUucGF5MDFoeHl6YWJjZGVmZ2hqa21ucHFyc3R2d3guMjI5ZGUzNzk2ZDQ3Nzc2NTY5NDI=';
const PAYMENT_ID = 'pay_01hxyzabcdefghjkmnpqrstvwx';
const ORDER_ID = 'ord_01hxyzorder0000000000000000';
const PAYMENT = { paymentId: PAYMENT_ID, gatewayReference: REFERENCE };
const OPTIONS = { idempotencyKey: `${PAYMENT_ID}:step` };
const SECRET = {
  baseUrl: 'http://sandbox.mynagad.com:10080/remote-payment-gateway-1.0',
  merchantId: '683002007104225',
  merchantAccount: '01300200710',
  merchantPrivateKey: fixture('merchant-private-key.pem'),
  pgPublicKey: fixture('pg-public-key.base64'),
  merchantIp: '203.0.113.10',
};
const API = `${SECRET.baseUrl}/api/dfs`;
/** 20241124015951 in Dhaka. */
const clock = { now: () => new Date('2024-11-23T19:59:51Z') };
// Nagad's side of the fixture keys: decrypts what the adapter sends and checks its signatures.
const pgPrivateKey = privateKeyFrom(fixture('pg-private-key.pem'));
const merchantPublicKey = publicKeyFrom(fixture('merchant-public-key.pem'));

/** An HttpClient that answers from a script and keeps what it was sent. */
class ScriptedHttp implements HttpClient {
  readonly sent: HttpRequest[] = [];
  constructor(private readonly answers: HttpResponse[]) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.sent.push(request);
    const answer = this.answers.shift();
    if (!answer) throw new Error(`no answer scripted for ${request.operation}`);
    return answer;
  }
}

const answer = (body: unknown, status = 200): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const gatewayWith = (...answers: HttpResponse[]) => {
  const http = new ScriptedHttp(answers);
  return { http, gateway: createNagadGateway(nagadConfig.parse(SECRET), http, clock) };
};

/** What Nagad would read from a sealed field the adapter sent: the plaintext, after checking the signature over it. */
const opened = (body: HttpRequest['body'], field: string): Record<string, unknown> => {
  const fields = body as Record<string, string>;
  const plaintext = decryptWithPrivateKey(fields[field], pgPrivateKey);
  expect(verifySignature(plaintext, fields.signature, merchantPublicKey)).toBe(true);
  return JSON.parse(plaintext);
};

const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & { details?: Record<string, unknown> };
};

describe('nagad crypto', () => {
  const vector = fixtureJson('openssl-vector.json') as { plaintext: string; ciphertext: string; signature: string };
  const merchantKey = privateKeyFrom(fixture('merchant-private-key.pem'));
  const pgPublicKey = publicKeyFrom(fixture('pg-public-key.base64'));

  it('decrypts what openssl encrypted with PKCS#1 v1.5, using a PKCS#8 key under the RSA label', () => {
    expect(decryptWithPrivateKey(vector.ciphertext, merchantKey)).toBe(vector.plaintext);
  });

  it("signs exactly as openssl's SHA256withRSA does (PKCS#1 v1.5 signatures are deterministic)", () => {
    expect(signWithPrivateKey(vector.plaintext, merchantKey)).toBe(vector.signature);
  });

  it("verifies openssl's signature and refuses it for other bytes", () => {
    expect(verifySignature(vector.plaintext, vector.signature, merchantPublicKey)).toBe(true);
    expect(verifySignature(vector.plaintext.replace('683', '684'), vector.signature, merchantPublicKey)).toBe(false);
    expect(verifySignature(vector.plaintext, 'not base64!', merchantPublicKey)).toBe(false);
  });

  it('round-trips through a public key given as bare base64 DER, with fresh padding every time', () => {
    const plaintext = JSON.stringify({ merchantId: '683002007104225', amount: '৳ 50.55' });
    const first = encryptWithPublicKey(plaintext, pgPublicKey);
    const second = encryptWithPublicKey(plaintext, pgPublicKey);
    expect(first).not.toBe(second);
    expect(decryptWithPrivateKey(first, pgPrivateKey)).toBe(plaintext);
    expect(decryptWithPrivateKey(second, pgPrivateKey)).toBe(plaintext);
  });

  it('takes 245 bytes into one 2048-bit block and refuses 246', () => {
    expect(decryptWithPrivateKey(encryptWithPublicKey('a'.repeat(245), pgPublicKey), pgPrivateKey)).toHaveLength(245);
    expect(() => encryptWithPublicKey('a'.repeat(246), pgPublicKey)).toThrow(RangeError);
  });

  it('gives one error for a ciphertext of the wrong key, the wrong length or no base64 at all', () => {
    const forMerchant = encryptWithPublicKey('secret', merchantPublicKey);
    expect(() => decryptWithPrivateKey(forMerchant, pgPrivateKey)).toThrow('RSA decryption failed');
    expect(() => decryptWithPrivateKey(forMerchant.slice(8), merchantKey)).toThrow('RSA decryption failed');
    expect(() => decryptWithPrivateKey('%%%', merchantKey)).toThrow('RSA decryption failed');
  });

  it('reads PKCS#1 keys under their own labels and PKCS#8 keys without a label', () => {
    const pkcs1Private = merchantKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const pkcs1Public = merchantPublicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const bareDer = merchantKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    for (const text of [pkcs1Private, bareDer]) {
      expect(decryptWithPrivateKey(vector.ciphertext, privateKeyFrom(text))).toBe(vector.plaintext);
    }
    expect(verifySignature(vector.plaintext, vector.signature, publicKeyFrom(pkcs1Public))).toBe(true);
  });

  it('refuses keys that are not RSA, not keys, or encrypted', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => privateKeyFrom(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow('must be an RSA key');
    expect(() => publicKeyFrom('not a key')).toThrow(TypeError);
    expect(() => privateKeyFrom(fixture('merchant-public-key.pem'))).toThrow('neither PKCS#8 nor PKCS#1');
    expect(() => privateKeyFrom('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END RSA PRIVATE KEY-----')).toThrow('encrypted');
  });

  it('wraps base64 DER into PEM lines of 64 characters', () => {
    const pem = toPem(fixture('pg-public-key.base64'), 'PUBLIC KEY');
    const lines = pem.trim().split('\n');
    expect(lines[0]).toBe('-----BEGIN PUBLIC KEY-----');
    expect(lines.at(-1)).toBe('-----END PUBLIC KEY-----');
    expect(lines.slice(1, -2).every((line) => line.length === 64)).toBe(true);
    expect(publicKeyFrom(pem).equals(pgPublicKey)).toBe(true);
  });
});

describe('formatDhakaDateTime', () => {
  it.each([
    ['2024-11-23T19:59:51Z', '20241124015951'],
    ['2024-01-31T18:30:00Z', '20240201003000'], // next day and next month in Dhaka: the off-by-one-month trap
    ['2024-03-04T21:05:06Z', '20240305030506'], // every field zero-padded
    ['2024-06-14T18:00:00Z', '20240615000000'], // midnight is 00, not 24
    ['2024-12-31T18:00:00.999Z', '20250101000000'],
  ])('writes %s as %s (UTC+6, no DST)', (iso, expected) => {
    expect(formatDhakaDateTime(new Date(iso))).toBe(expected);
  });
});

describe('nagadClientIp', () => {
  it.each([
    ['103.48.16.2', '103.48.16.2'],
    ['::ffff:103.48.16.2', '103.48.16.2'],
    ['127.0.0.1', '203.0.113.10'],
    ['::1', '203.0.113.10'],
    ['10.1.2.3', '203.0.113.10'],
    ['192.168.0.7', '203.0.113.10'],
    ['2001:db8::1', '203.0.113.10'],
    [undefined, '203.0.113.10'],
  ])('sends %s as %s', (buyerIp, expected) => {
    expect(nagadClientIp(buyerIp, '203.0.113.10')).toBe(expected);
  });
});

describe('nagadSafeId', () => {
  it('drops the separator of our ids', () => {
    expect(nagadSafeId(PAYMENT_ID)).toBe('pay01hxyzabcdefghjkmnpqrstvwx');
  });

  it('refuses an id with no letters or digits', () => {
    expect(() => nagadSafeId('_-_')).toThrow(ValidationError);
  });
});

describe('nagadConfig', () => {
  it('takes the secret with keys as PEM and as base64 DER', () => {
    expect(z.safeParse(nagadConfig, SECRET).success).toBe(true);
  });

  it('names every field that is wrong', () => {
    const result = z.safeParse(nagadConfig, { ...SECRET, pgPublicKey: 'nope', merchantIp: '127.0.0.1', merchantId: 'a-b' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['merchantId', 'merchantIp', 'pgPublicKey']);
  });
});

describe('createSession', () => {
  const session = {
    paymentId: PAYMENT_ID,
    orderId: ORDER_ID,
    amount: money(123456, 'BDT'),
    returnUrl: `https://shop.example/v1/payments/${PAYMENT_ID}/return`,
    buyerIp: '103.48.16.2',
  };
  const happy = () => gatewayWith(answer(fixtureJson('initialize-answer.json')), answer(fixtureJson('complete-answer.json')));

  it('initializes with the sealed order data, dated in Dhaka, on the merchant and order path', async () => {
    const { http, gateway } = happy();
    await gateway.createSession(session, OPTIONS);
    const [init] = http.sent;
    expect(init).toMatchObject({
      provider: 'nagad',
      operation: 'initialize',
      method: 'POST',
      url: `${API}/check-out/initialize/683002007104225/pay01hxyzabcdefghjkmnpqrstvwx`,
      retry: 'never',
      headers: { 'X-KM-Api-Version': 'v-0.2.0', 'X-KM-IP-V4': '103.48.16.2', 'X-KM-Client-Type': 'PC_WEB' },
      body: { accountNumber: '01300200710', dateTime: '20241124015951' },
      context: { orderId: ORDER_ID, paymentId: PAYMENT_ID },
    });
    const sealed = opened(init.body, 'sensitiveData');
    expect(Object.keys(sealed)).toEqual(['merchantId', 'datetime', 'orderId', 'challenge']);
    expect(sealed).toMatchObject({ merchantId: '683002007104225', datetime: '20241124015951', orderId: 'pay01hxyzabcdefghjkmnpqrstvwx' });
    expect(sealed.challenge).toMatch(/^[0-9a-f]{40}$/);
    expect(init.sensitiveFields).toEqual(expect.arrayContaining(['sensitiveData', 'signature', 'X-KM-IP-V4']));
  });

  it("completes with Nagad's challenge, the amount in 2 decimals and currency 050, and returns the hosted page", async () => {
    const { http, gateway } = happy();
    const result = await gateway.createSession(session, OPTIONS);
    const [, complete] = http.sent;
    expect(complete).toMatchObject({
      operation: 'complete',
      url: `${API}/check-out/complete/${encodeURIComponent(REFERENCE)}`,
      retry: 'never',
      body: { merchantCallbackURL: session.returnUrl, additionalMerchantInfo: { orderId: ORDER_ID, paymentId: PAYMENT_ID } },
    });
    expect(opened(complete.body, 'sensitiveData')).toEqual({
      merchantId: '683002007104225',
      orderId: 'pay01hxyzabcdefghjkmnpqrstvwx',
      currencyCode: '050',
      amount: '1234.56',
      challenge: '8f14e45fceea167a5a36dedd4bea2543e0a1b2c3',
    });
    expect(result).toEqual({ gatewayReference: REFERENCE, redirectUrl: fixtureJson('complete-answer.json').callBackUrl });
  });

  it("sends our egress address when the buyer's is loopback", async () => {
    const { http, gateway } = happy();
    await gateway.createSession({ ...session, buyerIp: '::1' }, OPTIONS);
    expect(http.sent.map((request) => request.headers?.['X-KM-IP-V4'])).toEqual(['203.0.113.10', '203.0.113.10']);
  });

  it("turns Nagad's error envelope into a refusal naming its reason", async () => {
    const { gateway } = gatewayWith(answer(fixtureJson('error-invalid-datetime.json'), 400));
    const error = await rejection(gateway.createSession(session, OPTIONS));
    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(error.details).toMatchObject({ provider: 'nagad', failureCode: 'PROCESSING_ERROR', gatewayCode: 'INVALID_DATETIME' });
  });

  it('refuses a currency other than BDT without calling Nagad', async () => {
    const { http, gateway } = happy();
    const error = await rejection(gateway.createSession({ ...session, amount: money(100, 'USD') }, OPTIONS));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(http.sent).toHaveLength(0);
  });

  it('reports an initialize answer it cannot decrypt as an unknown outcome', async () => {
    const { gateway } = gatewayWith(answer({ sensitiveData: encryptWithPublicKey('{}', publicKeyFrom(fixture('pg-public-key.base64'))), signature: 'x' }));
    expect(await rejection(gateway.createSession(session, OPTIONS))).toBeInstanceOf(ProviderIndeterminateError);
  });

  it('refuses when complete does not answer Success', async () => {
    const { gateway } = gatewayWith(answer(fixtureJson('initialize-answer.json')), answer({ status: 'Failed' }));
    const error = await rejection(gateway.createSession(session, OPTIONS));
    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(error.details).toMatchObject({ gatewayCode: 'Failed' });
  });
});

describe('parseReturn', () => {
  const { gateway } = gatewayWith();
  const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);
  const callbacks = fixtureJson('callbacks.json') as Record<'success' | 'aborted' | 'failed', string>;

  it.each([
    ['success', 'success'],
    ['aborted', 'cancel'],
    ['failed', 'failure'],
  ] as const)('reads the %s callback as a %s claim', (kind, claimed) => {
    expect(gateway.parseReturn(queryOf(callbacks[kind]))).toEqual({ gatewayReference: queryOf(callbacks[kind]).payment_ref_id, claimed });
  });

  it("restores a reference's + that a form decoder turned into a space", () => {
    expect(gateway.parseReturn({ payment_ref_id: 'ab+cd/ef==', status: 'Success' }).gatewayReference).toBe('ab+cd/ef==');
    expect(gateway.parseReturn(queryOf('https://shop.example/r?payment_ref_id=ab+cd/ef==&status=Success')).gatewayReference).toBe('ab+cd/ef==');
  });

  it('refuses a query without reference or status, naming both', () => {
    expect(() => gateway.parseReturn({ order_id: 'x' })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ path: 'query.payment_ref_id' }), expect.objectContaining({ path: 'query.status' })] }),
    );
  });
});

describe('queryStatus', () => {
  it('verifies with a safe GET from our egress address and maps a Success record', async () => {
    const { http, gateway } = gatewayWith(answer(fixtureJson('verify-success.json')));
    await expect(gateway.queryStatus(PAYMENT, OPTIONS)).resolves.toEqual({
      state: 'completed',
      gatewayReference: REFERENCE,
      transactionId: 'W31TPZ8G',
      amount: money(123456, 'BDT'),
      gatewayStatus: 'Success (000)',
    });
    expect(http.sent[0]).toMatchObject({
      operation: 'verify',
      method: 'GET',
      url: `${API}/verify/payment/${encodeURIComponent(REFERENCE)}`,
      retry: 'safe',
      headers: { 'X-KM-IP-V4': '203.0.113.10' },
    });
    expect(http.sent[0].body).toBeUndefined();
  });

  it.each([
    ['verify-aborted.json', 'CANCELLED_BY_BUYER'],
    ['verify-failed-insufficient-balance.json', 'INSUFFICIENT_FUNDS'],
    ['verify-failed-over-limit.json', 'DECLINED'],
  ])('maps %s to failed with %s', async (file, failureCode) => {
    const { gateway } = gatewayWith(answer(fixtureJson(file)));
    await expect(gateway.queryStatus(PAYMENT, OPTIONS)).resolves.toMatchObject({ state: 'failed', failureCode });
  });

  it('reads a payment the buyer has not finished as pending', async () => {
    const { gateway } = gatewayWith(answer(fixtureJson('verify-ready.json')));
    await expect(gateway.queryStatus(PAYMENT, OPTIONS)).resolves.toMatchObject({ state: 'pending', gatewayStatus: 'Ready' });
  });

  it('never decides on a status it does not know', async () => {
    const { gateway } = gatewayWith(answer({ ...fixtureJson('verify-success.json'), status: 'OnHold' }));
    expect(await rejection(gateway.queryStatus(PAYMENT, OPTIONS))).toBeInstanceOf(ProviderIndeterminateError);
  });

  it("treats another order's record as a forgery", async () => {
    const { gateway } = gatewayWith(answer({ ...fixtureJson('verify-success.json'), orderId: 'pay01cheaperorder' }));
    const error = await rejection(gateway.queryStatus(PAYMENT, OPTIONS));
    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(error.details).toMatchObject({
      gatewayCode: 'REFERENCE_MISMATCH',
      expected: { orderId: 'pay01hxyzabcdefghjkmnpqrstvwx' },
      actual: { orderId: 'pay01cheaperorder' },
    });
  });

  it('refuses an unknown reference with the reason Nagad gives', async () => {
    const { gateway } = gatewayWith(answer({ reason: 'PAYMENT_NOT_FOUND', message: 'Invalid payment reference', devMessage: 'no payment' }, 400));
    const error = await rejection(gateway.queryStatus({ ...PAYMENT, gatewayReference: 'forged' }, OPTIONS));
    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(error.details).toMatchObject({ provider: 'nagad', gatewayCode: 'PAYMENT_NOT_FOUND' });
  });

  it('refuses an empty answer, as the live API gives to an address it has not allow-listed', async () => {
    const { gateway } = gatewayWith(answer(''));
    expect((await rejection(gateway.queryStatus(PAYMENT, OPTIONS))).details).toMatchObject({ gatewayCode: 'EMPTY_RESPONSE' });
  });
});

describe('capture', () => {
  it('returns the completed payment, verified with a never-retry call', async () => {
    const { http, gateway } = gatewayWith(answer(fixtureJson('verify-success.json')));
    await expect(gateway.capture(PAYMENT, OPTIONS)).resolves.toMatchObject({ state: 'completed', transactionId: 'W31TPZ8G' });
    expect(http.sent[0]).toMatchObject({ operation: 'verify', retry: 'never' });
  });

  it('throws a failed payment as a refusal with its failure code', async () => {
    const { gateway } = gatewayWith(answer(fixtureJson('verify-failed-insufficient-balance.json')));
    const error = await rejection(gateway.capture(PAYMENT, OPTIONS));
    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(error.details).toMatchObject({ failureCode: 'INSUFFICIENT_FUNDS', gatewayCode: '50_0020_851' });
  });

  it('returns a payment the buyer has not finished as pending', async () => {
    const { gateway } = gatewayWith(answer(fixtureJson('verify-ready.json')));
    await expect(gateway.capture(PAYMENT, OPTIONS)).resolves.toMatchObject({ state: 'pending' });
  });
});

describe('refund', () => {
  const refund: RefundRequest = {
    refundId: 'ref_01hxyzrefund00000000000000',
    paymentId: PAYMENT_ID,
    gatewayReference: REFERENCE,
    transactionId: 'W31TPZ8G',
    amount: money(23456, 'BDT'),
    capturedAmount: money(123456, 'BDT'),
    paidAt: '2024-11-23T20:01:12Z',
    reason: 'returned',
  };

  it('sends a sealed purchase cancel naming the payment, its Dhaka date and both amounts', async () => {
    const { http, gateway } = gatewayWith(answer(fixtureJson('cancel-answer.json')));
    await gateway.refund(refund, OPTIONS);
    const [cancel] = http.sent;
    expect(cancel).toMatchObject({
      operation: 'cancel',
      method: 'POST',
      url: `${API}/purchase/cancel?paymentRefId=${encodeURIComponent(REFERENCE)}&orderId=pay01hxyzabcdefghjkmnpqrstvwx`,
      retry: 'never',
      context: { paymentId: PAYMENT_ID, refundId: refund.refundId },
    });
    expect(opened(cancel.body, 'sensitiveDataCancelRequest')).toEqual({
      merchantId: '683002007104225',
      originalRequestDate: '20241124',
      originalAmount: '1234.56',
      cancelAmount: '234.56',
      referenceNo: 'ref01hxyzrefund00000000000000',
      referenceMessage: 'returned',
    });
  });

  it('cuts a long reason so the request fits one RSA block', async () => {
    const { http, gateway } = gatewayWith(answer(fixtureJson('cancel-answer.json')));
    const reason = 'পণ্য ফেরত দেওয়া হয়েছে কারণ এটি ভাঙা অবস্থায় পৌঁছেছে '.repeat(4);
    await gateway.refund({ ...refund, reason }, OPTIONS);
    const sealed = opened(http.sent[0].body, 'sensitiveDataCancelRequest');
    expect(Buffer.byteLength(JSON.stringify(sealed))).toBeLessThanOrEqual(245);
    expect(reason.startsWith(String(sealed.referenceMessage))).toBe(true);
    expect(String(sealed.referenceMessage).length).toBeGreaterThan(10);
  });

  it("reads Nagad's encrypted answer as succeeded with its cancel reference", async () => {
    const { gateway } = gatewayWith(answer(fixtureJson('cancel-answer.json')));
    await expect(gateway.refund(refund, OPTIONS)).resolves.toEqual({
      state: 'succeeded',
      refundReference: '3Y052FTC',
      amount: money(23456, 'BDT'),
      gatewayStatus: 'Success',
    });
  });

  it('refuses what Nagad refuses, with its reason', async () => {
    const { gateway } = gatewayWith(answer({ reason: 'CANCEL_AMOUNT_EXCEEDED', message: 'Please verify provided data and try again.', devMessage: 'x' }, 400));
    const error = await rejection(gateway.refund(refund, OPTIONS));
    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(error.details).toMatchObject({ gatewayCode: 'CANCEL_AMOUNT_EXCEEDED' });
  });

  it('reports an answer it cannot read as an unknown outcome: the cancel may have applied', async () => {
    const { gateway } = gatewayWith(answer({ status: 'Success' }));
    expect(await rejection(gateway.refund(refund, OPTIONS))).toBeInstanceOf(ProviderIndeterminateError);
  });
});

describe('refundStatus', () => {
  // The fixture's cancel is dated 2024-11-25 10:00:00 in Dhaka, 04:00:00 UTC.
  const refundIdMadeAt = (iso: string) => createIdGenerator({ now: () => new Date(iso) }).next('ref');
  const request: RefundRequest = {
    refundId: refundIdMadeAt('2024-11-25T03:59:30Z'),
    paymentId: PAYMENT_ID,
    gatewayReference: REFERENCE,
    transactionId: 'W31TPZ8G',
    amount: money(23456, 'BDT'),
    capturedAmount: money(123456, 'BDT'),
    paidAt: '2024-11-23T20:01:12Z',
    reason: 'returned',
  };

  it('reports failed when the payment shows no cancel, so sending the refund again cannot refund twice', async () => {
    const { http, gateway } = gatewayWith(answer(fixtureJson('verify-success.json')));
    await expect(gateway.refundStatus(request, OPTIONS)).resolves.toMatchObject({ state: 'failed', gatewayStatus: 'NO_CANCEL_ON_RECORD' });
    expect(http.sent[0]).toMatchObject({ operation: 'verify', retry: 'safe' });
  });

  it.each([
    ['a refund made before the cancel', '2024-11-25T03:59:30Z'],
    ['a refund made within the clock slack after it', '2024-11-25T04:01:30Z'],
    ['a refund id without a time', 'ref_manual-1'],
  ])('takes the latest cancel on record as %s', async (_case, madeAt) => {
    const { gateway } = gatewayWith(answer(fixtureJson('verify-success-cancelled.json')));
    const refundId = madeAt.startsWith('ref_') ? madeAt : refundIdMadeAt(madeAt);
    await expect(gateway.refundStatus({ ...request, refundId }, OPTIONS)).resolves.toEqual({
      state: 'succeeded',
      refundReference: '3Y052FTC',
      amount: money(23456, 'BDT'),
      gatewayStatus: 'cancelled 2024-11-25 10:00:00.0',
    });
  });

  it('does not take a cancel older than the refund for it, and leaves the outcome to an operator', async () => {
    const { gateway } = gatewayWith(answer(fixtureJson('verify-success-cancelled.json')));
    const later = { ...request, refundId: refundIdMadeAt('2024-11-25T04:02:30Z') };
    expect(await rejection(gateway.refundStatus(later, OPTIONS))).toBeInstanceOf(ProviderIndeterminateError);
  });
});
