/**
 * Step Functions emulator (awsJson1_0, `X-Amz-Target: AWSStepFunctions.<Action>`) on top of the
 * aws-local-stepfunctions ASL engine. Lambda tasks run through the local `invoke`; callback tasks
 * (`lambda:invoke.waitForTaskToken`) wait for SendTaskSuccess / SendTaskFailure with a fresh token per attempt.
 *
 * Executions live in memory only: RUNNING executions (and their task tokens) do not survive a restart.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type AwsService, type InvokeFunction, type Stoppable } from '../contracts';
import { AwsServiceError, serveAwsJsonAction, targetAction } from './aws-protocol';
import { prepareDefinition, type Json, type TaskSpec } from './stepfunctions/definition';
import {
  captureTimeoutErrorClass,
  loadEngine,
  type EngineDefinition,
  type EngineEvent,
  type EngineStateMachine,
  type TimeoutErrorFactory,
} from './stepfunctions/engine';
import { ExecutionHistory, executionFailure, type ExecutionFailure, type HistoryEvent } from './stepfunctions/history';
import { TaskTokenRegistry } from './stepfunctions/task-tokens';
import { createTaskHandlers, runtimeError, taskError } from './stepfunctions/tasks';

const TARGET_PREFIX = 'AWSStepFunctions';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const ARN_PREFIX = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}`;
const DEFAULT_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/local-stepfunctions`;
/** AWS execution names: 1-80 characters, no whitespace, brackets, wildcards, special or control characters. */
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface LocalStateMachine {
  name: string;
  arn: string;
  /** Amazon States Language JSON with every intrinsic already resolved to local ARNs. */
  definition: object;
  type: StateMachineType;
  roleArn?: string;
}

export interface StepFunctionsEmulatorOptions {
  /** Runs Lambda tasks. */
  invoke: InvokeFunction;
  /** Receives one line per execution start/end and task failure; silent unless given. */
  log?: (line: string) => void;
}

export interface StepFunctionsEmulator extends AwsService, Stoppable {
  /**
   * Registers a state machine. Throws when the definition is invalid or uses something the local engine cannot run
   * (JSONata, variables, a Task resource other than Lambda …); the message names the state and the feature.
   */
  createStateMachine(machine: LocalStateMachine): void;
}

interface StateMachineRecord {
  name: string;
  arn: string;
  type: StateMachineType;
  roleArn: string;
  definition: string;
  creationDate: number;
  engine: EngineStateMachine;
  tasks: Map<string, TaskSpec>;
}

interface ExecutionRecord {
  arn: string;
  name: string;
  machine: StateMachineRecord;
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string | null;
  cause?: string | null;
  history: ExecutionHistory;
  abort: () => void;
}

type Request = Record<string, unknown>;

