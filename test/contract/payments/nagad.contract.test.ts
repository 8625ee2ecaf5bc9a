import { generateKeyPairSync } from 'node:crypto';
import * as z from 'zod/mini';
import { ProviderRetryableError, ProviderTerminalError } from '../../../functions/_platform/errors';
import { money } from '../../../functions/_platform/money';
import { createNagadGateway, formatDhakaDateTime, nagadConfig } from '../../../functions/payments/gateways/nagad';
import {
  decryptWithPrivateKey,
  encryptWithPublicKey,
  privateKeyFrom,
  publicKeyFrom,
  signWithPrivateKey,
} from '../../../functions/payments/gateways/nagad-crypto';
import type { PaymentSimulator } from '../../../local/simulators/contracts';
import { startNagadSimulator } from '../../../local/simulators/nagad';
import { CONTRACT_TIMEOUT_MS, contractHttpClient, paymentGatewayContract } from './payment-gateway.contract';

const returnUrl = (paymentId: string) => `https://shop.example/v1/payments/${paymentId}/return`;

let simulator: PaymentSimulator;
paymentGatewayContract(
  'nagad',
  async () => {
    simulator = await startNagadSimulator();
    const gateway = createNagadGateway(z.parse(nagadConfig, simulator.secret), contractHttpClient().http);
    return { gateway, simulator, returnUrl };
  },
  () => simulator.stop(),
);

