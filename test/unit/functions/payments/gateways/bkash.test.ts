import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import type { Clock } from '../../../../../functions/_platform/clock';
import {
  ProviderIndeterminateError,
  ProviderRetryableError,
  ProviderTerminalError,
  RuleViolationError,
  ValidationError,
} from '../../../../../functions/_platform/errors';
import { type HttpClient, type HttpRequest, type HttpResponse, TIMEOUT_HEAVY_MS } from '../../../../../functions/_platform/http-client';
import { money } from '../../../../../functions/_platform/money';
import type { RefundRequest } from '../../../../../functions/payments/domain/ports';
import { bkashConfig, createBkashGateway } from '../../../../../functions/payments/gateways/bkash';
import { inMemoryTokenCache, type TokenCache } from '../../../../../functions/_platform/token-cache';

// The wire ↔ domain mapping, replayed from test/fixtures/bkash (see its README for where the shapes come from).
const fixture = (name: string): string => readFileSync(join(__dirname, '../../../../fixtures/bkash', `${name}.json`), 'utf8');

type Scripted = HttpResponse | Error;
const answer = (name: string, status = 200): HttpResponse => ({ status, headers: {}, body: fixture(name) });

/** An HttpClient that answers from a script, in order, and keeps every request. */
class ScriptedHttp implements HttpClient {
  readonly sent: HttpRequest[] = [];
  private readonly script: Scripted[];

  constructor(...script: Scripted[]) {
    this.script = script;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.sent.push(request);
    const next = this.script.shift();
    if (next === undefined) throw new Error(`unscripted call: ${request.operation}`);
    if (next instanceof Error) throw next;
    return next;
  }

  get operations(): string[] {
    return this.sent.map((request) => request.operation);
  }

  body(index: number): Record<string, unknown> {
    return this.sent[index]?.body as Record<string, unknown>;
  }
}

const CONFIG = z.parse(bkashConfig, {
  baseUrl: 'https://tokenized.sandbox.bka.sh/',
  username: 'merchant-user',
  password: 'merchant-password',
  appKey: 'merchant-app-key',
  appSecret: 'merchant-app-secret',
});
const START = Date.parse('2026-01-01T00:00:00Z');
const PAYMENT = { paymentId: 'pay_01j0fixture000000000000000', gatewayReference: 'TR0011ON1565154754797' };
const OPTIONS = { idempotencyKey: `${PAYMENT.paymentId}:step` };
const CHECKOUT = 'https://tokenized.sandbox.bka.sh/v1.2.0-beta/tokenized/checkout';

let now = START;
const clock: Clock = { now: () => new Date(now) };
beforeEach(() => {
  now = START;
});

/** A cache holding a token valid for the next hour, so mapping tests make no token calls. */
const cacheWithToken = async (): Promise<TokenCache> => {
  const cache = inMemoryTokenCache();
  await cache.put('bkash', { accessToken: 'cached-id-token', expiresAt: START + 3600_000, refreshToken: 'cached-refresh', refreshableUntil: START + 86_400_000 });
  return cache;
};
const gatewayOver = async (http: HttpClient, cache?: TokenCache) => createBkashGateway(CONFIG, http, cache ?? (await cacheWithToken()), clock);

const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};
const detailsOf = (error: unknown) => (error as ProviderTerminalError).details as Record<string, unknown>;

const aRefund = (amountMinor: number): RefundRequest => ({
  refundId: 'ref_01j0fixture000000000000000',
  paymentId: PAYMENT.paymentId,
  gatewayReference: PAYMENT.gatewayReference,
  transactionId: '6H7801QFYM',
  amount: money(amountMinor, 'BDT'),
  capturedAmount: money(123_456, 'BDT'),
  paidAt: '2026-01-01T00:00:00Z',
  reason: 'damaged item',
});

describe('bkashConfig', () => {
  it('refuses a secret without the app secret', () => {
    expect(z.safeParse(bkashConfig, { ...CONFIG, appSecret: '' }).success).toBe(false);
  });
});

