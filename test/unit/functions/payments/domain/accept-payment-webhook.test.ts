import { UnverifiedError } from '../../../../../functions/_platform/errors';
import { acceptPaymentReturn } from '../../../../../functions/payments/domain/accept-payment-return';
import { acceptPaymentWebhook, type PaymentNotification } from '../../../../../functions/payments/domain/accept-payment-webhook';
import { awaitAndResume } from '../../../../../functions/payments/domain/await-payment-result';
import { AmountMismatchError } from '../../../../../functions/payments/domain/errors';
import { AMOUNT, PAYMENT_ID, ref, sagaWorld } from './saga-fakes';

const notified = (changes: Partial<PaymentNotification> = {}): PaymentNotification => ({ gateway: 'bkash', paymentId: PAYMENT_ID, amount: AMOUNT, ...changes });

describe('a gateway webhook (acceptPaymentWebhook)', () => {
  it('asks the gateway, records the approval as the webhook\'s and resumes the waiting saga (the buyer never came back)', async () => {
    const { deps, attempts, saga, gateway } = sagaWorld();
    await awaitAndResume(deps, { ...ref, taskToken: 'token-1', timeoutSeconds: 900 });
    gateway.status = { state: 'approved' };

    await expect(acceptPaymentWebhook(deps, notified())).resolves.toEqual({ outcome: 'approved', recorded: true });

    expect(gateway.calls).toEqual([{ method: 'queryStatus', idempotencyKey: `${PAYMENT_ID}:query` }]);
    expect(saga.resumed).toEqual([{ taskToken: 'token-1', result: { outcome: 'approved' } }]);
    expect((await attempts.get(ref))?.resolution).toMatchObject({ outcome: 'approved', source: 'webhook' });
  });

  it('changes nothing twice: a duplicate webhook, and a return after it, are no-ops', async () => {
    const { deps, attempts, saga, gateway } = sagaWorld();
    await awaitAndResume(deps, { ...ref, taskToken: 'token-1', timeoutSeconds: 900 });
    gateway.status = { state: 'completed', transactionId: 'TRX-1' };
    await acceptPaymentWebhook(deps, notified({ transactionId: 'TRX-1' }));
    const after = await attempts.get(ref);

    await expect(acceptPaymentWebhook(deps, notified({ transactionId: 'TRX-1' }))).resolves.toEqual({ outcome: 'approved', recorded: false });
    await expect(acceptPaymentReturn(deps, { paymentId: PAYMENT_ID, query: { paymentID: 'TR-1', status: 'success' } })).resolves.toMatchObject({ status: 'paid', recorded: false });

    expect(saga.resumed).toHaveLength(1);
    expect(await attempts.get(ref)).toEqual(after);
  });

  it('is a no-op after the return won the race', async () => {
    const { deps, attempts, saga, gateway } = sagaWorld();
    await awaitAndResume(deps, { ...ref, taskToken: 'token-1', timeoutSeconds: 900 });
    gateway.status = { state: 'approved' };
    await acceptPaymentReturn(deps, { paymentId: PAYMENT_ID, query: { paymentID: 'TR-1', status: 'success' } });

    await expect(acceptPaymentWebhook(deps, notified())).resolves.toEqual({ outcome: 'approved', recorded: false });

    expect(saga.resumed).toHaveLength(1);
    expect((await attempts.get(ref))?.resolution?.source).toBe('return');
  });

  it('records nothing while the gateway still says pending', async () => {
    const { deps, attempts, saga } = sagaWorld();
    const writes = attempts.saved.length;

    await expect(acceptPaymentWebhook(deps, notified())).resolves.toEqual({ outcome: 'pending', recorded: false });
    expect(attempts.saved).toHaveLength(writes);
    expect(saga.resumed).toEqual([]);
  });

  it.each<[string, Partial<PaymentNotification>]>([
    ['an unknown payment id', { paymentId: 'pay_01JD5Q7Y2X3W4V5U6T7S8R9Q0Z_1' }],
    ['a reference that is no payment id of ours', { paymentId: 'INV-42' }],
    ['a payment of another gateway', { gateway: 'nagad' }],
  ])('refuses %s with UnverifiedError (401), asking and writing nothing', async (_case, changes) => {
    const { deps, attempts, gateway } = sagaWorld();
    const writes = attempts.saved.length;

    await expect(acceptPaymentWebhook(deps, notified(changes))).rejects.toBeInstanceOf(UnverifiedError);

    expect(gateway.calls).toEqual([]);
    expect(attempts.saved).toHaveLength(writes);
  });

  it('refuses another notified amount with AMOUNT_MISMATCH before asking the gateway, writing nothing', async () => {
    const { deps, attempts, gateway } = sagaWorld();
    const writes = attempts.saved.length;

    await expect(acceptPaymentWebhook(deps, notified({ amount: { value: 100, currency: 'BDT' } }))).rejects.toBeInstanceOf(AmountMismatchError);

    expect(gateway.calls).toEqual([]);
    expect(attempts.saved).toHaveLength(writes);
  });

  it.each([
    ['another amount', { state: 'completed' as const, amount: { value: 100, currency: 'BDT' }, transactionId: 'TRX-1' }, {}, AmountMismatchError],
    ['another transaction', { state: 'completed' as const, transactionId: 'TRX-1' }, { transactionId: 'TRX-OTHER' }, UnverifiedError],
  ])('refuses when the gateway reports %s than the notification, writing nothing', async (_case, status, changes, refusal) => {
    const { deps, attempts, gateway, saga } = sagaWorld();
    const writes = attempts.saved.length;
    gateway.status = status;

    await expect(acceptPaymentWebhook(deps, notified(changes))).rejects.toBeInstanceOf(refusal);

    expect(attempts.saved).toHaveLength(writes);
    expect(saga.resumed).toEqual([]);
  });
});
