import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import type { InvokeResult } from '../../../../../local/runtime/contracts';
import {
  createStepFunctionsEmulator,
  type StepFunctionsEmulator,
} from '../../../../../local/runtime/emulators/stepfunctions';
import { LOCAL_CLIENT_CONFIG, serveAwsService, type ServedService } from './serve-aws-service';

const ACCOUNT_PREFIX = 'arn:aws:states:us-east-1:000000000000';
const functionArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const machineArn = (name: string) => `${ACCOUNT_PREFIX}:stateMachine:${name}`;

/** The Retry block CDK's LambdaInvoke adds to every task. */
const CDK_LAMBDA_RETRY = {
  ErrorEquals: [
    'Lambda.ClientExecutionTimeoutException',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
  ],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};

/** `new LambdaInvoke(…, { integrationPattern: WAIT_FOR_TASK_TOKEN, payload: { order, token: JsonPath.taskToken } })`. */
const chargeAndWait = (extra: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: {
    FunctionName: functionArn('charge'),
    Payload: { 'orderId.$': '$.orderId', 'token.$': '$$.Task.Token' },
  },
  ResultPath: '$.charge',
  Retry: [CDK_LAMBDA_RETRY],
  ...extra,
});

/** `new LambdaInvoke(…, { payloadResponseOnly: true, resultPath: '$.compensation' })`. */
const compensate = (next: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: functionArn('compensate'),
  ResultPath: '$.compensation',
  Retry: [CDK_LAMBDA_RETRY],
  ...next,
});

const FAIL_CHECKOUT = { Type: 'Fail', Error: 'CheckoutFailed', Cause: 'payment did not complete' };

/** `new LambdaInvoke(…, { outputPath: '$.Payload' })` with the default payload `$`. */
const fulfil = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionArn('fulfil'), 'Payload.$': '$' },
  OutputPath: '$.Payload',
  Retry: [CDK_LAMBDA_RETRY],
  End: true,
};

const MACHINES: Record<string, object> = {
  checkout: {
    StartAt: 'ChargeAndWait',
    States: {
      ChargeAndWait: chargeAndWait({
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Compensate' }],
        Next: 'Fulfil',
      }),
      Fulfil: fulfil,
      Compensate: compensate({ Next: 'Fail' }),
      Fail: FAIL_CHECKOUT,
    },
  },
  'checkout-with-deadline': {
    StartAt: 'ChargeAndWait',
    States: {
      ChargeAndWait: chargeAndWait({
        TimeoutSecondsPath: '$.paymentTimeoutSeconds',
        Catch: [
          // AWS's States.TaskFailed matches every error except timeouts, so a timeout falls through to the next one.
          { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Fail' },
          { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'Compensate' },
        ],
        Next: 'Fulfil',
      }),
      Fulfil: fulfil,
      Compensate: compensate({ End: true }),
      Fail: FAIL_CHECKOUT,
    },
  },
  'checkout-with-heartbeat': {
    StartAt: 'ChargeAndWait',
    States: {
      ChargeAndWait: chargeAndWait({
        HeartbeatSeconds: 1,
        TimeoutSeconds: 3600,
        Catch: [
          { ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.error', Next: 'Compensate' },
          { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'Fail' },
        ],
        Next: 'Fulfil',
      }),
      Fulfil: fulfil,
      Compensate: compensate({ End: true }),
      Fail: FAIL_CHECKOUT,
    },
  },
  'checkout-with-retry': {
    StartAt: 'ChargeAndWait',
    States: {
      ChargeAndWait: chargeAndWait({
        Retry: [{ ErrorEquals: ['Payment.Retryable'], IntervalSeconds: 1, MaxAttempts: 1 }, CDK_LAMBDA_RETRY],
        Next: 'Fulfil',
      }),
      Fulfil: fulfil,
    },
  },
  'call-provider': {
    StartAt: 'CallProvider',
    States: {
      CallProvider: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: functionArn('provider'), 'Payload.$': '$' },
        ResultSelector: { 'status.$': '$.Payload.status', 'statusCode.$': '$.StatusCode' },
        Retry: [{ ErrorEquals: ['ProviderRetryableError'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }, CDK_LAMBDA_RETRY],
        Catch: [{ ErrorEquals: ['ProviderTerminalError'], ResultPath: '$.error', Next: 'Compensate' }],
        End: true,
      },
      Compensate: compensate({ Next: 'Fail' }),
      Fail: FAIL_CHECKOUT,
    },
  },
  'pause-and-route': {
    StartAt: 'Route',
    States: {
      Route: {
        Type: 'Choice',
        Choices: [{ Variable: '$.delay', NumericGreaterThan: 0, Next: 'Pause' }],
        Default: 'Done',
      },
      Pause: { Type: 'Wait', SecondsPath: '$.delay', Next: 'Done' },
      Done: { Type: 'Pass', Parameters: { 'waited.$': '$.delay', 'id.$': '$$.Execution.Name' }, End: true },
    },
  },
  'fan-out': {
    StartAt: 'FanOut',
    States: {
      FanOut: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'DoubleEach',
            States: {
              DoubleEach: {
                Type: 'Map',
                ItemsPath: '$.values',
                ItemSelector: { 'value.$': '$$.Map.Item.Value' },
                ItemProcessor: {
                  ProcessorConfig: { Mode: 'INLINE' },
                  StartAt: 'Double',
                  States: { Double: { Type: 'Task', Resource: functionArn('double'), End: true } },
                },
                End: true,
              },
            },
          },
          { StartAt: 'Label', States: { Label: { Type: 'Pass', Result: 'doubled', End: true } } },
        ],
        End: true,
      },
    },
  },
  'with-execution-timeout': {
    TimeoutSeconds: 1,
    StartAt: 'ChargeAndWait',
    States: { ChargeAndWait: chargeAndWait({ End: true }) },
  },
};