describe('bKash tokens', () => {
  it('grants with username/password headers and app_key/app_secret body, then sends the raw id_token and X-APP-Key', async () => {
    const http = new ScriptedHttp(answer('token-grant'), answer('query-initiated'));
    const gateway = await gatewayOver(http, inMemoryTokenCache());

    await gateway.queryStatus(PAYMENT, OPTIONS);

    const [grant, query] = http.sent;
    expect(grant).toMatchObject({
      operation: 'token-grant',
      url: `${CHECKOUT}/token/grant`,
      headers: { username: 'merchant-user', password: 'merchant-password' },
      body: { app_key: 'merchant-app-key', app_secret: 'merchant-app-secret' },
      retry: 'safe',
    });
    expect(query?.headers).toMatchObject({
      authorization: 'eyJraWQiOiJvTVJzNU9ZY0wrUnRXQ2o3ZEJtdmhhR3d0.fixture-id-token-1',
      'x-app-key': 'merchant-app-key',
    });
  });

  it('reuses the cached token for later calls', async () => {
    const http = new ScriptedHttp(answer('token-grant'), answer('query-initiated'), answer('query-initiated'));
    const gateway = await gatewayOver(http, inMemoryTokenCache());

    await gateway.queryStatus(PAYMENT, OPTIONS);
    now += 30 * 60_000;
    await gateway.queryStatus(PAYMENT, OPTIONS);

    expect(http.operations).toEqual(['token-grant', 'query', 'query']);
  });

  it('shares one grant among concurrent calls', async () => {
    const http = new ScriptedHttp(answer('token-grant'), answer('query-initiated'), answer('query-initiated'));
    const gateway = await gatewayOver(http, inMemoryTokenCache());

    await Promise.all([gateway.queryStatus(PAYMENT, OPTIONS), gateway.queryStatus(PAYMENT, OPTIONS)]);

    expect(http.operations).toEqual(['token-grant', 'query', 'query']);
  });

  it('refreshes with the refresh token shortly before the id_token expires', async () => {
    const cache = await cacheWithToken();
    const http = new ScriptedHttp(answer('token-refresh'), answer('query-initiated'));
    const gateway = await gatewayOver(http, cache);

    now = START + 3600_000 - 30_000;
    await gateway.queryStatus(PAYMENT, OPTIONS);

    expect(http.sent[0]).toMatchObject({ operation: 'token-refresh', url: `${CHECKOUT}/token/refresh` });
    expect(http.body(0)).toMatchObject({ refresh_token: 'cached-refresh', app_key: 'merchant-app-key' });
    expect(http.sent[1]?.headers?.authorization).toBe('eyJraWQiOiJvTVJzNU9ZY0wrUnRXQ2o3ZEJtdmhhR3d0.fixture-id-token-2');
    expect((await cache.get('bkash'))?.refreshToken).toBe('eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwi.fixture-refresh-token-2');
  });

  it('grants a new token when the refresh is refused', async () => {
    const http = new ScriptedHttp(answer('unauthorized', 401), answer('token-grant'), answer('query-initiated'));
    const gateway = await gatewayOver(http);

    now = START + 3600_000;
    await gateway.queryStatus(PAYMENT, OPTIONS);

    expect(http.operations).toEqual(['token-refresh', 'token-grant', 'query']);
  });

  it('answers a 401 with one new token and one more send of the same call', async () => {
    const http = new ScriptedHttp(answer('unauthorized', 401), answer('token-grant'), answer('execute-completed'));
    const gateway = await gatewayOver(http);

    const status = await gateway.capture(PAYMENT, OPTIONS);

    expect(http.operations).toEqual(['execute', 'token-grant', 'execute']);
    expect(http.sent[2]?.headers?.authorization).toBe('eyJraWQiOiJvTVJzNU9ZY0wrUnRXQ2o3ZEJtdmhhR3d0.fixture-id-token-1');
    expect(status.state).toBe('completed');
  });

  it('gives up with ProviderTerminalError when bKash refuses the fresh token too', async () => {
    const http = new ScriptedHttp(answer('unauthorized', 401), answer('token-grant'), answer('unauthorized', 401));
    const gateway = await gatewayOver(http);

    const error = await rejectionOf(gateway.queryStatus(PAYMENT, OPTIONS));

    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(detailsOf(error)).toMatchObject({ provider: 'bkash', gatewayCode: 'HTTP_401' });
    expect(http.operations).toEqual(['query', 'token-grant', 'query']);
  });

  it('refuses to go on when the grant itself is refused', async () => {
    const http = new ScriptedHttp(answer('unauthorized', 401));
    const gateway = await gatewayOver(http, inMemoryTokenCache());

    expect(await rejectionOf(gateway.queryStatus(PAYMENT, OPTIONS))).toBeInstanceOf(ProviderTerminalError);
  });

  it('marks credentials and tokens as sensitive on every call', async () => {
    const http = new ScriptedHttp(answer('token-grant'), answer('query-initiated'));
    const gateway = await gatewayOver(http, inMemoryTokenCache());

    await gateway.queryStatus(PAYMENT, OPTIONS);

    for (const request of http.sent) {
      expect(request.sensitiveFields).toEqual(expect.arrayContaining(['password', 'app_secret', 'authorization', 'id_token', 'refresh_token', 'customerMsisdn']));
    }
  });
});

