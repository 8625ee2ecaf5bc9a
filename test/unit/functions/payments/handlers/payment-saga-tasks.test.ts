import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ValidationError } from '../../../../../functions/_platform/errors';
import { platformEnv, setEnv } from '../../../../support/env';
import { aLambdaContext } from '../../../../support/lambda-context';
import { captureLogs } from '../../../../support/log-capture';
import { sampleEvent } from '../../../../support/sample-event';


setEnv({
  ...platformEnv, POWERTOOLS_SERVICE_NAME: 'payments', AWS_REGION: 'us-east-1',
  ORDERS_TABLE: 'orders-table', CATALOG_TABLE: 'catalog-table', EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:events',
  PAYMENT_GATEWAYS: 'bkash,nagad', PAYMENT_GATEWAY_SECRETS: '{}', INTEGRATION_STATE_TABLE: 'state-table', AUDIT_TABLE: 'audit-table',
});
const awaitTask = require('../../../../../functions/payments/handlers/await-payment-result') as typeof import('../../../../../functions/payments/handlers/await-payment-result');
const confirmTask = require('../../../../../functions/payments/handlers/confirm-payment') as typeof import('../../../../../functions/payments/handlers/confirm-payment');
const compensateTask = require('../../../../../functions/payments/handlers/compensate-payment') as typeof import('../../../../../functions/payments/handlers/compensate-payment');

const documents = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
  documents.on(UpdateCommand).resolves({});
  documents.on(QueryCommand).resolves({ Items: [] });
  sns.on(PublishCommand).resolves({});
});
afterEach(() => {
  logs.stop();
  documents.reset();
  sns.reset();
});
afterAll(() => { documents.restore(); sns.restore(); });

const sample = { pk: 'ORDER#ord_01JD5Q7Y2X3W4V5U6T7S8R9Q0P', sk: 'PAYMENT#pay_01JD5Q7Y2X3W4V5U6T7S8R9Q0P_1', orderId: 'ord_01JD5Q7Y2X3W4V5U6T7S8R9Q0P', paymentId: 'pay_01JD5Q7Y2X3W4V5U6T7S8R9Q0P_1', updatedAt: '2026-03-01T10:00:00.000Z' };
/** The attempt as the token write returns it (ALL_NEW): pending, token stored, nothing recorded yet. */
const tokenStored = (taskToken: string) => ({ Attributes: { ...sample, status: 'pending', taskToken, awaitingUntil: '2026-03-01T10:15:00.000Z', version: 1 } });

describe('payment saga task handlers', () => {
  it('run the sample inputs in events/payments/*.sfn.json', async () => {
    documents.on(UpdateCommand).resolvesOnce(tokenStored('token'));
    expect(await awaitTask.handler(sampleEvent('payments/await-payment-result.sfn.json'), aLambdaContext())).toEqual({ stored: true, resumed: false });

    documents.on(GetCommand).resolves({ Item: { ...sample, status: 'pending', taskToken: 'token', version: 1 } });
    // No order in the (mocked) table: confirming has nothing to pay, compensating has no order to fail.
    await expect(confirmTask.handler(sampleEvent('payments/confirm-payment.sfn.json'), aLambdaContext())).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(await compensateTask.handler(sampleEvent('payments/compensate-payment.sfn.json'), aLambdaContext())).toMatchObject({ status: 'failed', failureCode: 'CANCELLED_BY_BUYER' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('await-payment-result stores the token in ORDERS_TABLE in one write and returns { stored: true, resumed: false }', async () => {
    documents.on(UpdateCommand).resolves(tokenStored('token-1'));

    const output = await awaitTask.handler({ taskToken: 'token-1', orderId: 'ord_1', paymentId: 'pay_1', timeoutSeconds: 60 }, aLambdaContext());

    expect(output).toEqual({ stored: true, resumed: false });
    const update = documents.commandCalls(UpdateCommand)[0].args[0].input;
    expect(update.TableName).toBe('orders-table');
    expect(Object.values(update.ExpressionAttributeValues ?? {})).toContain('token-1');
    expect(documents.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('throws a named error for the state machine, logged once at warn', async () => {
    documents.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    documents.on(GetCommand).resolves({ Item: { ...sample, status: 'failed', failureCode: 'EXPIRED', version: 2 } });

    const attempt = awaitTask.handler(sampleEvent('payments/await-payment-result.sfn.json'), aLambdaContext());

    await expect(attempt).rejects.toMatchObject({ name: 'ConflictError', code: 'CONFLICT' });
    expect(logs.logs().filter((line) => line.message === 'task failed')).toEqual([
      expect.objectContaining({ level: 'WARN', errorName: 'ConflictError' }),
    ]);
  });

  it('rejects an input that breaks the contract with ValidationError, listing every field, before touching the table', async () => {
    const attempt = awaitTask.handler({ orderId: '', timeoutSeconds: -1 }, aLambdaContext());

    const error: unknown = await attempt.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields.map((field) => field.path).sort()).toEqual([
      'input.orderId',
      'input.paymentId',
      'input.taskToken',
      'input.timeoutSeconds',
    ]);
    expect(documents.calls()).toHaveLength(0);
  });

  it('never logs the task token', async () => {
    documents.on(UpdateCommand).resolves(tokenStored('secret-token-xyz'));

    await awaitTask.handler({ taskToken: 'secret-token-xyz', orderId: 'ord_1', paymentId: 'pay_1', timeoutSeconds: 60 }, aLambdaContext());

    expect(JSON.stringify(logs.logs())).not.toContain('secret-token-xyz');
  });
});