/** Creates the emulator; state machines are added with `createStateMachine`. */
export function createStepFunctionsEmulator(options: StepFunctionsEmulatorOptions): StepFunctionsEmulator {
  const log = options.log ?? (() => undefined);
  const machines = new Map<string, StateMachineRecord>();
  const executions = new Map<string, ExecutionRecord>();
  const tokens = new TaskTokenRegistry();
  const tokenPlaceholder = `local-task-token-placeholder-${randomUUID()}`;
  let timeoutErrorFactory: Promise<TimeoutErrorFactory> | undefined;

  const actions: Record<string, (input: Request) => unknown> = {
    StartExecution: (input) => startExecution(input),
    DescribeExecution: (input) => describeExecution(findExecution(input)),
    StopExecution: (input) => {
      const execution = findExecution(input);
      stopExecution(execution, {
        error: optionalString(input, 'error') ?? null,
        cause: optionalString(input, 'cause') ?? null,
      });
      return { stopDate: execution.stopDate };
    },
    ListExecutions: (input) => {
      const machine = findMachine(requiredString(input, 'stateMachineArn'));
      const statusFilter = optionalString(input, 'statusFilter');
      const matching = [...executions.values()]
        .filter((execution) => execution.machine === machine && (!statusFilter || execution.status === statusFilter))
        .sort((a, b) => b.startDate - a.startDate);
      const { items, nextToken } = paginate(matching, input);
      return { executions: items.map(executionListItem), nextToken };
    },
    GetExecutionHistory: (input) => {
      const events: HistoryEvent[] = [...findExecution(input).history.events];
      if (input.reverseOrder === true) events.reverse();
      const { items, nextToken } = paginate(events, input);
      return { events: items, nextToken };
    },
    DescribeStateMachine: (input) => {
      const machine = findMachine(requiredString(input, 'stateMachineArn'));
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: 'ACTIVE',
        definition: machine.definition,
        roleArn: machine.roleArn,
        type: machine.type,
        creationDate: machine.creationDate,
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },
    ListStateMachines: (input) => {
      const { items, nextToken } = paginate([...machines.values()], input);
      return {
        stateMachines: items.map((machine) => ({
          stateMachineArn: machine.arn,
          name: machine.name,
          type: machine.type,
          creationDate: machine.creationDate,
        })),
        nextToken,
      };
    },
    SendTaskSuccess: (input) => {
      tokens.succeed(requiredString(input, 'taskToken'), parseJson(requiredString(input, 'output'), 'InvalidOutput'));
      return {};
    },
    SendTaskFailure: (input) => {
      const error = optionalString(input, 'error') ?? null;
      tokens.fail(requiredString(input, 'taskToken'), taskError(error, optionalString(input, 'cause') ?? null));
      return {};
    },
    SendTaskHeartbeat: (input) => {
      tokens.heartbeat(requiredString(input, 'taskToken'));
      return {};
    },
  };

  async function startExecution(input: Request): Promise<unknown> {
    const machine = findMachine(requiredString(input, 'stateMachineArn'));
    const name = optionalString(input, 'name') ?? randomUUID();
    if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name)) throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = optionalString(input, 'input') ?? '{}';
    const inputValue = parseJson(inputText, 'InvalidExecutionInput');
    timeoutErrorFactory ??= captureTimeoutErrorClass();
    const timeoutError = await timeoutErrorFactory;

    // Names identify STANDARD executions: a repeat with the same input while RUNNING is the same start; any other
    // repeat is a conflict. EXPRESS executions get a unique ARN each time.
    const arn =
      machine.type === 'STANDARD'
        ? `${ARN_PREFIX}:execution:${machine.name}:${name}`
        : `${ARN_PREFIX}:express:${machine.name}:${name}:${randomUUID()}`;
    const existing = executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn: existing.arn, startDate: existing.startDate };
      }
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }

    const execution: ExecutionRecord = {
      arn,
      name,
      machine,
      input: inputText,
      status: 'RUNNING',
      startDate: Date.now() / 1000,
      history: new ExecutionHistory(),
      abort: () => undefined,
    };
    executions.set(arn, execution);
    const handlers = createTaskHandlers(machine.tasks, {
      executionArn: arn,
      isRunning: () => execution.status === 'RUNNING',
      invoke: options.invoke,
      tokens,
      timeoutError,
      tokenPlaceholder,
      history: execution.history,
      log,
    });
    const run = machine.engine.run(inputValue, {
      overrides: { taskResourceLocalHandlers: handlers },
      context: {
        Execution: { Id: arn, Name: name, RoleArn: machine.roleArn, RedriveCount: 0 },
        StateMachine: { Id: machine.arn, Name: machine.name },
        Task: { Token: tokenPlaceholder },
      },
    });
    execution.abort = run.abort;
    log(`[sfn] ${machine.name}/${name} started`);
    void recordHistory(execution, run.eventLogs);
    run.result.then(
      (output) => finish(execution, 'SUCCEEDED', { output: JSON.stringify(output) }),
      (error: unknown) => finishWithError(execution, error),
    );
    return { executionArn: arn, startDate: execution.startDate };
  }

  async function recordHistory(execution: ExecutionRecord, events: AsyncGenerator<EngineEvent>): Promise<void> {
    const stopRequest = () => ({ error: execution.error ?? null, cause: execution.cause ?? null });
    for await (const event of events) execution.history.addEngineEvent(event, execution.machine.roleArn, stopRequest);
  }

  function finishWithError(execution: ExecutionRecord, error: unknown): void {
    const { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError } = loadEngine();
    if (error instanceof ExecutionAbortedError) {
      finish(execution, 'ABORTED', {});
    } else if (error instanceof ExecutionTimeoutError) {
      finish(execution, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution ran longer than its TimeoutSeconds' });
    } else if (error instanceof ExecutionError && error.cause instanceof Error) {
      finish(execution, 'FAILED', executionFailure(error.cause.name, error.cause.message));
    } else {
      finish(execution, 'FAILED', { error: 'States.Runtime', cause: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Closes an execution once; a later outcome (the engine settling after StopExecution) is ignored. */
  function finish(
    execution: ExecutionRecord,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    outcome: { output?: string } & Partial<ExecutionFailure>,
  ): void {
    if (execution.status !== 'RUNNING') return;
    Object.assign(execution, { status, stopDate: Date.now() / 1000, ...outcome });
    tokens.closeOwner(execution.arn, runtimeError('The execution is no longer running'));
    const failure = execution.error ? `: ${execution.error}${execution.cause ? ` (${execution.cause})` : ''}` : '';
    log(`[sfn] ${execution.machine.name}/${execution.name} ${status}${failure}`);
  }

  function stopExecution(execution: ExecutionRecord, failure: ExecutionFailure): void {
    if (execution.status !== 'RUNNING') return;
    finish(execution, 'ABORTED', failure);
    execution.abort();
  }

  function findMachine(arn: string): StateMachineRecord {
    const machine = machines.get(arn);
    if (!machine) throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  function findExecution(input: Request): ExecutionRecord {
    const arn = requiredString(input, 'executionArn');
    const execution = executions.get(arn);
    if (!execution) throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  return {
    name: 'stepfunctions',
    matches: (req) => targetAction(req, TARGET_PREFIX) !== undefined,
    handle: (req: IncomingMessage, body: Buffer, res: ServerResponse) =>
      serveAwsJsonAction(req, body, res, {
        targetPrefix: TARGET_PREFIX,
        errorStyle: { contentType: CONTENT_TYPE },
        actions,
        unsupported: (action) => new AwsServiceError('UnknownOperationException', `The local Step Functions does not support ${action}`),
      }),
    createStateMachine: (machine) => {
      if (machines.has(machine.arn)) throw new Error(`State machine ${machine.arn} is already registered`);
      const { engineDefinition, tasks } = prepareDefinition(machine.name, machine.definition);
      let engine: EngineStateMachine;
      try {
        engine = new (loadEngine().StateMachine)(engineDefinition as unknown as EngineDefinition);
      } catch (error) {
        throw new Error(`State machine "${machine.name}" cannot run locally: ${(error as Error).message}`);
      }
      machines.set(machine.arn, {
        name: machine.name,
        arn: machine.arn,
        type: machine.type,
        roleArn: machine.roleArn ?? DEFAULT_ROLE_ARN,
        definition: JSON.stringify(machine.definition),
        creationDate: Date.now() / 1000,
        engine,
        tasks,
      });
    },
    stop: async () => {
      for (const execution of executions.values()) {
        stopExecution(execution, { error: 'Local.RuntimeStopped', cause: 'The local runtime stopped' });
      }
      tokens.closeAll(runtimeError('The local runtime stopped'));
    },
  };
}

function describeExecution(execution: ExecutionRecord): unknown {
  return {
    ...executionListItem(execution),
    input: execution.input,
    inputDetails: { included: true },
    output: execution.output,
    outputDetails: execution.output === undefined ? undefined : { included: true },
    error: execution.error ?? undefined,
    cause: execution.cause ?? undefined,
  };
}

function executionListItem(execution: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: execution.arn,
    stateMachineArn: execution.machine.arn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
    stopDate: execution.stopDate,
  };
}

/** NextToken is the index of the next item, opaque to clients. */
function paginate<T>(items: T[], input: Request): { items: T[]; nextToken?: string } {
  const start = typeof input.nextToken === 'string' ? Number.parseInt(input.nextToken, 10) || 0 : 0;
  const size = typeof input.maxResults === 'number' && input.maxResults > 0 ? input.maxResults : 100;
  const end = start + size;
  return { items: items.slice(start, end), nextToken: end < items.length ? String(end) : undefined };
}

function parseJson(text: string, errorCode: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new AwsServiceError(errorCode, `Invalid JSON: ${text.slice(0, 100)}`);
  }
}

function requiredString(input: Request, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') throw new AwsServiceError('ValidationException', `${field} is required`);
  return value;
}

function optionalString(input: Request, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsServiceError('ValidationException', `${field} must be a string`);
  return value;
}