describe('bKash createSession', () => {
  const session = { ...PAYMENT, orderId: 'ord_01j0fixture000000000000000', returnUrl: 'https://shop.example/v1/payments/pay_01j0fixture000000000000000/return' };

  it('creates a checkout (mode 0011, sale) with the amount in taka and our payment id as invoice, never retried', async () => {
    const http = new ScriptedHttp(answer('create'));
    const gateway = await gatewayOver(http);

    const created = await gateway.createSession({ ...session, amount: money(123_456, 'BDT') }, OPTIONS);

    expect(http.sent[0]).toMatchObject({ operation: 'create', url: `${CHECKOUT}/create`, retry: 'never' });
    expect(http.body(0)).toEqual({
      mode: '0011',
      payerReference: session.orderId,
      callbackURL: session.returnUrl,
      amount: '1234.56',
      currency: 'BDT',
      intent: 'sale',
      merchantInvoiceNumber: session.paymentId,
    });
    expect(created).toEqual({ gatewayReference: 'TR0011ON1565154754797', redirectUrl: expect.stringContaining('sandbox.payment.bkash.com') });
  });

  it.each([
    [5, '0.05'],
    [100, '1.00'],
    [240_000, '2400.00'],
  ])('sends %i poisha as "%s"', async (value, text) => {
    const http = new ScriptedHttp(answer('create'));
    const gateway = await gatewayOver(http);

    await gateway.createSession({ ...session, amount: money(value, 'BDT') }, OPTIONS);

    expect(http.body(0).amount).toBe(text);
  });

  it('refuses another currency before calling bKash', async () => {
    const http = new ScriptedHttp();
    const gateway = await gatewayOver(http);

    const error = await rejectionOf(gateway.createSession({ ...session, amount: money(1000, 'USD') }, OPTIONS));

    expect(error).toBeInstanceOf(RuleViolationError);
    expect((error as RuleViolationError).code).toBe('METHOD_NOT_AVAILABLE');
    expect(http.sent).toHaveLength(0);
  });

  it('turns a business error (HTTP 200, statusCode 2006) into ProviderTerminalError with the code', async () => {
    const gateway = await gatewayOver(new ScriptedHttp(answer('error-2006')));

    const error = await rejectionOf(gateway.createSession({ ...session, amount: money(1, 'BDT') }, OPTIONS));

    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(detailsOf(error)).toEqual({ provider: 'bkash', failureCode: 'PROCESSING_ERROR', gatewayCode: '2006' });
  });
});

describe('bKash parseReturn', () => {
  it('reads paymentID and status from the callback query', async () => {
    const gateway = await gatewayOver(new ScriptedHttp());
    expect(gateway.parseReturn({ paymentID: 'TR0011ON1565154754797', status: 'cancel', signature: 'ignored' })).toEqual({
      gatewayReference: 'TR0011ON1565154754797',
      claimed: 'cancel',
    });
  });

  it.each([[{ status: 'success' }], [{ paymentID: 'TR0011ON1565154754797' }], [{ paymentID: 'TR0011ON1565154754797', status: 'paid' }]])(
    'refuses %j with ValidationError',
    async (query) => {
      const gateway = await gatewayOver(new ScriptedHttp());
      expect(() => gateway.parseReturn(query)).toThrow(ValidationError);
    },
  );
});

