import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody, Fail, IntegrationPattern, JitterType, JsonPath, LogLevel, StateMachine, StateMachineType, Succeed,
  TaskInput, Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { CapabilityProps } from './capability';
import { ServiceFunction } from './service-function';

/** Errors a saga task throws when a retry may succeed (a provider 429/5xx that is known not to have applied). */
const RETRYABLE_ERRORS = ['ProviderRetryableError'];

/**
 * The payment saga: one Standard execution per payment attempt, named after it so a retried start cannot double it.
 *
 *   AwaitPaymentResult (task token, times out with the gateway session) → ConfirmPayment → PaymentSucceeded
 *   any failure or timeout ─Catch→ CompensatePayment → PaymentFailed
 *
 * The checkout handler creates the gateway session and starts the execution; the webhook/return handler verifies the
 * result and sends the task token back. The state machine, not the handlers, owns retry and compensation.
 */
export class Payments extends Construct {
  readonly stateMachine: StateMachine;
  readonly awaitResultFn: ServiceFunction;
  readonly confirmFn: ServiceFunction;
  readonly compensateFn: ServiceFunction;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id);
    const { config, data } = props;
    const sagaTask = (fnId: string, handler: string, description: string) =>
      new ServiceFunction(this, fnId, { config, capability: 'payments', handler, description, timeout: Duration.seconds(30) })
        .bindTable('ORDERS_TABLE', data.tables.orders, 'readWrite');
    this.awaitResultFn = sagaTask('AwaitPaymentResultFn', 'await-payment-result', 'Saga: stores the task token on the payment attempt');
    this.confirmFn = sagaTask('ConfirmPaymentFn', 'confirm-payment', 'Saga: marks the attempt succeeded');
    this.compensateFn = sagaTask('CompensatePaymentFn', 'compensate-payment', 'Saga: marks the attempt failed with its reason');

    const paymentFailed = new Fail(this, 'PaymentFailed', { error: 'PaymentFailed', cause: 'The payment attempt failed or expired; see the compensation output' });
    const compensate = new LambdaInvoke(this, 'CompensatePayment', {
      lambdaFunction: this.compensateFn,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({
        orderId: JsonPath.stringAt('$.orderId'),
        paymentId: JsonPath.stringAt('$.paymentId'),
        error: JsonPath.objectAt('$.error'),
      }),
      resultPath: '$.compensation',
      taskTimeout: Timeout.duration(Duration.seconds(60)),
    });
    // A compensation must not give up on a transient failure: retry longer than a forward step would.
    compensate.addRetry({ errors: [...RETRYABLE_ERRORS, 'States.Timeout'], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, maxDelay: Duration.seconds(60), jitterStrategy: JitterType.FULL });
    compensate.next(paymentFailed);

    const awaitResult = new LambdaInvoke(this, 'AwaitPaymentResult', {
      lambdaFunction: this.awaitResultFn,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        taskToken: JsonPath.taskToken,
        orderId: JsonPath.stringAt('$.orderId'),
        paymentId: JsonPath.stringAt('$.paymentId'),
        timeoutSeconds: JsonPath.numberAt('$.timeoutSeconds'),
      }),
      // The wait ends when the gateway session does: the checkout passes the session's lifetime in.
      taskTimeout: Timeout.at('$.timeoutSeconds'),
      resultPath: '$.result',
    });
    awaitResult.addCatch(compensate, { errors: ['States.ALL'], resultPath: '$.error' });

    const confirm = new LambdaInvoke(this, 'ConfirmPayment', {
      lambdaFunction: this.confirmFn,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({
        orderId: JsonPath.stringAt('$.orderId'),
        paymentId: JsonPath.stringAt('$.paymentId'),
        result: JsonPath.objectAt('$.result'),
      }),
      resultPath: '$.confirmation',
      taskTimeout: Timeout.duration(Duration.seconds(60)),
    });
    confirm.addRetry({ errors: RETRYABLE_ERRORS, interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2, maxDelay: Duration.seconds(20), jitterStrategy: JitterType.FULL });
    confirm.addCatch(compensate, { errors: ['States.ALL'], resultPath: '$.error' });

    const logs = new LogGroup(this, 'SagaLogs', { retention: config.logRetention, removalPolicy: config.removalPolicy });
    this.stateMachine = new StateMachine(this, 'PaymentSaga', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(awaitResult.next(confirm).next(new Succeed(this, 'PaymentSucceeded'))),
      timeout: Duration.days(2),
      tracingEnabled: true,
      // Execution data carries buyer details; log the state flow, not the payloads.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    for (const fn of [this.awaitResultFn, this.confirmFn, this.compensateFn]) {
      const logicalId = Stack.of(this).getLogicalId(fn.node.defaultChild as CfnFunction);
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: 'LambdaInvoke grants the function and its versions (<arn>:*); the saga invokes only these functions.',
      });
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs delivery actions support no resource-level permissions.',
    });
  }
}
