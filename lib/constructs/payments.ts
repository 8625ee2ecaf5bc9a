import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  Choice, Condition, DefinitionBody, Fail, IntegrationPattern, JitterType, JsonPath, LogLevel, Pass, StateMachine,
  StateMachineType, Succeed, TaskInput, Timeout, Wait, WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { CapabilityProps } from './capability';
import { ServiceFunction } from './service-function';

/** Errors a saga task throws when a retry may succeed (a provider 429/5xx that is known not to have applied). */
const RETRYABLE_ERRORS = ['ProviderRetryableError'];
/** Gateways the payments capability speaks to (their adapters are in functions/payments/gateways/). */
const PAYMENT_GATEWAYS = ['bkash', 'nagad'] as const;
type PaymentGateway = (typeof PAYMENT_GATEWAYS)[number];

/**
 * The payment saga: one Standard execution per payment attempt, named after it so a retried start cannot double it.
 *
 *   AwaitPaymentResult (task token; times out with the gateway session) → IsApproved
 *     └─ States.Timeout → QueryGatewayAfterTimeout (ask the gateway once: a lost result must not cancel a paid order) → IsApproved
 *   IsApproved: approved → CapturePayment → ConfirmPayment → PaymentSucceeded
 *               otherwise → PaymentNotApproved ($.error = Payment.NotApproved, the failure code as Cause) → CompensatePayment
 *   any other failure ─Catch→ CompensatePayment (refund a capture, release stock, fail attempt and order, payment.failed) → PaymentFailed
 *
 * The checkout handler creates the gateway session and starts the execution; the return (or webhook) handler verifies
 * the result with the gateway and sends the task token back. The state machine, not the handlers, owns retry and
 * compensation; gateway calls inside the tasks are made once (`maxRetries: 0`).
 */