/** What only Nagad has: its crypto, headers and hosted page, as the simulator enforces them, and masked audit records. */
describe("the nagad simulator holds the adapter to Nagad's protocol", () => {
  let nagad: PaymentSimulator;
  // Keys Nagad does not know, made once for the file.
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const strangerPrivatePem = stranger.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const strangerPublicPem = stranger.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let sequence = 0;

  beforeAll(async () => {
    nagad = await startNagadSimulator();
  });
  afterAll(() => nagad.stop());
  beforeEach(() => nagad.reset());

  const gatewayWith = (changes: Record<string, string> = {}, clock?: { now: () => Date }) =>
    createNagadGateway(z.parse(nagadConfig, { ...nagad.secret, ...changes }), contractHttpClient().http, clock);
  const session = (buyerIp?: string) => {
    sequence += 1;
    const paymentId = `pay_nagadcheck${Date.now().toString(36)}${sequence}`;
    return { paymentId, orderId: `ord_${paymentId}`, amount: money(50_055, 'BDT'), returnUrl: returnUrl(paymentId), ...(buyerIp ? { buyerIp } : {}) };
  };
  const options = { idempotencyKey: 'nagad-protocol' };
  const refusal = async (promise: Promise<unknown>): Promise<Record<string, unknown>> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProviderTerminalError);
    return (error as ProviderTerminalError).details;
  };

  it.each([
    ['INVALID_SIGNATURE', 'a request signed with a key Nagad does not know', { merchantPrivateKey: '' }],
    ['DECRYPTION_FAILED', 'sensitiveData encrypted to a key other than the PG key', { pgPublicKey: '' }],
    ['INVALID_MERCHANT', 'an unknown merchant', { merchantId: '683002007100000' }],
  ])('refuses with %s %s', async (reason, _what, changes) => {
    const keys = { merchantPrivateKey: strangerPrivatePem, pgPublicKey: strangerPublicPem };
    const gateway = gatewayWith(Object.fromEntries(Object.entries(changes).map(([name, value]) => [name, value || keys[name as keyof typeof keys]])));
    expect(await refusal(gateway.createSession(session(), options))).toMatchObject({ provider: 'nagad', gatewayCode: reason });
  });

  it('refuses a datetime a month off, the classic zero-based-month bug', async () => {
    const monthEarly = { now: () => new Date(Date.now() - 30 * 24 * 3_600_000) };
    expect(await refusal(gatewayWith({}, monthEarly).createSession(session(), options))).toMatchObject({ gatewayCode: 'INVALID_DATETIME' });
  });

  it("accepts a loopback buyer because the adapter sends our egress address instead", async () => {
    await expect(gatewayWith().createSession(session('127.0.0.1'), options)).resolves.toMatchObject({ redirectUrl: expect.stringContaining('/check-out/') });
  });

  describe('raw requests', () => {
    const xkm = (ip = '203.0.113.10') => ({ 'content-type': 'application/json', 'X-KM-Api-Version': 'v-0.2.0', 'X-KM-IP-V4': ip, 'X-KM-Client-Type': 'PC_WEB' });
    const post = async (path: string, headers: Record<string, string>, body: unknown) => {
      const response = await fetch(`${nagad.url}/api/dfs/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    /** `{sensitiveData, signature}` of `data`, as the merchant of the simulator's secret seals it. */
    const sealed = (data: Record<string, string>) => {
      const plaintext = JSON.stringify(data);
      return {
        sensitiveData: encryptWithPublicKey(plaintext, publicKeyFrom(nagad.secret.pgPublicKey)),
        signature: signWithPrivateKey(plaintext, privateKeyFrom(nagad.secret.merchantPrivateKey)),
      };
    };
    const initialize = async () => {
      sequence += 1;
      const orderId = `raw${Date.now().toString(36)}${sequence}`;
      const { merchantId, merchantAccount } = nagad.secret;
      const datetime = formatDhakaDateTime(new Date());
      const answer = await post(`check-out/initialize/${merchantId}/${orderId}`, xkm(), {
        accountNumber: merchantAccount,
        dateTime: datetime,
        ...sealed({ merchantId, datetime, orderId, challenge: 'c'.repeat(40) }),
      });
      const opened = JSON.parse(decryptWithPrivateKey(answer.body.sensitiveData, privateKeyFrom(nagad.secret.merchantPrivateKey)));
      return { orderId, ...(opened as { paymentReferenceId: string; challenge: string }) };
    };

    it.each([
      ['no X-KM headers', { 'content-type': 'application/json' }],
      ['a loopback X-KM-IP-V4', xkm('127.0.0.1')],
    ])('refuses %s with the error envelope', async (_what, headers) => {
      const answer = await post(`check-out/initialize/${nagad.secret.merchantId}/order1`, headers, {});
      expect(answer).toEqual({ status: 400, body: { reason: 'INVALID_HEADER', message: expect.any(String), devMessage: expect.any(String) } });
    });

    it.each([
      ['a challenge it did not issue', 'INVALID_CHALLENGE', { challenge: 'not-the-one-issued' }],
      ['a currency other than 050', 'INVALID_CURRENCY', { currencyCode: '840' }],
      ['an amount with 3 decimals', 'INVALID_AMOUNT', { amount: '12.345' }],
      ['nothing wrong', undefined, {}],
    ])('answers complete with %s', async (_what, reason, change) => {
      const { orderId, paymentReferenceId, challenge } = await initialize();
      const order = { merchantId: nagad.secret.merchantId, orderId, currencyCode: '050', amount: '500.55', challenge, ...change };
      const answer = await post(`check-out/complete/${encodeURIComponent(paymentReferenceId)}`, xkm(), {
        ...sealed(order),
        merchantCallbackURL: 'https://shop.example/return',
      });
      if (reason) expect(answer).toMatchObject({ status: 400, body: { reason } });
      else expect(answer).toEqual({ status: 200, body: { status: 'Success', callBackUrl: expect.stringContaining('/check-out/') } });
    });

    it('refuses a second initialize of the same order [weak]', async () => {
      const { orderId } = await initialize();
      const { merchantId, merchantAccount } = nagad.secret;
      const datetime = formatDhakaDateTime(new Date());
      const again = await post(`check-out/initialize/${merchantId}/${orderId}`, xkm(), {
        accountNumber: merchantAccount,
        dateTime: datetime,
        ...sealed({ merchantId, datetime, orderId, challenge: 'd'.repeat(40) }),
      });
      expect(again.body.reason).toBe('DUPLICATE_ORDER_ID');
    });
  });

  it('serves a hosted page labelled as a local simulator whose form sends the buyer back with a 303', async () => {
    const details = session();
    const created = await gatewayWith().createSession(details, options);
    const page = await fetch(created.redirectUrl);
    const html = await page.text();
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Local simulator of the Nagad payment gateway');
    expect(html.match(/<button[^>]*name="action"/g)).toHaveLength(4);

    const approved = await fetch(created.redirectUrl, { method: 'POST', body: new URLSearchParams({ action: 'approve' }), redirect: 'manual' });
    expect(approved.status).toBe(303);
    const back = new URL(String(approved.headers.get('location')));
    expect(`${back.origin}${back.pathname}`).toBe(details.returnUrl);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({
      merchant: nagad.secret.merchantId,
      order_id: details.paymentId.replace('_', ''),
      payment_ref_id: created.gatewayReference,
      status: 'Success',
      status_code: '00_0000_000',
      message: 'Successful Transaction',
    });
  });

  it('answers the control API over HTTP and refuses an unknown scenario', async () => {
    const unknown = await fetch(`${nagad.url}/__control/scenario`, { method: 'POST', body: JSON.stringify({ mode: 'meltdown' }) });
    expect(unknown.status).toBe(400);
    const created = await gatewayWith().createSession(session(), options);
    const acted = await fetch(`${nagad.url}/__control/buyer/${encodeURIComponent(created.gatewayReference)}`, {
      method: 'POST',
      body: JSON.stringify({ action: 'cancel' }),
    });
    expect(acted.status).toBe(200);
    expect(((await acted.json()) as { redirectUrl: string }).redirectUrl).toContain('status=Aborted');
  });

  it('answers 5xx for the next `times` calls when flaky, then recovers', async () => {
    const gateway = gatewayWith();
    const details = session();
    const payment = { paymentId: details.paymentId, gatewayReference: (await gateway.createSession(details, options)).gatewayReference };
    await nagad.scenario({ mode: 'flaky', times: 1 });
    await expect(gateway.queryStatus(payment, options)).rejects.toBeInstanceOf(ProviderRetryableError);
    await expect(gateway.queryStatus(payment, options)).resolves.toMatchObject({ state: 'pending' });
  });

  it('answers every call late when slow, so a query times out as retryable', async () => {
    const gateway = gatewayWith();
    const details = session();
    const payment = { paymentId: details.paymentId, gatewayReference: (await gateway.createSession(details, options)).gatewayReference };
    await nagad.scenario({ mode: 'slow', delayMs: 2 * CONTRACT_TIMEOUT_MS });
    await expect(gateway.queryStatus(payment, options)).rejects.toBeInstanceOf(ProviderRetryableError);
  });

  it('leaves no sealed payload, signature, buyer number or address in clear in the audit records', async () => {
    const { http, audit } = contractHttpClient();
    const gateway = createNagadGateway(z.parse(nagadConfig, nagad.secret), http);
    const details = session('103.48.16.2');
    const created = await gateway.createSession(details, options);
    await nagad.buyer(created.gatewayReference, 'approve');
    const payment = { paymentId: details.paymentId, gatewayReference: created.gatewayReference };
    const { transactionId = '' } = await gateway.capture(payment, options);
    await gateway.refund(
      {
        refundId: `ref_${details.paymentId}`,
        ...payment,
        transactionId,
        amount: money(10_000, 'BDT'),
        capturedAmount: details.amount,
        paidAt: new Date().toISOString(),
        reason: 'audit',
      },
      options,
    );

    expect(audit.records.map((record) => record.operation)).toEqual(['initialize', 'complete', 'verify', 'cancel']);
    expect(audit.records.every((record) => record.paymentId === details.paymentId)).toBe(true);
    const text = JSON.stringify(audit.records);
    expect(text).not.toMatch(/"(sensitiveData|sensitiveDataCancelRequest|signature)\\?":\\?"[A-Za-z0-9+/]{40}/);
    expect(text).not.toContain('017****4321');
    expect(text).not.toContain('103.48.16.2');
  });
});
