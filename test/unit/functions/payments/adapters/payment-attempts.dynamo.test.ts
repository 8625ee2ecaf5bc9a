import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type LocalDynamoDb, startDynamoDb } from '../../../../../local/runtime/emulators/dynamodb';
import { dynamoPaymentAttempts, dynamoPaymentResolutions } from '../../../../../functions/payments/adapters/payment-attempts.dynamo';
import { ConcurrentUpdateError } from '../../../../../functions/_platform/errors';
import type { PaymentAttempt } from '../../../../../functions/payments/domain/model';
import type { PaymentAttemptRepository } from '../../../../../functions/payments/domain/ports';
import { singleTable } from '../../../../support/dynamodb-tables';

// Against the local runtime's DynamoDB (dynalite) with the real SDK: expressions, conditions and reserved words are
// judged by a DynamoDB implementation, not by our own expectations.
let dynamo: LocalDynamoDb;
let documents: DynamoDBDocumentClient;
let repository: PaymentAttemptRepository;

beforeAll(async () => {
  dynamo = await startDynamoDb({ host: '127.0.0.1' });
  await dynamo.createTable(singleTable('orders'));
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  repository = dynamoPaymentAttempts(documents, 'orders');
});
afterAll(async () => {
  documents.destroy();
  await dynamo.stop();
});

let sequence = 0;
const anAttempt = (overrides: Partial<PaymentAttempt> = {}): PaymentAttempt => {
  sequence += 1;
  return {
    orderId: `ord_${sequence}`,
    paymentId: `pay_${sequence}`,
    status: 'pending',
    taskToken: 'token-1',
    awaitingUntil: '2026-03-01T10:15:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
};
const rawItem = async ({ orderId, paymentId }: PaymentAttempt) =>
  (await documents.send(new GetCommand({ TableName: 'orders', Key: { pk: `ORDER#${orderId}`, sk: `PAYMENT#${paymentId}` } }))).Item;

describe('the payment attempt repository on DynamoDB', () => {
  it('stores an attempt under ORDER#<orderId> / PAYMENT#<paymentId> and reads it back', async () => {
    const attempt = anAttempt();

    await repository.save(attempt);

    expect(await rawItem(attempt)).toMatchObject({ pk: `ORDER#${attempt.orderId}`, sk: `PAYMENT#${attempt.paymentId}`, status: 'pending' });
    expect(await repository.get(attempt)).toEqual(attempt);
  });

  it('answers undefined for an attempt that does not exist', async () => {
    await expect(repository.get({ orderId: 'ord_none', paymentId: 'pay_none' })).resolves.toBeUndefined();
  });

  it('moves to the next version, removing cleared attributes and keeping ones other steps wrote', async () => {
    const attempt = anAttempt();
    await repository.save(attempt);
    await documents.send(
      new PutCommand({ TableName: 'orders', Item: { ...(await rawItem(attempt)), method: 'bkash', amount: { value: 240000, currency: 'BDT' } } }),
    );

    await repository.save({ ...attempt, status: 'succeeded', taskToken: undefined, awaitingUntil: undefined, transactionId: 'TRX-1', version: 2 });

    const stored = await rawItem(attempt);
    expect(stored).toMatchObject({ status: 'succeeded', transactionId: 'TRX-1', version: 2, method: 'bkash', amount: { value: 240000, currency: 'BDT' } });
    expect(stored).not.toHaveProperty('taskToken');
    expect(stored).not.toHaveProperty('awaitingUntil');
  });

  it('refuses a second creation of the same attempt', async () => {
    const attempt = anAttempt();
    await repository.save(attempt);

    await expect(repository.save({ ...attempt, taskToken: 'token-2' })).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await repository.get(attempt)).toMatchObject({ taskToken: 'token-1' });
  });

  it('refuses a write based on a stale version', async () => {
    const attempt = anAttempt();
    await repository.save(attempt);
    await repository.save({ ...attempt, taskToken: 'token-2', version: 2 });

    await expect(repository.save({ ...attempt, status: 'failed', failureCode: 'EXPIRED', version: 2 })).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await repository.get(attempt)).toMatchObject({ status: 'pending', taskToken: 'token-2', version: 2 });
  });

  it('throws on a stored item that is not an attempt instead of guessing', async () => {
    const attempt = anAttempt();
    await repository.save(attempt);
    await documents.send(new PutCommand({ TableName: 'orders', Item: { ...(await rawItem(attempt)), status: 'paid' } }));

    await expect(repository.get(attempt)).rejects.toThrow();
  });
});

