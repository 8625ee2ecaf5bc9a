import type { SFNClient } from '@aws-sdk/client-sfn';
import { startNamedExecution } from '../../_platform/named-execution.sfn';
import { type PaymentSagaInput, type PaymentSagaStarter, SagaNotStartedError } from '../domain/ports';

/**
 * Starts the payment saga (a Standard state machine) named after the payment id (`startNamedExecution`): a repeat
 * resolves as started; a start the service refused, or that a lookup by name shows did not happen, throws
 * SagaNotStartedError; an unknown outcome throws the original error.
 */
export const sfnPaymentSagaStarter = (client: SFNClient, stateMachineArn: string): PaymentSagaStarter => ({
  async start(input: PaymentSagaInput): Promise<void> {
    const started = await startNamedExecution(client, stateMachineArn, input.paymentId, input);
    if (started.outcome === 'refused') throw new SagaNotStartedError(`payment saga ${input.paymentId} did not start`, { cause: started.cause });
  },
});
