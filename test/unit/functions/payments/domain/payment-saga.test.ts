import { ConflictError, ProviderIndeterminateError, ProviderRetryableError, ProviderTerminalError, UnverifiedError, ValidationError } from '../../../../../functions/_platform/errors';
import { acceptPaymentReturn } from '../../../../../functions/payments/domain/accept-payment-return';
import { awaitAndResume } from '../../../../../functions/payments/domain/await-payment-result';
import { capturePayment } from '../../../../../functions/payments/domain/capture-payment';
import { compensatePayment } from '../../../../../functions/payments/domain/compensate-payment';
import { confirmPayment } from '../../../../../functions/payments/domain/confirm-payment';
import { AmountMismatchError } from '../../../../../functions/payments/domain/errors';
import { failureCodeOf } from '../../../../../functions/payments/domain/model';
import { queryGatewayAfterTimeout } from '../../../../../functions/payments/domain/query-gateway-after-timeout';
import { AMOUNT, PAYMENT_ID, ref, sagaInput, sagaWorld } from './saga-fakes';

const returned = (query: Record<string, string> = { paymentID: 'TR-1', status: 'success' }) => ({ paymentId: PAYMENT_ID, query });

describe('the buyer returns from the gateway (acceptPaymentReturn)', () => {
  it('asks the gateway, records the approval once, resumes the waiting saga and sends the buyer to the store', async () => {
    const { deps, attempts, saga, gateway } = sagaWorld();
    await awaitAndResume(deps, { ...ref, taskToken: 'token-1', timeoutSeconds: 900 });
    gateway.status = { state: 'approved' };

    const answer = await acceptPaymentReturn(deps, returned());

    expect(gateway.calls).toEqual([{ method: 'queryStatus', idempotencyKey: `${PAYMENT_ID}:query` }]);
    expect(saga.resumed).toEqual([{ taskToken: 'token-1', result: { outcome: 'approved' } }]);
    expect(answer).toEqual({ status: 'paid', recorded: true, location: `https://shop.example/return?orderId=${ref.orderId}&paymentId=${PAYMENT_ID}&status=paid` });
    expect((await attempts.get(ref))?.resolution).toMatchObject({ outcome: 'approved', source: 'return' });
  });

  it('answers a duplicate return from the record: no second resume, same answer', async () => {
    const { deps, saga, gateway } = sagaWorld();
    await awaitAndResume(deps, { ...ref, taskToken: 'token-1', timeoutSeconds: 900 });
    gateway.status = { state: 'approved' };
    const first = await acceptPaymentReturn(deps, returned());

    const second = await acceptPaymentReturn(deps, returned());

    expect(saga.resumed).toHaveLength(1);
    expect(second).toEqual({ ...first, recorded: false });
  });

  it('believes the gateway, not the query string: a failed payment goes to the store as failed with its reason', async () => {
    const { deps, saga, gateway } = sagaWorld();
    await awaitAndResume(deps, { ...ref, taskToken: 'token-1', timeoutSeconds: 900 });
    gateway.status = { state: 'failed', failureCode: 'INSUFFICIENT_FUNDS' };

    const answer = await acceptPaymentReturn(deps, returned({ paymentID: 'TR-1', status: 'success' }));

    expect(answer.location).toContain('status=failed&reason=INSUFFICIENT_FUNDS');
    expect(saga.resumed[0].result).toEqual({ outcome: 'failed', failureCode: 'INSUFFICIENT_FUNDS' });
  });

  it('records nothing while the gateway still says pending', async () => {
    const { deps, attempts, saga } = sagaWorld();
    const writes = attempts.saved.length;

    expect((await acceptPaymentReturn(deps, returned())).status).toBe('pending');
    expect(attempts.saved).toHaveLength(writes);
    expect(saga.resumed).toEqual([]);
  });

  it.each([
    ['an unknown payment id', { paymentId: 'pay_01JD5Q7Y2X3W4V5U6T7S8R9Q0Z_1', query: { paymentID: 'TR-1' } }],
    ['a payment id we never make', { paymentId: 'not-ours', query: { paymentID: 'TR-1' } }],
    ['a foreign gateway reference', { paymentId: PAYMENT_ID, query: { paymentID: 'TR-OTHER' } }],
  ])('refuses %s with UnverifiedError (401), asking and writing nothing', async (_case, cmd) => {
    const { deps, attempts, gateway } = sagaWorld();
    const writes = attempts.saved.length;

    const refusal = acceptPaymentReturn(deps, cmd);

    await expect(refusal).rejects.toBeInstanceOf(UnverifiedError);
    await expect(refusal).rejects.toMatchObject({ code: 'UNVERIFIED' });
    expect(gateway.calls).toEqual([]);
    expect(attempts.saved).toHaveLength(writes);
  });

  it('refuses a malformed return with ValidationError and a different amount with AMOUNT_MISMATCH, writing nothing', async () => {
    const { deps, attempts, gateway } = sagaWorld();
    const writes = attempts.saved.length;
    await expect(acceptPaymentReturn(deps, returned({ status: 'success' }))).rejects.toBeInstanceOf(ValidationError);

    gateway.status = { state: 'completed', amount: { value: 100, currency: 'BDT' } };
    await expect(acceptPaymentReturn(deps, returned())).rejects.toBeInstanceOf(AmountMismatchError);
    expect(attempts.saved).toHaveLength(writes);
  });

  it('loses no result when the return beats the saga: the saga sends it when it stores its token', async () => {
    const { deps, saga, gateway } = sagaWorld();
    gateway.status = { state: 'completed', transactionId: 'TRX-9' };
    await acceptPaymentReturn(deps, returned());
    expect(saga.resumed).toEqual([]);

    await expect(awaitAndResume(deps, { ...ref, taskToken: 'token-1', timeoutSeconds: 900 })).resolves.toEqual({ stored: true, resumed: true });

    expect(saga.resumed).toEqual([{ taskToken: 'token-1', result: { outcome: 'approved', transactionId: 'TRX-9' } }]);
  });
});

