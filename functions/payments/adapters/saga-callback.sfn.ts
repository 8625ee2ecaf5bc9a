import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { SagaCallback } from '../domain/ports';

/** What Step Functions answers for a token whose task is no longer waiting (timed out, closed, or never ours). */
const TASK_GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** The SagaCallback on Step Functions: SendTaskSuccess with the result as the task's output. */
export const sfnSagaCallback = (client: SFNClient): SagaCallback => ({
  async resume(taskToken, result) {
    try {
      await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(result) }));
      return true;
    } catch (error) {
      if (error instanceof Error && TASK_GONE.has(error.name)) return false;
      throw error;
    }
  },
});
