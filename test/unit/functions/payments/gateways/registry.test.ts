import { paymentGatewayRegistry } from '../../../../../functions/payments/gateways/registry';
import { inMemoryTokenCache } from '../../../../../functions/_platform/token-cache';
import type { HttpClient, HttpRequest } from '../../../../../functions/_platform/http-client';

const bkashSecret = { baseUrl: 'https://bkash.example', username: 'u', password: 'p4ss', appKey: 'k', appSecret: 's3cret' };
const sent: HttpRequest[] = [];
// Answers bKash's token grant and status query; records what the adapter sent.
const http: HttpClient = {
  async send(request) {
    sent.push(request);
    const body = request.url.endsWith('/token/grant')
      ? { statusCode: '0000', id_token: 'tok', token_type: 'Bearer', expires_in: 3600, refresh_token: 'r' }
      : { statusCode: '0000', paymentID: 'P1', transactionStatus: 'Initiated', merchantInvoiceNumber: 'pay_1', amount: '10.00', currency: 'BDT' };
    return { status: 200, headers: {}, body: JSON.stringify(body) };
  },
};

const registryWith = (secretOf: () => Promise<unknown>) =>
  paymentGatewayRegistry({ http, tokens: inMemoryTokenCache(), enabled: ['bkash'], secretOf });

beforeEach(() => { sent.length = 0; });

describe('paymentGatewayRegistry', () => {
  it('knows only the enabled gateways', () => {
    const registry = registryWith(async () => bkashSecret);
    expect(registry.get('bkash')?.id).toBe('bkash');
    expect(registry.get('nagad')).toBeUndefined();
    expect(registry.get('card')).toBeUndefined();
  });

  it('reads the buyer’s return without loading any secret', () => {
    const secretOf = jest.fn(async () => bkashSecret);
    const claim = registryWith(secretOf).get('bkash')!.parseReturn({ paymentID: 'P1', status: 'cancel' });
    expect(claim).toEqual({ gatewayReference: 'P1', claimed: 'cancel' });
    expect(secretOf).not.toHaveBeenCalled();
  });

  it('builds the adapter from the current secret and uses its base URL', async () => {
    const registry = registryWith(async () => bkashSecret);
    await registry.get('bkash')!.queryStatus({ paymentId: 'pay_1', gatewayReference: 'P1' }, { idempotencyKey: 'pay_1:query' });
    expect(sent.map((r) => r.url)).toEqual([expect.stringMatching(/^https:\/\/bkash\.example\/.*token\/grant$/), expect.stringMatching(/^https:\/\/bkash\.example\/.*payment\/status$/)]);
  });

  it('picks up a rotated secret without a redeploy', async () => {
    let secret: Record<string, string> = bkashSecret;
    const registry = registryWith(async () => secret);
    const gateway = registry.get('bkash')!;
    await gateway.queryStatus({ paymentId: 'pay_1', gatewayReference: 'P1' }, { idempotencyKey: 'q' });
    secret = { ...bkashSecret, baseUrl: 'https://rotated.example' };
    sent.length = 0;
    await gateway.queryStatus({ paymentId: 'pay_1', gatewayReference: 'P1' }, { idempotencyKey: 'q' });
    expect(sent.every((r) => r.url.startsWith('https://rotated.example/'))).toBe(true);
  });

  it('names the missing fields of an incomplete secret and never echoes its values', async () => {
    const registry = registryWith(async () => ({ baseUrl: 'https://bkash.example', password: 'p4ss' }));
    const failure = registry.get('bkash')!.queryStatus({ paymentId: 'pay_1', gatewayReference: 'P1' }, { idempotencyKey: 'q' });
    await expect(failure).rejects.toThrow(/bkash secret is incomplete or invalid \(.*appKey.*\)/);
    await expect(failure).rejects.not.toThrow(/p4ss/);
  });
});