describe('recording a verified payment result (return vs webhook)', () => {
  const resolutions = () => dynamoPaymentResolutions(documents, 'orders');
  const approved = (source: 'return' | 'webhook') => ({ outcome: 'approved' as const, source, at: '2026-03-01T10:05:00.000Z' });

  it('lets exactly one of many concurrent recorders win, and hands every loser the winner’s attempt', async () => {
    const attempt = anAttempt();
    await repository.save(attempt);
    const ref = { orderId: attempt.orderId, paymentId: attempt.paymentId };

    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => resolutions().record(ref, approved(i % 2 ? 'webhook' : 'return'))));

    expect(results.filter((r) => r.recorded)).toHaveLength(1);
    const winner = results.find((r) => r.recorded)!.attempt!;
    expect(winner).toMatchObject({ resolution: { outcome: 'approved' }, taskToken: 'token-1', version: 2 });
    for (const loser of results.filter((r) => !r.recorded)) expect(loser.attempt).toEqual(winner);
  });

  it('records nothing on an attempt that has settled, or that does not exist', async () => {
    const settled = anAttempt({ status: 'failed', failureCode: 'EXPIRED' });
    await repository.save(settled);
    const onSettled = await resolutions().record({ orderId: settled.orderId, paymentId: settled.paymentId }, approved('return'));
    expect(onSettled).toEqual({ recorded: false, attempt: expect.objectContaining({ status: 'failed', version: 1 }) });
    expect(onSettled.attempt?.resolution).toBeUndefined();

    expect(await resolutions().record({ orderId: 'ord_missing', paymentId: 'pay_missing' }, approved('return'))).toEqual({ recorded: false, attempt: undefined });
  });

  it('hands the result to the saga exactly once whichever of result and task token is written first', async () => {
    const wait = { taskToken: 'token-race', awaitingUntil: '2026-03-01T10:15:00.000Z' };
    // Checkout has described each attempt (the buyer only gets the payment page after that); no token yet.
    const races = await Promise.all(Array.from({ length: 12 }, async () => {
      const described = anAttempt({ taskToken: undefined, awaitingUntil: undefined });
      await repository.save(described);
      return { orderId: described.orderId, paymentId: described.paymentId };
    }));

    const outcomes = await Promise.all(races.map(async (ref, i) => {
      // Half the races start the token write first; dynalite serves both writes to each item one at a time.
      const [stored, recorded] = i % 2
        ? await Promise.all([resolutions().storeTaskToken(ref, wait, '2026-03-01T10:00:00.000Z'), resolutions().record(ref, approved('return'))])
        : await Promise.all([resolutions().record(ref, approved('return')), resolutions().storeTaskToken(ref, wait, '2026-03-01T10:00:00.000Z')]).then(([r, t]) => [t, r] as const);
      const recorderResumes = recorded.recorded && recorded.attempt?.taskToken === wait.taskToken;
      const sagaResumes = stored.resolution !== undefined;
      return { recorderResumes, sagaResumes };
    }));

    for (const { recorderResumes, sagaResumes } of outcomes) expect(recorderResumes !== sagaResumes).toBe(true);
    // Both orders happened, so both halves of the handshake were exercised.
    expect(outcomes.some((o) => o.recorderResumes) && outcomes.some((o) => o.sagaResumes)).toBe(true);
  });

  it('stores the task token on a pending attempt in one write that bumps its version, or creates the attempt at version 1', async () => {
    const described = anAttempt({ taskToken: undefined, awaitingUntil: undefined });
    await repository.save(described);
    const wait = { taskToken: 'token-2', awaitingUntil: '2026-03-01T10:20:00.000Z' };

    const onDescribed = await resolutions().storeTaskToken(described, wait, '2026-03-01T10:05:00.000Z');
    const fresh = await resolutions().storeTaskToken({ orderId: 'ord_fresh', paymentId: 'pay_fresh' }, wait, '2026-03-01T10:05:00.000Z');

    expect(onDescribed).toEqual({ ...described, ...wait, updatedAt: '2026-03-01T10:05:00.000Z', version: 2 });
    expect(fresh).toEqual({ orderId: 'ord_fresh', paymentId: 'pay_fresh', status: 'pending', ...wait, updatedAt: '2026-03-01T10:05:00.000Z', version: 1 });
  });

  it('refuses to store a task token on a settled attempt with ConflictError, changing nothing', async () => {
    const settled = anAttempt({ status: 'failed', failureCode: 'EXPIRED', taskToken: undefined, awaitingUntil: undefined });
    await repository.save(settled);

    await expect(resolutions().storeTaskToken(settled, { taskToken: 'late', awaitingUntil: '2026-03-01T10:20:00.000Z' }, '2026-03-01T10:05:00.000Z'))
      .rejects.toMatchObject({ name: 'ConflictError', message: expect.stringContaining('already failed') });
    expect(await repository.get(settled)).toEqual(settled);
  });
});
