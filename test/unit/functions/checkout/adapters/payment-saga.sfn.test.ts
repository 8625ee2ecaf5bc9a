import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { sfnPaymentSagaStarter } from '../../../../../functions/checkout/adapters/payment-saga.sfn';
import { type PaymentSagaInput, SagaNotStartedError } from '../../../../../functions/checkout/domain/ports';
import { createStepFunctionsEmulator, type StepFunctionsEmulator } from '../../../../../local/runtime/emulators/stepfunctions';
import { LOCAL_CLIENT_CONFIG, serveAwsService, type ServedService } from '../../../local/runtime/emulators/serve-aws-service';

// StartExecution against the local runtime's Step Functions emulator with the real SDK (its name rules are AWS's);
// the outcomes it cannot produce (a 5xx after the request may have been applied) through a mocked client.
const MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:payment-saga';
// Stands in for the saga: it only has to stay RUNNING, as a saga waiting for its payment does.
const WAITING_MACHINE = { StartAt: 'AwaitPaymentResult', States: { AwaitPaymentResult: { Type: 'Wait', Seconds: 3600, End: true } } };

let emulator: StepFunctionsEmulator;
let served: ServedService;
let sfn: SFNClient;

let attempts = 0;
const anInput = (): PaymentSagaInput => {
  attempts += 1;
  const orderId = `ord_${String(attempts).padStart(26, '0')}`;
  return {
    orderId,
    paymentId: `pay_${String(attempts).padStart(26, '0')}_1`,
    gateway: 'bkash',
    gatewayReference: `TR00${attempts}`,
    timeoutSeconds: 900,
    amount: { value: 240000, currency: 'BDT' },
    stockToRelease: [{ sku: 'TSHIRT-RED-M', quantity: 2 }],
  };
};
const serverFault = () => Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });

beforeAll(async () => {
  emulator = createStepFunctionsEmulator({ invoke: async () => ({ ok: true, payload: null }) });
  emulator.createStateMachine({ name: 'payment-saga', arn: MACHINE_ARN, definition: WAITING_MACHINE, type: 'STANDARD' });
  served = await serveAwsService(emulator);
  sfn = new SFNClient({ ...LOCAL_CLIENT_CONFIG, endpoint: served.url });
});
afterAll(async () => {
  await emulator.stop();
  sfn.destroy();
  await served.close();
});

describe('the payment saga starter on Step Functions', () => {
  it('starts one execution named after the payment id, with the input as JSON', async () => {
    const input = anInput();

    await sfnPaymentSagaStarter(sfn, MACHINE_ARN).start(input);

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${input.paymentId}` }));
    expect(execution).toMatchObject({ name: input.paymentId, status: 'RUNNING' });
    expect(JSON.parse(execution.input ?? '')).toEqual(input);
  });

  it('treats an execution of the same name as started (a retried start), without a second one', async () => {
    const input = anInput();
    const starter = sfnPaymentSagaStarter(sfn, MACHINE_ARN);
    await starter.start(input);

    await expect(starter.start({ ...input, gatewayReference: 'TR-other' })).resolves.toBeUndefined();
    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN }));
    expect(executions?.filter((execution) => execution.name === input.paymentId)).toHaveLength(1);
  });

  it('throws SagaNotStartedError when the service refuses the start (no such state machine)', async () => {
    const starter = sfnPaymentSagaStarter(sfn, 'arn:aws:states:us-east-1:000000000000:stateMachine:missing');

    await expect(starter.start(anInput())).rejects.toBeInstanceOf(SagaNotStartedError);
  });

  describe('after an answer that leaves the outcome open (5xx, lost connection)', () => {
    const client = new SFNClient(LOCAL_CLIENT_CONFIG);
    const mocked = mockClient(client);
    afterEach(() => mocked.reset());
    afterAll(() => {
      mocked.restore();
      client.destroy();
    });

    it('looks the execution up by its ARN and resolves when it exists', async () => {
      const input = anInput();
      mocked.on(StartExecutionCommand).rejects(serverFault());
      mocked.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });

      await sfnPaymentSagaStarter(client, MACHINE_ARN).start(input);

      expect(mocked.commandCalls(DescribeExecutionCommand)[0].args[0].input).toEqual({
        executionArn: `arn:aws:states:us-east-1:000000000000:execution:payment-saga:${input.paymentId}`,
      });
    });

    it('throws SagaNotStartedError when the lookup finds no such execution', async () => {
      mocked.on(StartExecutionCommand).rejects(serverFault());
      mocked.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));

      await expect(sfnPaymentSagaStarter(client, MACHINE_ARN).start(anInput())).rejects.toBeInstanceOf(SagaNotStartedError);
    });

    it('throws the original error, not SagaNotStartedError, when the lookup fails too', async () => {
      const fault = serverFault();
      mocked.on(StartExecutionCommand).rejects(fault);
      mocked.on(DescribeExecutionCommand).rejects(serverFault());

      await expect(sfnPaymentSagaStarter(client, MACHINE_ARN).start(anInput())).rejects.toBe(fault);
    });
  });
});