describe('bKash queryStatus', () => {
  it('queries /payment/status as a safe call with the paymentID', async () => {
    const http = new ScriptedHttp(answer('query-initiated'));
    const gateway = await gatewayOver(http);

    await gateway.queryStatus(PAYMENT, OPTIONS);

    expect(http.sent[0]).toMatchObject({ url: `${CHECKOUT}/payment/status`, retry: 'safe', body: { paymentID: PAYMENT.gatewayReference } });
  });

  it.each([
    ['query-initiated', { state: 'pending', gatewayStatus: 'Initiated' }],
    ['query-approved', { state: 'approved' }],
    ['query-completed', { state: 'completed', transactionId: '6H7801QFYM' }],
    ['query-failed-insufficient-balance', { state: 'failed', failureCode: 'INSUFFICIENT_FUNDS', gatewayStatus: 'Failed: 2023 Insufficient Balance' }],
    ['query-failed-wrong-pin', { state: 'failed', failureCode: 'DECLINED' }],
    ['query-cancelled', { state: 'failed', failureCode: 'CANCELLED_BY_BUYER' }],
    ['query-expired', { state: 'failed', failureCode: 'EXPIRED' }],
  ])('maps %s', async (name, expected) => {
    const gateway = await gatewayOver(new ScriptedHttp(answer(name)));

    const status = await gateway.queryStatus(PAYMENT, OPTIONS);

    expect(status).toMatchObject({ ...expected, gatewayReference: PAYMENT.gatewayReference, amount: money(123_456, 'BDT') });
  });

  it('refuses an unknown paymentID (2002) with ProviderTerminalError', async () => {
    const gateway = await gatewayOver(new ScriptedHttp(answer('error-2002')));

    const error = await rejectionOf(gateway.queryStatus(PAYMENT, OPTIONS));

    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(detailsOf(error)).toMatchObject({ failureCode: 'PROCESSING_ERROR', gatewayCode: '2002' });
  });

  it("refuses a payment whose invoice is another payment's", async () => {
    const gateway = await gatewayOver(new ScriptedHttp(answer('query-other-invoice')));

    const error = await rejectionOf(gateway.queryStatus(PAYMENT, OPTIONS));

    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(detailsOf(error)).toMatchObject({ gatewayCode: 'INVOICE_MISMATCH' });
  });

  it('reads maintenance (503 in statusCode) as ProviderRetryableError', async () => {
    const gateway = await gatewayOver(new ScriptedHttp(answer('error-503')));
    expect(await rejectionOf(gateway.queryStatus(PAYMENT, OPTIONS))).toBeInstanceOf(ProviderRetryableError);
  });
});

describe('bKash capture (execute)', () => {
  it('executes once, never retried, with the 30 s heavy timeout, and maps the trxID', async () => {
    const http = new ScriptedHttp(answer('execute-completed'));
    const gateway = await gatewayOver(http);

    const status = await gateway.capture(PAYMENT, OPTIONS);

    expect(http.sent[0]).toMatchObject({ url: `${CHECKOUT}/execute`, retry: 'never', timeoutMs: TIMEOUT_HEAVY_MS, body: { paymentID: PAYMENT.gatewayReference } });
    expect(status).toEqual({
      state: 'completed',
      gatewayReference: PAYMENT.gatewayReference,
      transactionId: '6H7801QFYM',
      amount: money(123_456, 'BDT'),
      gatewayStatus: 'Completed',
    });
  });

  it('answers "already completed" (2062) with a query, never a second execute', async () => {
    const http = new ScriptedHttp(answer('error-2062'), answer('query-completed'));
    const gateway = await gatewayOver(http);

    const status = await gateway.capture(PAYMENT, OPTIONS);

    expect(http.operations).toEqual(['execute', 'query']);
    expect(status).toMatchObject({ state: 'completed', transactionId: '6H7801QFYM' });
  });

  it('answers "not authorised by the buyer yet" (2060) with the pending payment', async () => {
    const http = new ScriptedHttp(answer('error-2060'), answer('query-initiated'));
    const gateway = await gatewayOver(http);

    expect(await gateway.capture(PAYMENT, OPTIONS)).toMatchObject({ state: 'pending' });
    expect(http.operations).toEqual(['execute', 'query']);
  });

  it('refuses a cancelled payment (2069) with the buyer-cancelled failure code', async () => {
    const gateway = await gatewayOver(new ScriptedHttp(answer('error-2069'), answer('query-cancelled')));

    const error = await rejectionOf(gateway.capture(PAYMENT, OPTIONS));

    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(detailsOf(error)).toEqual({ provider: 'bkash', failureCode: 'CANCELLED_BY_BUYER', gatewayCode: '2069' });
  });

  it('refuses insufficient balance (2023) as INSUFFICIENT_FUNDS without querying', async () => {
    const http = new ScriptedHttp(answer('error-2023'));
    const gateway = await gatewayOver(http);

    const error = await rejectionOf(gateway.capture(PAYMENT, OPTIONS));

    expect(detailsOf(error)).toEqual({ provider: 'bkash', failureCode: 'INSUFFICIENT_FUNDS', gatewayCode: '2023' });
    expect(http.operations).toEqual(['execute']);
  });

  it('lets an indeterminate outcome from the client through without executing again', async () => {
    const http = new ScriptedHttp(new ProviderIndeterminateError('bkash', 'bkash execute: timed out after 30000 ms'));
    const gateway = await gatewayOver(http);

    expect(await rejectionOf(gateway.capture(PAYMENT, OPTIONS))).toBeInstanceOf(ProviderIndeterminateError);
    expect(http.operations).toEqual(['execute']);
  });

  it.each([
    ['the execute-timeout message (HTTP 200, no statusCode)', answer('execute-timeout-message')],
    ['a system error (9999)', answer('error-9999')],
    ['an HTTP 403 without a bKash code', { status: 403, headers: {}, body: '<html>Forbidden</html>' }],
  ])('reads %s on execute as an unknown outcome', async (_, response) => {
    const gateway = await gatewayOver(new ScriptedHttp(response));
    expect(await rejectionOf(gateway.capture(PAYMENT, OPTIONS))).toBeInstanceOf(ProviderIndeterminateError);
  });
});