interface Invocation {
  functionName: string;
  payload: Record<string, unknown>;
}

/** Stands in for the Lambda pool: records every call and answers per function. */
class FakeLambdas {
  readonly calls: Invocation[] = [];
  private readonly providerFailures: InvokeResult[] = [];

  /** Queues function errors the `provider` function returns before it succeeds. */
  failProviderWith(...failures: Array<{ errorType: string; errorMessage: string }>): void {
    this.providerFailures.push(...failures.map((failure) => ({ ok: false as const, trace: ['at provider'], ...failure })));
  }

  invoke = async (functionName: string, payload: unknown): Promise<InvokeResult> => {
    const event = payload as Record<string, unknown>;
    this.calls.push({ functionName, payload: event });
    switch (functionName) {
      case functionArn('charge'):
        return event.orderId === 'o-crash'
          ? { ok: false, errorType: 'ChargeCrashed', errorMessage: 'provider SDK threw' }
          : { ok: true, payload: null };
      case functionArn('fulfil'):
        return { ok: true, payload: { fulfilled: true, orderId: event.orderId, charge: event.charge } };
      case functionArn('compensate'):
        return { ok: true, payload: { refunded: true } };
      case functionArn('double'):
        return { ok: true, payload: Number(event.value) * 2 };
      case functionArn('provider'):
        return this.providerFailures.shift() ?? { ok: true, payload: { status: 'ACCEPTED' } };
      default:
        return { ok: false, errorType: 'ResourceNotFoundException', errorMessage: `no function ${functionName}` };
    }
  };

  callsTo(name: string): Invocation[] {
    return this.calls.filter((call) => call.functionName === functionArn(name));
  }

  /** The task tokens the `charge` function received for `orderId`, oldest first. */
  tokensFor(orderId: string): string[] {
    return this.callsTo('charge')
      .filter((call) => call.payload.orderId === orderId)
      .map((call) => String(call.payload.token));
  }
}

