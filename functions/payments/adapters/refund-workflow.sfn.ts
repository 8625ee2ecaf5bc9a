import type { SFNClient } from '@aws-sdk/client-sfn';
import { startNamedExecution } from '../../_platform/named-execution.sfn';
import { type RefundWorkflow, type RefundWorkflowInput, RefundNotStartedError } from '../domain/ports';

/** Starts the refund workflow named after the refund id (`startNamedExecution`: a repeat is harmless). */
export const sfnRefundWorkflow = (client: SFNClient, stateMachineArn: string): RefundWorkflow => ({
  async start(input: RefundWorkflowInput): Promise<void> {
    const started = await startNamedExecution(client, stateMachineArn, input.refundId, input);
    if (started.outcome === 'refused') throw new RefundNotStartedError(`refund workflow ${input.refundId} did not start`, { cause: started.cause });
  },
});
