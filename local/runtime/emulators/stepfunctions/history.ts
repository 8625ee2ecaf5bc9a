/**
 * An execution's event history in GetExecutionHistory's shape. State and execution events come from the engine's
 * event log; Task/Lambda events are added by the task handlers, which the engine cannot see into.
 */
import type { EngineEvent } from './engine';

export interface HistoryEvent {
  /** Epoch seconds, as the awsJson protocol sends timestamps. */
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

export interface ExecutionFailure {
  error: string | null;
  cause: string | null;
}

const NOT_TRUNCATED = { truncated: false };

export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];

  /** Appends an event; its details go under `<type in camelCase>EventDetails` unless `detailsKey` says otherwise. */
  add(type: string, details?: Record<string, unknown>, detailsKey = `${type[0].toLowerCase()}${type.slice(1)}EventDetails`): void {
    const id = this.events.length + 1;
    const event: HistoryEvent = { timestamp: Date.now() / 1000, type, id, previousEventId: id - 1 };
    if (details) event[detailsKey] = withoutNulls(details);
    this.events.push(event);
  }

  /**
   * Records one engine event. `stopRequest` supplies StopExecution's error/cause for ExecutionAborted (the engine's
   * event has none). Retries and catches have no event of their own in AWS; they show as new Task events.
   */
  addEngineEvent(event: EngineEvent, roleArn: string, stopRequest: () => ExecutionFailure): void {
    switch (event.type) {
      case 'ExecutionStarted':
        this.add('ExecutionStarted', { input: JSON.stringify(event.input), inputDetails: NOT_TRUNCATED, roleArn });
        return;
      case 'StateEntered':
        this.add(`${event.state.type}StateEntered`, {
          name: event.state.name,
          input: JSON.stringify(event.state.input),
          inputDetails: NOT_TRUNCATED,
        }, 'stateEnteredEventDetails');
        return;
      case 'StateExited':
        this.add(`${event.state.type}StateExited`, {
          name: event.state.name,
          output: JSON.stringify(event.state.output ?? null),
          outputDetails: NOT_TRUNCATED,
        }, 'stateExitedEventDetails');
        return;
      case 'StateFailed':
        // Task failures are recorded by the task handler, with the resource; Choice/Fail failures end the execution.
        if (event.state.type === 'Map' || event.state.type === 'Parallel') this.add(`${event.state.type}StateFailed`);
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.add(event.type, { name: event.parentState.name, index: event.index });
        return;
      case 'ExecutionSucceeded':
        this.add('ExecutionSucceeded', { output: JSON.stringify(event.output), outputDetails: NOT_TRUNCATED });
        return;
      case 'ExecutionFailed':
        this.add('ExecutionFailed', { ...executionFailure(event.Error, event.Cause) });
        return;
      case 'ExecutionAborted':
        this.add('ExecutionAborted', { ...stopRequest() });
        return;
      case 'ExecutionTimeout':
        this.add('ExecutionTimedOut', { error: 'States.Timeout', cause: 'The execution ran longer than its TimeoutSeconds' });
        return;
      default:
        return;
    }
  }
}

/**
 * The execution-level error of a failed state. A heartbeat timeout is raised as States.HeartbeatTimeout so that
 * Retry/Catch can tell it apart, but AWS reports the task and the execution as failed with States.Timeout.
 */
export function executionFailure(error: unknown, cause: unknown): ExecutionFailure {
  const name = error === 'States.HeartbeatTimeout' ? 'States.Timeout' : error;
  return {
    error: typeof name === 'string' ? name : null,
    cause: typeof cause === 'string' || cause === null || cause === undefined ? (cause ?? null) : JSON.stringify(cause),
  };
}

function withoutNulls(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== null && value !== undefined));
}