describe('a return after the saga gave up (reconciliation)', () => {
  it('money the gateway took on an expired attempt is refunded once, the order left alone and the store told', async () => {
    const { deps, attempts, orders, gateway, workflow } = sagaWorld();
    await compensatePayment(deps, { ...sagaInput, error: { Error: 'States.Timeout' } });
    gateway.status = { state: 'completed', transactionId: 'TRX-LATE' };

    const answer = await acceptPaymentReturn(deps, returned());
    await acceptPaymentReturn(deps, returned());

    expect(answer).toMatchObject({ status: 'failed', recorded: false, refund: 'pending' });
    expect(answer.location).toContain('status=failed&reason=EXPIRED&refund=pending');
    expect(await attempts.get(ref)).toMatchObject({ status: 'failed', failureCode: 'EXPIRED', lateCapture: true, transactionId: 'TRX-LATE' });
    const refundId = PAYMENT_ID.replace(/^pay_/, 'ref_') + '_late';
    expect(workflow.started).toEqual([{ orderId: ref.orderId, refundId }, { orderId: ref.orderId, refundId }]);
    const order = orders.orders.get(ref.orderId)!;
    expect(order.status).toBe('payment_failed');
    expect(order.refunds).toEqual([expect.objectContaining({ refundId, paymentId: PAYMENT_ID, amount: AMOUNT, status: 'pending' })]);
  });

  it('an approval that moved no money (bKash before execute) on a failed attempt needs no refund', async () => {
    const { deps, orders, gateway, workflow } = sagaWorld();
    await compensatePayment(deps, { ...sagaInput, error: { Error: 'States.Timeout' } });
    gateway.status = { state: 'approved' };

    const answer = await acceptPaymentReturn(deps, returned());

    expect(answer).toMatchObject({ status: 'failed', recorded: false });
    expect(answer.refund).toBeUndefined();
    expect(workflow.started).toEqual([]);
    expect(orders.orders.get(ref.orderId)?.refunds).toEqual([]);
  });
});