export class Payments extends Construct {
  readonly stateMachine: StateMachine;
  readonly awaitResultFn: ServiceFunction;
  readonly queryAfterTimeoutFn: ServiceFunction;
  readonly captureFn: ServiceFunction;
  readonly confirmFn: ServiceFunction;
  readonly compensateFn: ServiceFunction;
  readonly paymentReturnFn: ServiceFunction;
  readonly bkashWebhookFn: ServiceFunction;
  readonly refundWorkflow: StateMachine;
  readonly settleRefundFn: ServiceFunction;
  readonly requestRefundFn: ServiceFunction;
  readonly cancelOrderFn: ServiceFunction;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id);
    const { config, data, api } = props;
    const stack = Stack.of(this);
    const gatewayEnvironment = (gateways: readonly PaymentGateway[]) => ({
      PAYMENT_GATEWAYS: gateways.join(','),
      PAYMENT_GATEWAY_SECRETS: stack.toJsonString(Object.fromEntries(gateways.map((g) => [g, data.providerSecrets[g].secretArn]))),
    });
    /** A function that calls `gateways` (all by default): their secrets, breaker state and audit trail. */
    const withGateways = (fn: ServiceFunction, gateways: readonly PaymentGateway[] = PAYMENT_GATEWAYS) => {
      fn.bindTable('INTEGRATION_STATE_TABLE', data.tables.integrationState, 'readWrite').bindTable('AUDIT_TABLE', data.tables.audit, 'readWrite');
      for (const [name, value] of Object.entries(gatewayEnvironment(gateways))) fn.addEnvironment(name, value);
      for (const gateway of gateways) data.providerSecrets[gateway].grantRead(fn);
      return fn;
    };

    this.awaitResultFn = new ServiceFunction(this, 'AwaitPaymentResultFn', {
      config, capability: 'payments', handler: 'await-payment-result', timeout: Duration.seconds(30),
      description: 'Saga: stores the task token on the payment attempt; sends a result recorded before it itself',
    }).bindTable('ORDERS_TABLE', data.tables.orders, 'readWrite');
    // Each step gets exactly what its handler's deps use (functions/payments/adapters/deps.ts).
    const sagaStep = (fnId: string, handler: string, description: string) =>
      new ServiceFunction(this, fnId, { config, capability: 'payments', handler, description, timeout: Duration.seconds(60) });
    this.queryAfterTimeoutFn = withGateways(sagaStep('QueryGatewayAfterTimeoutFn', 'query-gateway-after-timeout', 'Saga: asks the gateway once after the wait timed out'));
    this.captureFn = withGateways(sagaStep('CapturePaymentFn', 'capture-payment', 'Saga: moves the money of an approved payment (bKash execute)'));
    this.confirmFn = sagaStep('ConfirmPaymentFn', 'confirm-payment', 'Saga: attempt succeeded, order paid, order.paid published')
      .bindTable('ORDERS_TABLE', data.tables.orders, 'readWrite')
      .bindTopicPublisher('EVENTS_TOPIC_ARN', data.eventsTopic);
    this.compensateFn = withGateways(sagaStep('CompensatePaymentFn', 'compensate-payment', 'Saga: refunds a capture, releases stock, fails attempt and order, publishes payment.failed'))
      .bindTable('ORDERS_TABLE', data.tables.orders, 'readWrite')
      .bindTable('CATALOG_TABLE', data.tables.catalog, 'readWrite')
      .bindTopicPublisher('EVENTS_TOPIC_ARN', data.eventsTopic);

    const paymentFailed = new Fail(this, 'PaymentFailed', { error: 'PaymentFailed', cause: 'The payment attempt failed or expired; see the compensation output' });
    const compensate = new LambdaInvoke(this, 'CompensatePayment', {
      lambdaFunction: this.compensateFn,
      payloadResponseOnly: true,
      // No payload: the function gets the whole state (saga input, $.error, and $.capture when money moved; a path
      // that may be absent cannot be named in JSONPath Parameters).
      resultPath: '$.compensation',
      taskTimeout: Timeout.duration(Duration.seconds(90)),
    });
    // A compensation must not give up on a transient failure: retry longer than a forward step would.
    compensate.addRetry({ errors: [...RETRYABLE_ERRORS, 'States.Timeout'], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, maxDelay: Duration.seconds(60), jitterStrategy: JitterType.FULL });
    compensate.addRetry({ errors: ['ProviderIndeterminateError', 'ConcurrentUpdateError'], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, maxDelay: Duration.seconds(60), jitterStrategy: JitterType.FULL });
    compensate.next(paymentFailed);

    const sagaInput = {
      orderId: JsonPath.stringAt('$.orderId'),
      paymentId: JsonPath.stringAt('$.paymentId'),
      gateway: JsonPath.stringAt('$.gateway'),
      gatewayReference: JsonPath.stringAt('$.gatewayReference'),
      amount: JsonPath.objectAt('$.amount'),
    };
    const forwardTask = (taskId: string, fn: ServiceFunction, payload: TaskInput, resultPath: string) => {
      const task = new LambdaInvoke(this, taskId, { lambdaFunction: fn, payloadResponseOnly: true, payload, resultPath, taskTimeout: Timeout.duration(Duration.seconds(90)) });
      task.addCatch(compensate, { errors: ['States.ALL'], resultPath: '$.error' });
      return task;
    };

    const capture = forwardTask('CapturePayment', this.captureFn, TaskInput.fromObject(sagaInput), '$.capture');
    // Safe to repeat: the key is stable and the gateway answers a repeated capture "already completed".
    capture.addRetry({ errors: RETRYABLE_ERRORS, interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2, maxDelay: Duration.seconds(30), jitterStrategy: JitterType.FULL });
    const confirm = forwardTask('ConfirmPayment', this.confirmFn, TaskInput.fromObject({
      orderId: JsonPath.stringAt('$.orderId'),
      paymentId: JsonPath.stringAt('$.paymentId'),
      capture: JsonPath.objectAt('$.capture'),
    }), '$.confirmation');
    confirm.addRetry({ errors: [...RETRYABLE_ERRORS, 'ConcurrentUpdateError'], interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2, maxDelay: Duration.seconds(20), jitterStrategy: JitterType.FULL });
    capture.next(confirm).next(new Succeed(this, 'PaymentSucceeded'));

    const notApproved = new Pass(this, 'PaymentNotApproved', {
      parameters: { Error: 'Payment.NotApproved', Cause: JsonPath.stringAt('$.result.failureCode') },
      resultPath: '$.error',
    }).next(compensate);
    const isApproved = new Choice(this, 'IsApproved')
      .when(Condition.stringEquals('$.result.outcome', 'approved'), capture)
      .otherwise(notApproved);

    const queryAfterTimeout = forwardTask('QueryGatewayAfterTimeout', this.queryAfterTimeoutFn, TaskInput.fromObject(sagaInput), '$.result');
    queryAfterTimeout.addRetry({ errors: [...RETRYABLE_ERRORS, 'ProviderIndeterminateError'], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2, maxDelay: Duration.seconds(30), jitterStrategy: JitterType.FULL });
    queryAfterTimeout.next(isApproved);

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
    awaitResult.addCatch(queryAfterTimeout, { errors: ['States.Timeout'], resultPath: '$.timeout' });
    awaitResult.addCatch(compensate, { errors: ['States.ALL'], resultPath: '$.error' });

    const logs = new LogGroup(this, 'SagaLogs', { retention: config.logRetention, removalPolicy: config.removalPolicy });
    this.stateMachine = new StateMachine(this, 'PaymentSaga', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(awaitResult.next(isApproved)),
      timeout: Duration.days(2),
      tracingEnabled: true,
      // Execution data carries buyer details; log the state flow, not the payloads.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    for (const fn of [this.awaitResultFn, this.queryAfterTimeoutFn, this.captureFn, this.confirmFn, this.compensateFn]) {
      const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnFunction);
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: 'LambdaInvoke grants the function and its versions (<arn>:*); the saga invokes only these functions.',
      });
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs delivery actions support no resource-level permissions.',
    });

    this.paymentReturnFn = withGateways(
      new ServiceFunction(this, 'PaymentReturnFn', {
        config, capability: 'payments', handler: 'handle-payment-return', timeout: Duration.seconds(29),
        description: 'GET /v1/payments/{paymentId}/return: verifies the result with the gateway, resumes the saga, sends the buyer to the store',
      }).bindTable('ORDERS_TABLE', data.tables.orders, 'readWrite'),
    );
    api.addRoute({ method: 'GET', path: '/payments/{paymentId}/return', handler: this.paymentReturnFn, auth: 'none' });

    // bKash's IPN: only the bKash gateway and its secret (the IPN settings are in it).
    this.bkashWebhookFn = withGateways(
      new ServiceFunction(this, 'BkashWebhookFn', {
        config, capability: 'payments', handler: 'handle-bkash-webhook', timeout: Duration.seconds(29),
        description: 'POST /v1/webhooks/bkash: verifies the SNS-signed IPN, checks the payment with bKash, records it and resumes the saga',
      }).bindTable('ORDERS_TABLE', data.tables.orders, 'readWrite'),
      ['bkash'],
    );
    api.addRoute({ method: 'POST', path: '/webhooks/bkash', handler: this.bkashWebhookFn, auth: 'none' });

    this.settleRefundFn = withGateways(sagaStep('SettleRefundFn', 'settle-refund', 'Refund workflow: asks the gateway to refund (once) or about the refund, records the outcome, publishes refund.succeeded/failed'))
      .bindTable('ORDERS_TABLE', data.tables.orders, 'readWrite')
      .bindTopicPublisher('EVENTS_TOPIC_ARN', data.eventsTopic);
    this.refundWorkflow = this.buildRefundWorkflow(config);

    this.requestRefundFn = new ServiceFunction(this, 'RequestRefundFn', {
      config, capability: 'payments', handler: 'request-refund',
      description: 'POST /v1/orders/{orderId}/refunds: records a pending refund within what was captured, starts its workflow',
      environment: { REFUND_STATE_MACHINE_ARN: this.refundWorkflow.stateMachineArn },
    })
      .bindTable('ORDERS_TABLE', data.tables.orders, 'readWrite')
      .bindTable('IDEMPOTENCY_TABLE', data.tables.idempotency, 'readWrite');
    api.addRoute({ method: 'POST', path: '/orders/{orderId}/refunds', handler: this.requestRefundFn, auth: 'apiKey' });

    this.cancelOrderFn = new ServiceFunction(this, 'CancelOrderFn', {
      config, capability: 'payments', handler: 'cancel-order',
      description: 'POST /v1/orders/{orderId}/cancel: stops a pending payment or refunds a taken one, puts the stock back',
      environment: { REFUND_STATE_MACHINE_ARN: this.refundWorkflow.stateMachineArn },
    })
      .bindTable('ORDERS_TABLE', data.tables.orders, 'readWrite')
      .bindTable('CATALOG_TABLE', data.tables.catalog, 'readWrite')
      .bindTopicPublisher('EVENTS_TOPIC_ARN', data.eventsTopic);
    api.addRoute({ method: 'POST', path: '/orders/{orderId}/cancel', handler: this.cancelOrderFn, auth: 'apiKey' });
    // The buyer's return and bKash's IPN refund money a gateway took after the attempt had failed.
    for (const fn of [this.paymentReturnFn, this.bkashWebhookFn]) fn.addEnvironment('REFUND_STATE_MACHINE_ARN', this.refundWorkflow.stateMachineArn);
    for (const fn of [this.requestRefundFn, this.cancelOrderFn, this.paymentReturnFn, this.bkashWebhookFn]) this.refundWorkflow.grantStartExecution(fn);

    // SendTaskSuccess for the functions that resume the saga. A policy of its own, not the role's default policy:
    // the state machine depends on the await function (it invokes it), and the function on its default policy.
    for (const fn of [this.awaitResultFn, this.paymentReturnFn, this.bkashWebhookFn, this.cancelOrderFn]) {
      new Policy(this, `${fn.node.id}TaskResponse`, {
        statements: [new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [this.stateMachine.stateMachineArn] })],
      }).attachToRole(fn.serviceRole);
    }
  }

  /**
   * The refund workflow: one Standard execution per refund, named after it (a retried start cannot double it).
   *   SettleRefund (ask the gateway once, then its refund status; record the outcome) → IsSettled
   *   IsSettled: pending → WaitForGateway (the environment's poll interval) → SettleRefund; otherwise → RefundSettled
   * A refund not (yet) on its order is waited for briefly; if it never appears (its request lost the race for the
   * cap) the workflow ends without calling the gateway.
   */
  private buildRefundWorkflow(config: CapabilityProps['config']): StateMachine {
    const settle = new LambdaInvoke(this, 'SettleRefund', {
      lambdaFunction: this.settleRefundFn,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({ orderId: JsonPath.stringAt('$.orderId'), refundId: JsonPath.stringAt('$.refundId') }),
      taskTimeout: Timeout.duration(Duration.seconds(90)),
    });
    settle.addRetry({ errors: ['RefundNotRecordedError'], interval: Duration.seconds(1), maxAttempts: 4, backoffRate: 2 });
    settle.addRetry({ errors: [...RETRYABLE_ERRORS, 'ProviderIndeterminateError', 'ConcurrentUpdateError', 'States.Timeout'], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, maxDelay: Duration.seconds(60), jitterStrategy: JitterType.FULL });
    settle.addCatch(new Succeed(this, 'RefundNotRecorded', { comment: 'The refund request lost its race for the cap: nothing to refund' }), { errors: ['RefundNotRecordedError'] });
    const wait = new Wait(this, 'WaitForGateway', { time: WaitTime.duration(config.payments.refundStatusPollInterval) });
    const isSettled = new Choice(this, 'IsSettled')
      .when(Condition.stringEquals('$.status', 'pending'), wait.next(settle))
      .otherwise(new Succeed(this, 'RefundSettled'));
    const logs = new LogGroup(this, 'RefundWorkflowLogs', { retention: config.logRetention, removalPolicy: config.removalPolicy });
    const workflow = new StateMachine(this, 'RefundWorkflow', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(settle.next(isSettled)),
      timeout: Duration.days(14),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    const logicalId = Stack.of(this).getLogicalId(this.settleRefundFn.node.defaultChild as CfnFunction);
    Validations.of(workflow).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason: 'LambdaInvoke grants the function and its versions (<arn>:*); the workflow invokes only this function.',
    });
    Validations.of(workflow).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs delivery actions support no resource-level permissions.',
    });
    return workflow;
  }
}
