import { createStepFunctionsEmulator } from '../../../../../../local/runtime/emulators/stepfunctions';

const functionArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** Registers `definition` on a fresh emulator; returns the thrown message, or undefined when it was accepted. */
function register(definition: object): string | undefined {
  const emulator = createStepFunctionsEmulator({ invoke: async () => ({ ok: true, payload: null }) });
  try {
    emulator.createStateMachine({
      name: 'checkout',
      arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:checkout',
      definition,
      type: 'STANDARD',
    });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const lambdaTask = (extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionArn('charge'), 'Payload.$': '$' },
  End: true,
  ...extra,
});

describe('Step Functions createStateMachine', () => {
  it('accepts the shapes CDK emits: callback and plain Lambda tasks, Retry/Catch, Parallel, inline Map', () => {
    const message = register({
      StartAt: 'Charge',
      TimeoutSeconds: 3600,
      States: {
        Charge: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: functionArn('charge'), Payload: { 'token.$': '$$.Task.Token', 'order.$': '$' } },
          HeartbeatSeconds: 300,
          TimeoutSeconds: 3600,
          Retry: [{ ErrorEquals: ['ProviderRetryableError'], MaxDelaySeconds: 10, JitterStrategy: 'FULL' }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Compensate' }],
          Next: 'Fan',
        },
        Fan: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Notify', States: { Notify: lambdaTask() } }],
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Ship', States: { Ship: lambdaTask() } },
          End: true,
        },
        Compensate: { Type: 'Task', Resource: functionArn('refund'), Next: 'Failed' },
        Failed: { Type: 'Fail', Error: 'CheckoutFailed' },
      },
    });

    expect(message).toBeUndefined();
  });

  it('rejects JSONata and lists what the local runtime supports', () => {
    const message = register({
      QueryLanguage: 'JSONata',
      StartAt: 'Charge',
      States: { Charge: { Type: 'Pass', Output: '{% $states.input %}', End: true } },
    });

    expect(message).toContain('State machine "checkout" cannot run locally');
    expect(message).toContain('QueryLanguage JSONata');
    expect(message).toContain('state "Charge" uses Output (JSONata)');
    expect(message).toContain('arn:aws:states:::lambda:invoke.waitForTaskToken');
  });

  it('names the nested state that assigns or reads variables', () => {
    const message = register({
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Reserve',
              States: { Reserve: lambdaTask({ Assign: { reserved: true }, Next: 'Use' }), Use: lambdaTask({ Parameters: { FunctionName: functionArn('use'), 'Payload.$': '$reserved' } }) },
            },
          ],
          End: true,
        },
      },
    });

    expect(message).toContain('state "Reserve" uses Assign (variables)');
    expect(message).toContain('state "Use" uses variables ($reserved)');
  });

  it('rejects a Task resource other than Lambda, naming the state and the resource', () => {
    const message = register({
      StartAt: 'Save',
      States: {
        Save: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: { TableName: 'orders', Item: {} },
          End: true,
        },
      },
    });

    expect(message).toContain('state "Save" uses the Task resource "arn:aws:states:::dynamodb:putItem"');
    expect(message).toContain('Lambda function ARNs');
  });

  it('rejects a Distributed Map', () => {
    const message = register({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Ship', States: { Ship: lambdaTask() } },
          End: true,
        },
      },
    });

    expect(message).toContain('state "Each" uses ItemProcessor Mode DISTRIBUTED (Distributed Map)');
  });

  it('rejects lambda:invoke without a FunctionName', () => {
    const message = register({ StartAt: 'Charge', States: { Charge: lambdaTask({ Parameters: { 'Payload.$': '$' } }) } });

    expect(message).toContain('state "Charge" uses arn:aws:states:::lambda:invoke without Parameters.FunctionName');
  });

  it('reports asl-validator errors for an invalid definition', () => {
    const message = register({ StartAt: 'Charge', States: { Charge: lambdaTask({ End: undefined, Next: 'Missing' }) } });

    expect(message).toContain('State machine "checkout" has an invalid definition');
    expect(message).toContain('MISSING_TRANSITION_TARGET');
  });
});