describe('QueryGatewayAfterTimeout', () => {
  it('turns an approval the saga never heard of into approved (a lost return must not cancel a paid order)', async () => {
    const { deps, gateway } = sagaWorld();
    gateway.status = { state: 'approved' };
    await expect(queryGatewayAfterTimeout(deps, sagaInput)).resolves.toEqual({ outcome: 'approved' });
  });

  it('calls a payment still pending after its session EXPIRED', async () => {
    const { deps } = sagaWorld();
    await expect(queryGatewayAfterTimeout(deps, sagaInput)).resolves.toEqual({ outcome: 'pending', failureCode: 'EXPIRED' });
  });
});

describe('CapturePayment', () => {
  it('captures with the stable key and returns the transaction', async () => {
    const { deps, gateway } = sagaWorld();
    gateway.captureAnswer = async () => ({ state: 'completed', transactionId: 'TRX-1' });

    await expect(capturePayment(deps, sagaInput)).resolves.toEqual({ transactionId: 'TRX-1', amount: AMOUNT, capturedAt: '2026-03-01T10:05:00.000Z' });
    expect(gateway.calls).toEqual([{ method: 'capture', idempotencyKey: `${PAYMENT_ID}:capture` }]);
  });

  it('asks the gateway after an unknown outcome: completed is success, never a second capture', async () => {
    const { deps, gateway } = sagaWorld();
    gateway.captureAnswer = async () => { throw new ProviderIndeterminateError('bkash', 'timeout'); };
    gateway.status = { state: 'completed', transactionId: 'TRX-2' };

    await expect(capturePayment(deps, sagaInput)).resolves.toMatchObject({ transactionId: 'TRX-2' });
    expect(gateway.calls.map((c) => c.method)).toEqual(['capture', 'queryStatus']);
  });

  it('throws ProviderRetryableError when the gateway has not completed it yet (the state machine captures again)', async () => {
    const { deps, gateway } = sagaWorld();
    gateway.captureAnswer = async () => { throw new ProviderIndeterminateError('bkash', 'timeout'); };
    gateway.status = { state: 'approved' };
    await expect(capturePayment(deps, sagaInput)).rejects.toBeInstanceOf(ProviderRetryableError);
  });

  it('throws a refusal under the Payment.<Reason> name the saga maps to a failure code', async () => {
    const { deps, gateway } = sagaWorld();
    gateway.captureAnswer = async () => {
      const error = new ProviderTerminalError('bkash', 'payment', 'insufficient balance');
      Object.assign(error.details, { failureCode: 'INSUFFICIENT_FUNDS' });
      throw error;
    };
    const refusal = await capturePayment(deps, sagaInput).catch((error: Error) => error);
    expect(refusal).toMatchObject({ name: 'Payment.InsufficientFunds' });
    expect(failureCodeOf({ Error: (refusal as Error).name })).toBe('INSUFFICIENT_FUNDS');
  });
});

describe('ConfirmPayment', () => {
  const capture = { transactionId: 'TRX-1', amount: AMOUNT };

  it('pays the order, succeeds the attempt and publishes order.paid once, also when repeated', async () => {
    const { deps, orders, attempts, events } = sagaWorld();

    await expect(confirmPayment(deps, { ...ref, capture })).resolves.toEqual({ ...ref, status: 'succeeded', transactionId: 'TRX-1' });
    await confirmPayment(deps, { ...ref, capture });

    expect(orders.orders.get(ref.orderId)).toMatchObject({ status: 'paid', reservation: 'committed', version: 2 });
    expect(await attempts.get(ref)).toMatchObject({ status: 'succeeded', transactionId: 'TRX-1' });
    expect(new Set(events.published.map((e) => e.id)).size).toBe(1);
    expect(events.published[0]).toMatchObject({
      type: 'order.paid',
      orderId: ref.orderId,
      data: { paymentId: PAYMENT_ID, method: 'bkash', amount: AMOUNT, transactionId: 'TRX-1', items: [expect.objectContaining({ sku: 'GAMCHA', quantity: 2 })] },
    });
  });
});