describe('bKash refund (v2)', () => {
  it('posts the v2 refund with camel-case ids and a 2-decimal amount, never retried, and maps the refund', async () => {
    const http = new ScriptedHttp(answer('refund-v2'));
    const gateway = await gatewayOver(http);

    const result = await gateway.refund(aRefund(5000), OPTIONS);

    expect(http.sent[0]).toMatchObject({
      operation: 'refund',
      url: 'https://tokenized.sandbox.bka.sh/v2/tokenized-checkout/refund/payment/transaction',
      retry: 'never',
      timeoutMs: TIMEOUT_HEAVY_MS,
    });
    expect(http.body(0)).toEqual({
      paymentId: PAYMENT.gatewayReference,
      trxId: '6H7801QFYM',
      refundAmount: '50.00',
      sku: 'ref_01j0fixture000000000000000',
      reason: 'damaged item',
    });
    expect(result).toEqual({ state: 'succeeded', refundReference: '6H7902R4ZL', amount: money(5000, 'BDT'), gatewayStatus: 'Completed' });
  });

  it.each(['2026', '2034'])('refuses refund error %s (externalCode) with ProviderTerminalError', async (code) => {
    const gateway = await gatewayOver(new ScriptedHttp(answer(`refund-v2-error-${code}`)));

    const error = await rejectionOf(gateway.refund(aRefund(5000), OPTIONS));

    expect(error).toBeInstanceOf(ProviderTerminalError);
    expect(detailsOf(error)).toMatchObject({ provider: 'bkash', gatewayCode: code });
  });
});

describe('bKash refundStatus (v2)', () => {
  it('finds our refund among the payment refunds by its amount', async () => {
    const http = new ScriptedHttp(answer('refund-status-v2'));
    const gateway = await gatewayOver(http);

    const result = await gateway.refundStatus(aRefund(10_000), OPTIONS);

    expect(http.sent[0]).toMatchObject({
      url: 'https://tokenized.sandbox.bka.sh/v2/tokenized-checkout/refund/payment/status',
      retry: 'safe',
      body: { paymentId: PAYMENT.gatewayReference, trxId: '6H7801QFYM' },
    });
    expect(result).toEqual({ state: 'succeeded', refundReference: '6H7903S5AM', amount: money(10_000, 'BDT'), gatewayStatus: 'Completed' });
  });

  it('reports a refund bKash does not list as failed (it did not happen)', async () => {
    const gateway = await gatewayOver(new ScriptedHttp(answer('refund-status-v2')));
    expect(await gateway.refundStatus(aRefund(7000), OPTIONS)).toMatchObject({ state: 'failed', gatewayStatus: 'NOT_FOUND' });
  });

  it('reports several refunds of the same amount as an unknown outcome', async () => {
    const gateway = await gatewayOver(new ScriptedHttp(answer('refund-status-v2-same-amounts')));
    expect(await rejectionOf(gateway.refundStatus(aRefund(5000), OPTIONS))).toBeInstanceOf(ProviderIndeterminateError);
  });
});
