import { startBkashSimulator } from '../../../../../local/simulators/bkash';
import type { PaymentSimulator } from '../../../../../local/simulators/contracts';

// The simulator's own surface over HTTP: what the conformance suite does not reach through `buyer()`.
let simulator: PaymentSimulator;
const CHECKOUT = '/v1.2.0-beta/tokenized/checkout';
const RETURN_URL = 'https://shop.example/v1/payments/pay_sim1/return';

beforeAll(async () => {
  simulator = await startBkashSimulator();
});
afterAll(() => simulator.stop());
beforeEach(() => simulator.reset());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${simulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const grant = async (): Promise<{ id_token: string; refresh_token: string }> => {
  const { username, password, appKey, appSecret } = simulator.secret;
  const response = await post(`${CHECKOUT}/token/grant`, { app_key: appKey, app_secret: appSecret }, { username: username ?? '', password: password ?? '' });
  return (await response.json()) as { id_token: string; refresh_token: string };
};

const call = async (path: string, body: unknown, token?: string) => {
  const authorization = token ?? (await grant()).id_token;
  const response = await post(path, body, { authorization, 'x-app-key': simulator.secret.appKey ?? '' });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const createBody = { mode: '0011', payerReference: 'ord_sim1', callbackURL: RETURN_URL, amount: '1234.56', currency: 'BDT', intent: 'sale', merchantInvoiceNumber: 'pay_sim1' };
const create = async () => String((await call(`${CHECKOUT}/create`, createBody)).body.paymentID);

describe('the bKash simulator', () => {
  it('serves a payer page with the amount, a simulator banner and the four buyer buttons', async () => {
    const paymentID = await create();

    const response = await fetch(`${simulator.url}/checkout/${paymentID}`);
    const html = await response.text();

    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('1234.56');
    expect(html).toContain('LOCAL SIMULATOR');
    for (const action of ['approve', 'cancel', 'insufficient-balance', 'wrong-pin']) expect(html).toContain(`value="${action}"`);
  });

  it('redirects the browser (303) to the callback with paymentID and status after a button press', async () => {
    const paymentID = await create();

    const response = await fetch(`${simulator.url}/checkout/${paymentID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=cancel',
      redirect: 'manual',
    });

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${RETURN_URL}?paymentID=${paymentID}&status=cancel`);
  });

  it('returns the pre-computed callback URLs and Initiated on create', async () => {
    const { body } = await call(`${CHECKOUT}/create`, createBody);
    expect(body).toMatchObject({
      statusCode: '0000',
      transactionStatus: 'Initiated',
      bkashURL: `${simulator.url}/checkout/${String(body.paymentID)}`,
      successCallbackURL: `${RETURN_URL}?paymentID=${String(body.paymentID)}&status=success`,
      paymentCreateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d:\d{3} GMT\+0600$/),
    });
  });

  it.each([
    [{ currency: 'USD' }, '2007'],
    [{ amount: '0' }, '2006'],
    [{ amount: '12.345' }, '2006'],
    [{ intent: 'buy' }, '2008'],
    [{ mode: '0001' }, '2063'],
    [{ merchantInvoiceNumber: undefined }, '2065'],
  ])('refuses create with %j as statusCode %s on HTTP 200', async (change, code) => {
    const { status, body } = await call(`${CHECKOUT}/create`, { ...createBody, ...change });
    expect(status).toBe(200);
    expect(body.statusCode).toBe(code);
  });

  it('answers 401 to a "Bearer " token, an unknown token and a wrong X-APP-Key', async () => {
    const { id_token } = await grant();
    const bearer = await post(`${CHECKOUT}/create`, createBody, { authorization: `Bearer ${id_token}`, 'x-app-key': simulator.secret.appKey ?? '' });
    const unknown = await post(`${CHECKOUT}/create`, createBody, { authorization: 'nope', 'x-app-key': simulator.secret.appKey ?? '' });
    const wrongKey = await post(`${CHECKOUT}/create`, createBody, { authorization: id_token, 'x-app-key': 'other' });
    expect([bearer.status, unknown.status, wrongKey.status]).toEqual([401, 401, 401]);
  });

  it('issues a working id_token for a refresh token, once', async () => {
    const { refresh_token } = await grant();
    const { username, password, appKey, appSecret } = simulator.secret;
    const refresh = () =>
      post(`${CHECKOUT}/token/refresh`, { app_key: appKey, app_secret: appSecret, refresh_token }, { username: username ?? '', password: password ?? '' });

    const refreshed = (await (await refresh()).json()) as { id_token: string };
    expect((await call(`${CHECKOUT}/create`, createBody, refreshed.id_token)).body.statusCode).toBe('0000');
    expect((await refresh()).status).toBe(401);
  });

  it('executes only after the buyer approved (2060 before), then 2062 on a repeat', async () => {
    const token = (await grant()).id_token;
    const paymentID = String((await call(`${CHECKOUT}/create`, createBody, token)).body.paymentID);

    expect((await call(`${CHECKOUT}/execute`, { paymentID }, token)).body.statusCode).toBe('2060');
    await simulator.buyer(paymentID, 'approve');
    expect((await call(`${CHECKOUT}/execute`, { paymentID }, token)).body).toMatchObject({ statusCode: '0000', transactionStatus: 'Completed', trxID: expect.any(String) });
    expect((await call(`${CHECKOUT}/execute`, { paymentID }, token)).body.statusCode).toBe('2062');
  });

  it("refuses a v2 refund sent with v1's paymentID/trxID names (2065)", async () => {
    const token = (await grant()).id_token;
    const paymentID = String((await call(`${CHECKOUT}/create`, createBody, token)).body.paymentID);
    await simulator.buyer(paymentID, 'approve');
    const trxID = String((await call(`${CHECKOUT}/execute`, { paymentID }, token)).body.trxID);

    const { body } = await call('/v2/tokenized-checkout/refund/payment/transaction', { paymentID, trxID, refundAmount: '10.00', sku: 's', reason: 'r' }, token);

    expect(body).toMatchObject({ externalCode: '2065', errorMessageEn: expect.any(String) });
  });

  it('is driven over its HTTP control API: scenario, buyer, state and reset', async () => {
    const paymentID = await create();

    expect((await post('/__control/scenario', { mode: 'flaky', times: 1 })).status).toBe(204);
    expect((await post(`${CHECKOUT}/payment/status`, { paymentID })).status).toBe(500);
    expect((await call(`${CHECKOUT}/payment/status`, { paymentID })).body.transactionStatus).toBe('Initiated');

    const buyer = await post(`/__control/buyer/${paymentID}`, { action: 'approve' });
    expect(await buyer.json()).toEqual({ redirectUrl: `${RETURN_URL}?paymentID=${paymentID}&status=success` });
    expect((await post(`/__control/buyer/${paymentID}`, { action: 'approve' })).status).toBe(409);

    const state = (await (await fetch(`${simulator.url}/__control/state`)).json()) as { payments: unknown[]; ledger: unknown[] };
    expect(state.payments).toHaveLength(1);
    expect(state.ledger).toEqual([]);

    expect((await post('/__control/reset', {})).status).toBe(204);
    expect((await post(`/__control/buyer/${paymentID}`, { action: 'approve' })).status).toBe(404);
  });

  it('refuses an unknown scenario mode with 400', async () => {
    expect((await post('/__control/scenario', { mode: 'chaos' })).status).toBe(400);
  });
});
