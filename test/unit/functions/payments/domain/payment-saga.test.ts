import { ConflictError, NotFoundError } from '../../../../../functions/_platform/errors';
import { awaitPaymentResult } from '../../../../../functions/payments/domain/await-payment-result';
import { compensatePayment } from '../../../../../functions/payments/domain/compensate-payment';
import { confirmPayment } from '../../../../../functions/payments/domain/confirm-payment';
import { ConcurrentUpdateError } from '../../../../../functions/payments/domain/errors';
import type { PaymentAttempt } from '../../../../../functions/payments/domain/model';
import { InMemoryPaymentAttempts } from '../../../../support/in-memory/payment-attempts';

const ref = { orderId: 'ord_1', paymentId: 'pay_1' };
const clock = { now: () => new Date('2026-03-01T10:00:00.000Z') };
const setup = (existing?: Partial<PaymentAttempt>) => {
  const attempts = new InMemoryPaymentAttempts();
  if (existing) attempts.put({ ...ref, status: 'pending', updatedAt: '2026-03-01T09:00:00.000Z', version: 1, ...existing });
  return { attempts, deps: { attempts, clock } };
};

describe('awaitPaymentResult', () => {
  it('creates the pending attempt with the token and the time the wait ends', async () => {
    const { attempts, deps } = setup();

    await expect(awaitPaymentResult(deps, { ...ref, taskToken: 'token-1', timeoutSeconds: 900 })).resolves.toEqual({ stored: true });

    expect(await attempts.get(ref)).toEqual({
      ...ref,
      status: 'pending',
      taskToken: 'token-1',
      awaitingUntil: '2026-03-01T10:15:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
      version: 1,
    });
  });

  it('stores the token on an attempt that is already pending', async () => {
    const { attempts, deps } = setup({ status: 'pending' });

    await awaitPaymentResult(deps, { ...ref, taskToken: 'token-2', timeoutSeconds: 60 });

    expect(await attempts.get(ref)).toMatchObject({ taskToken: 'token-2', version: 2 });
  });

  it('writes nothing when the same token is stored again (a retried invocation)', async () => {
    const { attempts, deps } = setup({ status: 'pending', taskToken: 'token-1', awaitingUntil: '2026-03-01T10:15:00.000Z' });
    const writes = attempts.saved.length;

    await awaitPaymentResult(deps, { ...ref, taskToken: 'token-1', timeoutSeconds: 900 });

    expect(attempts.saved).toHaveLength(writes);
  });

  it.each(['succeeded', 'failed'] as const)('throws ConflictError on a %s attempt', async (status) => {
    const { deps } = setup({ status });

    await expect(awaitPaymentResult(deps, { ...ref, taskToken: 't', timeoutSeconds: 60 })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('confirmPayment', () => {
  const succeeded = { ...ref, result: { status: 'succeeded' as const, providerReference: 'TRX-1' } };

  it('marks a pending attempt succeeded, keeps the provider reference and forgets the token', async () => {
    const { attempts, deps } = setup({ status: 'pending', taskToken: 'token-1', awaitingUntil: '2026-03-01T10:15:00.000Z' });

    await expect(confirmPayment(deps, succeeded)).resolves.toEqual({ ...ref, status: 'succeeded' });

    const stored = await attempts.get(ref);
    expect(stored).toMatchObject({ status: 'succeeded', providerReference: 'TRX-1', version: 2 });
    expect(stored).not.toHaveProperty('taskToken');
    expect(stored).not.toHaveProperty('awaitingUntil');
  });

  it('is a no-op with the same output on an attempt that already succeeded', async () => {
    const { attempts, deps } = setup({ status: 'succeeded', providerReference: 'TRX-1' });
    const writes = attempts.saved.length;

    await expect(confirmPayment(deps, succeeded)).resolves.toEqual({ ...ref, status: 'succeeded' });
    expect(attempts.saved).toHaveLength(writes);
  });

  it('throws ConflictError on a failed attempt and leaves it failed', async () => {
    const { attempts, deps } = setup({ status: 'failed', failureCode: 'EXPIRED' });

    await expect(confirmPayment(deps, succeeded)).rejects.toBeInstanceOf(ConflictError);
    expect(await attempts.get(ref)).toMatchObject({ status: 'failed', failureCode: 'EXPIRED' });
  });

  it('throws NotFoundError when there is no attempt', async () => {
    const { deps } = setup();

    await expect(confirmPayment(deps, succeeded)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads again and wins after losing a race to a concurrent writer', async () => {
    const { attempts, deps } = setup({ status: 'pending', taskToken: 'token-1' });
    let raced = false;
    attempts.beforeSave = (attempt) => {
      if (raced) return;
      raced = true;
      attempts.put({ ...attempt, status: 'pending', taskToken: 'token-2', version: 2 });
    };

    await confirmPayment(deps, succeeded);

    expect(await attempts.get(ref)).toMatchObject({ status: 'succeeded', version: 3 });
  });

  it('gives up with ConcurrentUpdateError after three lost races', async () => {
    const { attempts, deps } = setup({ status: 'pending' });
    attempts.beforeSave = (attempt) => attempts.put({ ...attempt, status: 'pending', version: attempt.version + 5 });

    await expect(confirmPayment(deps, succeeded)).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });
});

describe('compensatePayment', () => {
  const caught = (Error: string) => ({ ...ref, error: { Error, Cause: 'whatever the task said' } });

  it.each([
    ['States.Timeout', 'EXPIRED'],
    ['States.HeartbeatTimeout', 'EXPIRED'],
    ['Payment.Declined', 'DECLINED'],
    ['Payment.InsufficientFunds', 'INSUFFICIENT_FUNDS'],
    ['Payment.CancelledByBuyer', 'CANCELLED_BY_BUYER'],
    ['Lambda.ServiceException', 'PROCESSING_ERROR'],
    ['ConflictError', 'PROCESSING_ERROR'],
  ])('marks a pending attempt failed: %s → %s, and forgets the token', async (errorName, failureCode) => {
    const { attempts, deps } = setup({ status: 'pending', taskToken: 'token-1' });

    await expect(compensatePayment(deps, caught(errorName))).resolves.toEqual({ ...ref, status: 'failed', failureCode });

    const stored = await attempts.get(ref);
    expect(stored).toMatchObject({ status: 'failed', failureCode, version: 2 });
    expect(stored).not.toHaveProperty('taskToken');
  });

  it('records a failed attempt when the saga failed before the attempt existed', async () => {
    const { attempts, deps } = setup();

    await compensatePayment(deps, caught('States.Timeout'));

    expect(await attempts.get(ref)).toMatchObject({ status: 'failed', failureCode: 'EXPIRED', version: 1 });
  });

  it('is idempotent: a repeat keeps and returns the first failure code', async () => {
    const { attempts, deps } = setup({ status: 'failed', failureCode: 'DECLINED' });
    const writes = attempts.saved.length;

    await expect(compensatePayment(deps, caught('States.Timeout'))).resolves.toEqual({ ...ref, status: 'failed', failureCode: 'DECLINED' });
    expect(attempts.saved).toHaveLength(writes);
  });

  it('never overwrites a succeeded attempt', async () => {
    const { attempts, deps } = setup({ status: 'succeeded' });

    await expect(compensatePayment(deps, caught('States.Timeout'))).rejects.toBeInstanceOf(ConflictError);
    expect(await attempts.get(ref)).toMatchObject({ status: 'succeeded' });
  });
});