describe('CompensatePayment', () => {
  const notApproved = { Error: 'Payment.NotApproved', Cause: 'CANCELLED_BY_BUYER' };

  it('puts the stock back once, fails attempt and order with the gateway code and publishes payment.failed', async () => {
    const { deps, orders, attempts, catalog, events } = sagaWorld();

    const output = await compensatePayment(deps, { ...sagaInput, error: notApproved });
    await compensatePayment(deps, { ...sagaInput, error: notApproved });

    expect(output).toEqual({ ...ref, status: 'failed', failureCode: 'CANCELLED_BY_BUYER', refunded: false });
    expect(catalog.stockOf('GAMCHA')).toBe(5);
    expect(await attempts.get(ref)).toMatchObject({ status: 'failed', failureCode: 'CANCELLED_BY_BUYER', stockReleased: true });
    expect(orders.orders.get(ref.orderId)).toMatchObject({ status: 'payment_failed', reservation: 'released' });
    expect(events.published.map((e) => e.type)).toEqual(['payment.failed', 'payment.failed']);
    expect(new Set(events.published.map((e) => e.id)).size).toBe(1);
    expect(events.published[0].data).toEqual({ paymentId: PAYMENT_ID, failureCode: 'CANCELLED_BY_BUYER', methodsAvailable: ['bkash', 'nagad'] });
  });

  it.each([
    [{ Error: 'States.Timeout' }, 'EXPIRED'],
    [{ Error: 'Payment.NotApproved', Cause: 'EXPIRED' }, 'EXPIRED'],
    [{ Error: 'Payment.Declined', Cause: '{}' }, 'DECLINED'],
    [{ Error: 'Lambda.Unknown', Cause: 'boom' }, 'PROCESSING_ERROR'],
  ])('maps the caught error %p to %s', (error, code) => {
    expect(failureCodeOf(error)).toBe(code);
  });

  it('refunds a capture with the stable key before failing the payment, once across repeats', async () => {
    const { deps, gateway } = sagaWorld();
    const capture = { transactionId: 'TRX-1', amount: AMOUNT, capturedAt: '2026-03-01T10:04:00.000Z' };

    await expect(compensatePayment(deps, { ...sagaInput, error: { Error: 'ConflictError' }, capture })).resolves.toMatchObject({ refunded: true });
    await compensatePayment(deps, { ...sagaInput, error: { Error: 'ConflictError' }, capture });

    expect(gateway.calls).toEqual([{ method: 'refund', idempotencyKey: `${PAYMENT_ID}:compensation-refund` }]);
  });

  it('asks refundStatus after an unknown refund outcome and never reports an unconfirmed refund', async () => {
    const { deps, gateway, attempts } = sagaWorld();
    const capture = { transactionId: 'TRX-1', amount: AMOUNT, capturedAt: '2026-03-01T10:04:00.000Z' };
    gateway.refundAnswer = async () => { throw new ProviderIndeterminateError('bkash', 'timeout'); };
    gateway.refundStatusAnswer = async () => ({ state: 'pending', amount: AMOUNT, gatewayStatus: 'Pending' });

    await expect(compensatePayment(deps, { ...sagaInput, error: { Error: 'ConflictError' }, capture })).rejects.toBeInstanceOf(ProviderRetryableError);
    expect(await attempts.get(ref)).toMatchObject({ status: 'pending', compensationRefund: 'requested' });

    gateway.refundStatusAnswer = async () => ({ state: 'succeeded', amount: AMOUNT, gatewayStatus: 'Completed' });
    await compensatePayment(deps, { ...sagaInput, error: { Error: 'ConflictError' }, capture });
    expect(gateway.calls.map((c) => c.method)).toEqual(['refund', 'refundStatus', 'refundStatus']);
    expect(await attempts.get(ref)).toMatchObject({ status: 'failed', compensationRefund: 'succeeded' });
  });

  it('never fails a succeeded attempt', async () => {
    const { deps } = sagaWorld();
    await confirmPayment(deps, { ...ref, capture: { transactionId: 'TRX-1', amount: AMOUNT } });
    await expect(compensatePayment(deps, { ...sagaInput, error: notApproved })).rejects.toBeInstanceOf(ConflictError);
  });
});
