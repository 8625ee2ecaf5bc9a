import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { eventually } from '../../support/local-stack';
import {
  attemptItem, buyer, closePaymentFlow, control, debitsOf, endpoints, follow, json, orderSettled, placeOrder, sfn, stateMachineArn, stockOf,
} from './payment-flow';

afterEach(async () => {
  await control('bkash', '/scenario', { mode: 'normal' });
  await control('nagad', '/scenario', { mode: 'normal' });
});
afterAll(closePaymentFlow);

describe('GET /v1/payments/{paymentId}/return', () => {
  it.each(['bkash', 'nagad'] as const)('%s approved: 303 to the store as paid, then the saga captures once and the order is paid', async (gateway) => {
    const { orderId, paymentId, gatewayReference } = await placeOrder(gateway);
    const redirectUrl = await buyer(gateway, gatewayReference, 'approve');
    expect(redirectUrl).toContain(`/payments/${paymentId}/return`);

    const res = await follow(redirectUrl!);

    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example/return');
    expect(Object.fromEntries(location.searchParams)).toEqual({ orderId, paymentId, status: 'paid' });
    const order = await orderSettled(orderId);
    expect(order.status).toBe('paid');
    expect(order.payments).toEqual([expect.objectContaining({ paymentId, status: 'succeeded' })]);
    expect(await attemptItem(orderId, paymentId)).toMatchObject({ status: 'succeeded', transactionId: expect.any(String) });
    expect(await debitsOf(gateway, gatewayReference)).toHaveLength(1);
  });

  it.each([
    ['cancel', 'CANCELLED_BY_BUYER'],
    ['insufficient-balance', 'INSUFFICIENT_FUNDS'],
  ])('bkash %s: 303 as failed with the reason, the order payment_failed with %s and the stock back', async (action, code) => {
    const { sku, orderId, paymentId, gatewayReference } = await placeOrder('bkash');
    expect(await stockOf(sku)).toBe(3);

    const res = await follow((await buyer('bkash', gatewayReference, action))!);

    expect(res.status).toBe(303);
    expect(Object.fromEntries(new URL(res.headers.get('location')!).searchParams)).toMatchObject({ status: 'failed', reason: code });
    const order = await orderSettled(orderId);
    expect(order.status).toBe('payment_failed');
    expect(order.payments).toEqual([expect.objectContaining({ paymentId, status: 'failed', failureCode: code })]);
    await eventually(async () => ((await stockOf(sku)) === 5 ? true : undefined), 'the stock to be back');
    expect(await debitsOf('bkash', gatewayReference)).toHaveLength(0);
  });

  it('a return delivered twice debits once and ends in the same state', async () => {
    const { orderId, paymentId, gatewayReference } = await placeOrder('bkash');
    await control('bkash', '/scenario', { mode: 'duplicate-callback' });
    const redirectUrl = (await buyer('bkash', gatewayReference, 'approve'))!;

    const [first, second] = await Promise.all([follow(redirectUrl), follow(redirectUrl)]);

    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect((await orderSettled(orderId)).status).toBe('paid');
    const attempt = await attemptItem(orderId, paymentId);
    expect(attempt).toMatchObject({ status: 'succeeded', resolution: { outcome: 'approved', source: 'return' } });
    expect(await debitsOf('bkash', gatewayReference)).toHaveLength(1);
    const again = await follow(redirectUrl);
    expect(again.status).toBe(303);
    expect(await attemptItem(orderId, paymentId)).toEqual(attempt);
  });

  it('refuses a forged return (foreign reference, unknown payment) with 401 UNVERIFIED and changes nothing', async () => {
    const { orderId, paymentId } = await placeOrder('bkash');
    const before = await attemptItem(orderId, paymentId);

    const forged = await fetch(`${endpoints.api.url}/payments/${paymentId}/return?paymentID=TR-FORGED&status=success`, { redirect: 'manual' });
    const unknown = await fetch(`${endpoints.api.url}/payments/pay_00000000000000000000000000_1/return?paymentID=TR-X&status=success`, { redirect: 'manual' });
    const malformed = await fetch(`${endpoints.api.url}/payments/${paymentId}/return`, { redirect: 'manual' });

    expect(forged.status).toBe(401);
    expect((await json(forged)).error.code).toBe('UNVERIFIED');
    expect(unknown.status).toBe(401);
    expect(malformed.status).toBe(400);
    expect(await attemptItem(orderId, paymentId)).toEqual(before);
  });

  it('a buyer who approves but never comes back: after the wait the saga asks bKash, captures and the order is paid', async () => {
    const { orderId, paymentId, gatewayReference } = await placeOrder('bkash');
    await control('bkash', '/scenario', { mode: 'lose-callback' });
    expect(await buyer('bkash', gatewayReference, 'approve')).toBeNull();
    // The checkout's saga waits the whole session (15 min): run the same saga input again with a short wait.
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${paymentId}`;
    const input = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn }))).input!);
    const { executionArn: shortWait } = await sfn.send(new StartExecutionCommand({
      stateMachineArn, name: `${paymentId}-short-wait`, input: JSON.stringify({ ...input, timeoutSeconds: 1 }),
    }));

    const execution = await eventually(async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: shortWait }));
      return described.status === 'RUNNING' ? undefined : described;
    }, 'the short-wait execution to finish');

    expect(execution.status).toBe('SUCCEEDED');
    expect((await orderSettled(orderId)).status).toBe('paid');
    expect(await debitsOf('bkash', gatewayReference)).toHaveLength(1);
  });
});
