import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig, eventually, localEndpoints, resource } from '../../support/local-stack';

const endpoints = localEndpoints();
const sfn = new SFNClient(awsClientConfig(endpoints));
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(endpoints, 'dynamodb')));
const stateMachineArn = resource(endpoints, 'Service/Payments/PaymentSaga').ref;
const ordersTable = resource(endpoints, 'Stateful/OrdersTable').ref;

/** A saga input for an attempt no checkout made (no order, a reference bKash does not know). */
const anAttempt = () => ({
  orderId: `ord_${randomUUID()}`,
  paymentId: `pay_${randomUUID()}`,
  gateway: 'bkash',
  gatewayReference: `TR-${randomUUID().slice(0, 8)}`,
  amount: { value: 70000, currency: 'BDT' },
  stockToRelease: [],
});
const attemptItem = async ({ orderId, paymentId }: { orderId: string; paymentId: string }) =>
  (await ddb.send(new GetCommand({ TableName: ordersTable, Key: { pk: `ORDER#${orderId}`, sk: `PAYMENT#${paymentId}` } }))).Item;
const finished = (executionArn: string) => eventually(async () => {
  const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  return execution.status === 'RUNNING' ? undefined : execution;
}, 'the execution to finish');
const statesEntered = async (executionArn: string) => {
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return (events ?? []).map((e) => e.stateEnteredEventDetails?.name).filter((name) => name !== undefined);
};

afterAll(() => { sfn.destroy(); ddb.destroy(); });

describe('the payment saga', () => {
  it('waits for its task token, and a failed outcome goes through PaymentNotApproved into the compensation', async () => {
    const attempt = anAttempt();
    const { executionArn } = await sfn.send(new StartExecutionCommand({
      stateMachineArn, name: attempt.paymentId, input: JSON.stringify({ ...attempt, timeoutSeconds: 60 }),
    }));
    const waiting = await eventually(async () => (await attemptItem(attempt))?.taskToken ? attemptItem(attempt) : undefined, 'the stored task token');
    expect(waiting).toMatchObject({ status: 'pending' });
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');

    await sfn.send(new SendTaskSuccessCommand({ taskToken: waiting!.taskToken, output: JSON.stringify({ outcome: 'failed', failureCode: 'DECLINED' }) }));

    const execution = await finished(executionArn!);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'PaymentFailed' });
    expect(await attemptItem(attempt)).toMatchObject({ status: 'failed', failureCode: 'DECLINED', stockReleased: true });
    expect((await attemptItem(attempt))?.taskToken).toBeUndefined();
    expect(await statesEntered(executionArn!)).toEqual(['AwaitPaymentResult', 'IsApproved', 'PaymentNotApproved', 'CompensatePayment', 'PaymentFailed']);
  });

  it('is started once per attempt: a retried start with the same name and input returns the same execution', async () => {
    const attempt = anAttempt();
    const start = () => sfn.send(new StartExecutionCommand({ stateMachineArn, name: attempt.paymentId, input: JSON.stringify({ ...attempt, timeoutSeconds: 60 }) }));
    const first = await start();
    const second = await start();
    expect(second.executionArn).toBe(first.executionArn);
  });

  it('asks the gateway after a timeout; a payment the gateway does not know is compensated, never captured', async () => {
    const attempt = anAttempt();
    const { executionArn } = await sfn.send(new StartExecutionCommand({
      stateMachineArn, name: attempt.paymentId, input: JSON.stringify({ ...attempt, timeoutSeconds: 1 }),
    }));
    const execution = await finished(executionArn!);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'PaymentFailed' });
    expect(await attemptItem(attempt)).toMatchObject({ status: 'failed' });
    const entered = await statesEntered(executionArn!);
    expect(entered.slice(0, 2)).toEqual(['AwaitPaymentResult', 'QueryGatewayAfterTimeout']);
    expect(entered).not.toContain('CapturePayment');
    expect(entered.slice(-2)).toEqual(['CompensatePayment', 'PaymentFailed']);
  });
});
