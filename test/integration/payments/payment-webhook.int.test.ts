import { eventually } from '../../support/local-stack';
import { attemptItem, buyer, closePaymentFlow, control, debitsOf, follow, orderSettled, placeOrder } from './payment-flow';

interface Delivery {
  messageId: string;
  type: string;
  paymentID?: string;
  forged: boolean;
  status: number;
  body: string;
}

/** Has the bKash simulator send the IPN of `gatewayReference` now; the answer of our webhook. */
const sendIpn = async (gatewayReference: string, options: { forge?: boolean; overrides?: Record<string, string> } = {}) => {
  const { deliveries } = await control('bkash', '/ipn', { paymentID: gatewayReference, ...options });
  const [delivery] = deliveries as Delivery[];
  return { status: delivery!.status, body: JSON.parse(delivery!.body) };
};
const deliveriesOf = async (gatewayReference: string): Promise<Delivery[]> =>
  ((await control('bkash', '/state')).ipn.deliveries as Delivery[]).filter((delivery) => delivery.paymentID === gatewayReference);

afterEach(async () => {
  await control('bkash', '/scenario', { mode: 'normal' });
});
afterAll(closePaymentFlow);

describe('POST /v1/webhooks/bkash (bKash IPN through SNS)', () => {
  it('is subscribed: the local stack confirmed the simulator\'s SNS subscription by its SubscribeURL', async () => {
    expect((await control('bkash', '/state')).ipn.subscription).toEqual({ endpoint: expect.stringMatching(/\/v1\/webhooks\/bkash$/), confirmed: true });
  });

  it('a verified IPN resolves a payment whose buyer never came back: the saga captures once, the order is paid, bKash\'s IPN after the execute changes nothing', async () => {
    const { orderId, paymentId, gatewayReference } = await placeOrder('bkash');
    await control('bkash', '/scenario', { mode: 'lose-callback' });
    expect(await buyer('bkash', gatewayReference, 'approve')).toBeNull();

    const answer = await sendIpn(gatewayReference);

    expect(answer).toEqual({ status: 200, body: { outcome: 'approved', recorded: true } });
    expect((await orderSettled(orderId)).status).toBe('paid');
    expect(await attemptItem(orderId, paymentId)).toMatchObject({ status: 'succeeded', transactionId: expect.any(String), resolution: { outcome: 'approved', source: 'webhook' } });
    expect(await debitsOf('bkash', gatewayReference)).toHaveLength(1);
    const deliveries = await eventually(async () => {
      const sent = await deliveriesOf(gatewayReference);
      return sent.length === 2 ? sent : undefined;
    }, 'the IPN bKash sends after the execute');
    // Ours recorded the result; bKash's own IPN after the execute found it recorded (either may be listed first).
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
    expect(deliveries.map((delivery) => JSON.parse(delivery.body)).sort((a, b) => Number(a.recorded) - Number(b.recorded))).toEqual([
      { outcome: 'approved', recorded: false },
      { outcome: 'approved', recorded: true },
    ]);
  });

  it('a duplicate IPN answers 200 and changes nothing twice: one resolution (the return\'s), one capture', async () => {
    const { orderId, paymentId, gatewayReference } = await placeOrder('bkash');
    expect((await follow((await buyer('bkash', gatewayReference, 'approve'))!)).status).toBe(303);
    expect((await orderSettled(orderId)).status).toBe('paid');
    const settled = await attemptItem(orderId, paymentId);

    const [first, second] = [await sendIpn(gatewayReference), await sendIpn(gatewayReference)];

    expect([first, second]).toEqual([
      { status: 200, body: { outcome: 'approved', recorded: false } },
      { status: 200, body: { outcome: 'approved', recorded: false } },
    ]);
    expect(await attemptItem(orderId, paymentId)).toEqual(settled);
    expect(settled).toMatchObject({ status: 'succeeded', resolution: { source: 'return' } });
    expect(await debitsOf('bkash', gatewayReference)).toHaveLength(1);
  });

  it.each([
    ['a forged signature', { forge: true }, 401, 'UNVERIFIED'],
    ['an IPN for a payment we do not know', { overrides: { transactionReference: 'pay_00000000000000000000000000_1' } }, 401, 'UNVERIFIED'],
    ['an IPN for another amount', { overrides: { amount: '1.00' } }, 422, 'AMOUNT_MISMATCH'],
  ])('refuses %s with %i %s and writes nothing', async (_case, ipn, status, code) => {
    const { orderId, paymentId, gatewayReference } = await placeOrder('bkash');
    await buyer('bkash', gatewayReference, 'approve');
    const before = await attemptItem(orderId, paymentId);

    const answer = await sendIpn(gatewayReference, ipn);

    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(await attemptItem(orderId, paymentId)).toEqual(before);
    expect(await debitsOf('bkash', gatewayReference)).toHaveLength(0);
  });
});
