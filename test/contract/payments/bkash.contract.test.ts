import * as z from 'zod/mini';
import { money } from '../../../functions/_platform/money';
import { bkashConfig, createBkashGateway } from '../../../functions/payments/gateways/bkash';
import { inMemoryTokenCache, type ProviderToken, type TokenCache } from '../../../functions/_platform/token-cache';
import { startBkashSimulator } from '../../../local/simulators/bkash';
import type { PaymentSimulator } from '../../../local/simulators/contracts';
import { contractHttpClient, paymentGatewayContract } from './payment-gateway.contract';

const returnUrl = (paymentId: string) => `https://shop.example/v1/payments/${paymentId}/return`;

let simulator: PaymentSimulator;
paymentGatewayContract(
  'bkash',
  async () => {
    simulator = await startBkashSimulator();
    const gateway = createBkashGateway(z.parse(bkashConfig, simulator.secret), contractHttpClient().http, inMemoryTokenCache());
    return { gateway, simulator, returnUrl };
  },
  () => simulator.stop(),
);

describe('bkash audit records', () => {
  let auditSimulator: PaymentSimulator;
  afterAll(() => auditSimulator.stop());

  it('record every call of a payment and its refund with no secret, token or wallet number in clear', async () => {
    auditSimulator = await startBkashSimulator();
    const { http, audit } = contractHttpClient();
    const issued: ProviderToken[] = [];
    const cache = inMemoryTokenCache();
    const recordingCache: TokenCache = {
      get: (provider) => cache.get(provider),
      put: async (provider, token) => {
        issued.push(token);
        await cache.put(provider, token);
      },
    };
    const gateway = createBkashGateway(z.parse(bkashConfig, auditSimulator.secret), http, recordingCache);
    const paymentId = 'pay_audit0000000000000000001';
    const options = { idempotencyKey: `${paymentId}:step` };

    const session = await gateway.createSession({ paymentId, orderId: 'ord_audit1', amount: money(50_000, 'BDT'), returnUrl: returnUrl(paymentId) }, options);
    await auditSimulator.buyer(session.gatewayReference, 'approve');
    const payment = { paymentId, gatewayReference: session.gatewayReference };
    const { transactionId = '' } = await gateway.capture(payment, options);
    await gateway.queryStatus(payment, options);
    const refund = {
      refundId: 'ref_audit1',
      paymentId,
      gatewayReference: session.gatewayReference,
      transactionId,
      amount: money(10_000, 'BDT'),
      capturedAmount: money(50_000, 'BDT'),
      paidAt: new Date().toISOString(),
      reason: 'audit test',
    };
    await gateway.refund(refund, options);
    await gateway.refundStatus(refund, options);

    expect(audit.records.map((record) => record.operation)).toEqual(['token-grant', 'create', 'execute', 'query', 'refund', 'refund-status']);
    expect(audit.records.filter((record) => record.operation !== 'token-grant').every((record) => record.paymentId === paymentId)).toBe(true);
    const secrets = [
      auditSimulator.secret.password,
      auditSimulator.secret.appSecret,
      ...issued.flatMap((token) => [token.accessToken, token.refreshToken ?? '']),
      '01770618575', // the simulated buyer's wallet (customerMsisdn)
    ].filter((secret) => secret !== '');
    expect(issued).not.toHaveLength(0);
    for (const record of audit.records) {
      const text = JSON.stringify(record);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
