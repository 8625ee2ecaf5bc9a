import { DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { type PaymentSagaInput, type PaymentSagaStarter, SagaNotStartedError } from '../domain/ports';

const isClientFault = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { $fault?: unknown }).$fault === 'client';

/** A Standard execution's ARN: the state machine's ARN with `execution` for `stateMachine`, then the name. */
const executionArnOf = (stateMachineArn: string, name: string): string => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * Starts the payment saga (a Standard state machine) with StartExecution, named after the payment id.
 * - ExecutionAlreadyExists: an execution of that name exists, i.e. this attempt's saga was started (a retried
 *   start whose first answer was lost). Resolves.
 * - Any other error the service answered as the caller's fault (invalid input, no such state machine, throttled):
 *   nothing started. Throws SagaNotStartedError.
 * - Anything else (a 5xx, a lost connection, after the SDK's own retries): the start may have been applied, so the
 *   execution is looked up by name. Found: resolves. ExecutionDoesNotExist: SagaNotStartedError. Otherwise the
 *   original error is thrown and the outcome stays unknown.
 */
export const sfnPaymentSagaStarter = (client: SFNClient, stateMachineArn: string): PaymentSagaStarter => ({
  async start(input: PaymentSagaInput): Promise<void> {
    try {
      await client.send(new StartExecutionCommand({ stateMachineArn, name: input.paymentId, input: JSON.stringify(input) }));
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return;
      if (isClientFault(error)) throw new SagaNotStartedError(`payment saga ${input.paymentId} was refused`, { cause: error });
      try {
        await client.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, input.paymentId) }));
      } catch (lookupError) {
        if (lookupError instanceof ExecutionDoesNotExist) {
          throw new SagaNotStartedError(`payment saga ${input.paymentId} did not start`, { cause: error });
        }
        throw error;
      }
    }
  },
});
