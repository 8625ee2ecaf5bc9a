import { DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

const isClientFault = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { $fault?: unknown }).$fault === 'client';

/** A Standard execution's ARN: the state machine's ARN with `execution` for `stateMachine`, then the name. */
const executionArnOf = (stateMachineArn: string, name: string): string => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * Starts a Standard execution named `name` (the name makes a repeat harmless) and says whether it runs:
 * - `started`: StartExecution succeeded, or ExecutionAlreadyExists (a retried start whose first answer was lost).
 * - `refused`: the service answered the caller's fault (invalid input, no such state machine, throttled), or a
 *   failed start's lookup by name found no execution: nothing runs.
 * Anything else (a 5xx or a lost connection whose lookup failed too) is thrown: the outcome is unknown.
 */
export const startNamedExecution = async (
  client: SFNClient,
  stateMachineArn: string,
  name: string,
  input: unknown,
): Promise<{ outcome: 'started' } | { outcome: 'refused'; cause: unknown }> => {
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return { outcome: 'started' };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return { outcome: 'started' };
    if (isClientFault(error)) return { outcome: 'refused', cause: error };
    try {
      await client.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name) }));
      return { outcome: 'started' };
    } catch (lookupError) {
      if (lookupError instanceof ExecutionDoesNotExist) return { outcome: 'refused', cause: error };
      throw error;
    }
  }
};