/** Polls until `isDone` holds; fails with the last value after 10 s. */
async function waitUntil<T>(probe: () => Promise<T> | T, isDone: (value: T) => boolean): Promise<T> {
  const giveUpAt = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (isDone(value)) return value;
    if (Date.now() > giveUpAt) throw new Error(`Condition not reached; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Step Functions emulator', () => {
  let lambdas: FakeLambdas;
  let emulator: StepFunctionsEmulator;
  let served: ServedService;
  let sfn: SFNClient;

  beforeAll(async () => {
    lambdas = new FakeLambdas();
    emulator = createStepFunctionsEmulator({ invoke: lambdas.invoke });
    for (const [name, definition] of Object.entries(MACHINES)) {
      emulator.createStateMachine({ name, arn: machineArn(name), definition, type: 'STANDARD' });
    }
    served = await serveAwsService(emulator);
    sfn = new SFNClient({ ...LOCAL_CLIENT_CONFIG, endpoint: served.url });
  });

  afterAll(async () => {
    await emulator?.stop();
    sfn?.destroy();
    await served?.close();
  });

  const start = async (machine: string, name: string, input: Record<string, unknown>) =>
    (await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn(machine), name, input: JSON.stringify(input) })))
      .executionArn as string;

  const describeExecution = (executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn }));

  const settled = (executionArn: string): Promise<DescribeExecutionCommandOutput> =>
    waitUntil(() => describeExecution(executionArn), (execution) => execution.status !== 'RUNNING');

  const tokenOf = async (orderId: string, attempt = 1): Promise<string> =>
    (await waitUntil(() => lambdas.tokensFor(orderId), (tokens) => tokens.length >= attempt))[attempt - 1];

  const historyTypes = async (executionArn: string): Promise<string[]> =>
    ((await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? []).map((event) => event.type as string);

  it('waits for SendTaskSuccess and passes its output on', async () => {
    const executionArn = await start('checkout', 'order-1', { orderId: 'o-1' });
    const token = await tokenOf('o-1');

    const running = await describeExecution(executionArn);
    expect(running.status).toBe('RUNNING');
    expect(running.startDate).toBeInstanceOf(Date);

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ chargeId: 'ch-1' }) }));
    const done = await settled(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toEqual({ fulfilled: true, orderId: 'o-1', charge: { chargeId: 'ch-1' } });
    expect(done.stopDate).toBeInstanceOf(Date);
    expect(lambdas.callsTo('charge').at(-1)?.payload).toEqual({ orderId: 'o-1', token });
  });

  it('records which states and tasks ran in the execution history', async () => {
    const executionArn = await start('checkout', 'order-history', { orderId: 'o-history' });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenOf('o-history'), output: '{}' }));
    await settled(executionArn);

    expect(await historyTypes(executionArn)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('rejects a token whose task already closed, and one it never issued', async () => {
    const executionArn = await start('checkout', 'order-reuse', { orderId: 'o-reuse' });
    const token = await tokenOf('o-reuse');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await settled(executionArn);

    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(
      TaskDoesNotExist,
    );
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'never-issued' }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it('routes SendTaskFailure through Catch into the compensation', async () => {
    const executionArn = await start('checkout', 'order-declined', { orderId: 'o-declined' });

    await sfn.send(
      new SendTaskFailureCommand({ taskToken: await tokenOf('o-declined'), error: 'Payment.Declined', cause: 'card declined' }),
    );
    const done = await settled(executionArn);

    expect(done).toMatchObject({ status: 'FAILED', error: 'CheckoutFailed', cause: 'payment did not complete' });
    expect(lambdas.callsTo('compensate').at(-1)?.payload).toEqual({
      orderId: 'o-declined',
      error: { Error: 'Payment.Declined', Cause: 'card declined' },
    });
    expect(await historyTypes(executionArn)).toEqual(
      expect.arrayContaining(['TaskFailed', 'LambdaFunctionScheduled', 'LambdaFunctionSucceeded', 'FailStateEntered', 'ExecutionFailed']),
    );
  });

  it('fails a callback task when its function fails, before any token comes back', async () => {
    const done = await settled(await start('checkout', 'order-crash', { orderId: 'o-crash' }));

    expect(done.status).toBe('FAILED');
    expect(lambdas.callsTo('compensate').at(-1)?.payload).toMatchObject({ error: { Error: 'ChargeCrashed' } });
  });

  it('times a callback task out after TimeoutSecondsPath and catches States.Timeout (not States.TaskFailed)', async () => {
    const executionArn = await start('checkout-with-deadline', 'order-slow', { orderId: 'o-slow', paymentTimeoutSeconds: 1 });
    const token = await tokenOf('o-slow');

    const done = await settled(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toMatchObject({
      error: { Error: 'States.Timeout' },
      compensation: { refunded: true },
    });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('keeps a callback task alive while heartbeats arrive within HeartbeatSeconds', async () => {
    const executionArn = await start('checkout-with-heartbeat', 'order-beating', { orderId: 'o-beating' });
    const token = await tokenOf('o-beating');

    // 1.4 s of heartbeats every 200 ms: longer than HeartbeatSeconds, never a 1 s gap.
    for (let beat = 0; beat < 7; beat++) {
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"chargeId":"ch-beat"}' }));

    expect((await settled(executionArn)).status).toBe('SUCCEEDED');
  });

  it('fails a callback task without heartbeats with States.HeartbeatTimeout', async () => {
    const executionArn = await start('checkout-with-heartbeat', 'order-silent', { orderId: 'o-silent' });
    const token = await tokenOf('o-silent');

    const done = await settled(executionArn);

    expect(JSON.parse(done.output as string)).toMatchObject({ error: { Error: 'States.HeartbeatTimeout' } });
    expect(await historyTypes(executionArn)).toContain('TaskTimedOut');
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('gives every retry attempt its own token and rejects the old one', async () => {
    const executionArn = await start('checkout-with-retry', 'order-retry', { orderId: 'o-retry' });
    const firstToken = await tokenOf('o-retry', 1);

    await sfn.send(new SendTaskFailureCommand({ taskToken: firstToken, error: 'Payment.Retryable', cause: 'try again' }));
    const secondToken = await tokenOf('o-retry', 2);

    expect(secondToken).not.toBe(firstToken);
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: firstToken, output: '{}' }))).rejects.toBeInstanceOf(
      TaskDoesNotExist,
    );
    await sfn.send(new SendTaskSuccessCommand({ taskToken: secondToken, output: '{"chargeId":"ch-2"}' }));
    const done = await settled(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toMatchObject({ charge: { chargeId: 'ch-2' } });
  });

  it('retries a Lambda error by its errorType and wraps the lambda:invoke result', async () => {
    lambdas.failProviderWith({ errorType: 'ProviderRetryableError', errorMessage: 'HTTP 503' });
    const before = lambdas.callsTo('provider').length;

    const done = await settled(await start('call-provider', 'call-retried', { orderId: 'o-call' }));

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toEqual({ status: 'ACCEPTED', statusCode: 200 });
    expect(lambdas.callsTo('provider').length - before).toBe(2);
  });

  it('passes a Lambda error to Catch with the error payload as cause', async () => {
    lambdas.failProviderWith({ errorType: 'ProviderTerminalError', errorMessage: 'card stolen' });

    const done = await settled(await start('call-provider', 'call-terminal', { orderId: 'o-terminal' }));

    expect(done.status).toBe('FAILED');
    const compensation = lambdas.callsTo('compensate').at(-1)?.payload as { error: { Error: string; Cause: string } };
    expect(compensation.error.Error).toBe('ProviderTerminalError');
    expect(JSON.parse(compensation.error.Cause)).toEqual({
      errorType: 'ProviderTerminalError',
      errorMessage: 'card stolen',
      trace: ['at provider'],
    });
  });

  it('treats StartExecution with the same name and input as the same start while it runs', async () => {
    const input = { orderId: 'o-twice' };
    const first = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: machineArn('checkout'), name: 'order-twice', input: JSON.stringify(input) }),
    );
    const again = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: machineArn('checkout'), name: 'order-twice', input: JSON.stringify(input) }),
    );

    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    await expect(start('checkout', 'order-twice', { orderId: 'other' })).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await tokenOf('o-twice');
    expect(lambdas.tokensFor('o-twice')).toHaveLength(1);
  });

  it('aborts with StopExecution and refuses the name afterwards', async () => {
    const executionArn = await start('checkout', 'order-stopped', { orderId: 'o-stopped' });
    const token = await tokenOf('o-stopped');

    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator.Cancelled', cause: 'customer called' }));

    expect(await describeExecution(executionArn)).toMatchObject({
      status: 'ABORTED',
      error: 'Operator.Cancelled',
      cause: 'customer called',
    });
    await expect(start('checkout', 'order-stopped', { orderId: 'o-stopped' })).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(
      TaskDoesNotExist,
    );
    const aborted = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn('checkout'), statusFilter: 'ABORTED' }),
    );
    expect(aborted.executions?.map((execution) => execution.name)).toEqual(['order-stopped']);
    expect(await historyTypes(executionArn)).toContain('ExecutionAborted');
  });

  it('times out the execution after its top-level TimeoutSeconds', async () => {
    const executionArn = await start('with-execution-timeout', 'order-expired', { orderId: 'o-expired' });

    const done = await settled(executionArn);

    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(await historyTypes(executionArn)).toContain('ExecutionTimedOut');
  });

  it('really waits in Wait states and evaluates Choice, Pass and the context object', async () => {
    const executionArn = await start('pause-and-route', 'pause-1', { delay: 1 });

    const done = await settled(executionArn);

    expect(JSON.parse(done.output as string)).toEqual({ waited: 1, id: 'pause-1' });
    const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    const at = (type: string) => events.find((event) => event.type === type)?.timestamp?.getTime() ?? NaN;
    expect(at('WaitStateExited') - at('WaitStateEntered')).toBeGreaterThanOrEqual(950);
  });

  it('runs Lambda tasks inside Map iterations and Parallel branches', async () => {
    const done = await settled(await start('fan-out', 'fan-out-1', { values: [1, 2, 3] }));

    expect(JSON.parse(done.output as string)).toEqual([[2, 4, 6], 'doubled']);
  });

  it('describes and lists the registered state machines', async () => {
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn('checkout') }));
    const listed = await sfn.send(new ListStateMachinesCommand({}));

    expect(described).toMatchObject({ name: 'checkout', type: 'STANDARD', status: 'ACTIVE' });
    expect(JSON.parse(described.definition as string)).toEqual(MACHINES.checkout);
    expect(listed.stateMachines?.map((machine) => machine.name)).toEqual(Object.keys(MACHINES));
  });

  it('answers ExecutionDoesNotExist for an unknown execution', async () => {
    await expect(describeExecution(`${ACCOUNT_PREFIX}:execution:checkout:nope`)).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });
});
