/**
 * The engine's Task state handlers (`overrides.taskResourceLocalHandlers`): they run Lambda tasks through the local
 * `invoke`, issue callback task tokens, enforce task timeouts and heartbeats, and shape results and errors like AWS:
 * - `lambda:invoke` results are wrapped as `{ ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode }`;
 * - a function error becomes a task error named after its errorType, with the error payload as JSON cause,
 *   so Retry/Catch on e.g. `ProviderRetryableError` match as in AWS.
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_REGION, type InvokeFunction, type InvokeResult } from '../../contracts';
import type { Json, JsonObject, TaskSpec, WrappedTaskInput } from './definition';
import type { TimeoutErrorFactory } from './engine';
import type { ExecutionHistory } from './history';
import { TaskDeadline, type DeadlineKind, type TaskLimits, type TaskTokenRegistry } from './task-tokens';

export type TaskHandler = (input: Json) => Promise<Json>;

/** What the handlers of one execution share. */
export interface TaskRunContext {
  executionArn: string;
  isRunning(): boolean;
  invoke: InvokeFunction;
  tokens: TaskTokenRegistry;
  timeoutError: TimeoutErrorFactory;
  /** The value `$$.Task.Token` evaluates to; replaced by each attempt's own token. */
  tokenPlaceholder: string;
  history: ExecutionHistory;
  log: (line: string) => void;
}

/** Builds one handler per Task state, for one execution. */
export function createTaskHandlers(tasks: Map<string, TaskSpec>, context: TaskRunContext): Record<string, TaskHandler> {
  return Object.fromEntries([...tasks.values()].map((spec) => [spec.stateName, (input: Json) => runTask(spec, input, context)]));
}

/**
 * An error as the engine sees a task failure: its name is the States error name Retry/Catch match, its message the
 * cause. SendTaskFailure may leave both out, which AWS reports as null.
 */
export function taskError(name: string | null, cause: string | null): Error {
  const error = new Error();
  Object.defineProperty(error, 'name', { value: name, enumerable: false, writable: true });
  Object.defineProperty(error, 'message', { value: cause, enumerable: false, writable: true });
  return error;
}

/** A States.Runtime error: the engine neither retries nor catches it, so the execution fails. */
export function runtimeError(message: string): Error {
  return Object.assign(taskError('States.Runtime', message), { isRetryable: false, isCatchable: false });
}

async function runTask(spec: TaskSpec, input: Json, context: TaskRunContext): Promise<Json> {
  // The engine hands us the state synchronously with its StateEntered event, which its async event log delivers a
  // few microtasks later; starting on the next macrotask keeps the history in order (entered, scheduled, …).
  await new Promise((resolve) => setImmediate(resolve));
  if (!context.isRunning()) throw runtimeError('The execution is no longer running');

  const wrapped = input as unknown as WrappedTaskInput;
  const limits: TaskLimits = {
    timeoutSeconds: spec.timeoutSeconds ?? positiveInteger(wrapped.timeoutSeconds, 'TimeoutSecondsPath', spec),
    heartbeatSeconds: spec.heartbeatSeconds ?? positiveInteger(wrapped.heartbeatSeconds, 'HeartbeatSecondsPath', spec),
  };
  const deadline = new TaskDeadline(limits, timeoutErrorFor(spec, context.timeoutError));
  const events = taskEvents(spec, context.history);
  try {
    const output =
      spec.kind === 'lambda-callback'
        ? await runCallbackTask(spec, wrapped.parameters, limits, deadline, events, context)
        : await runLambdaTask(spec, wrapped.parameters, limits, deadline, events, context);
    events.succeeded(output);
    return output;
  } catch (error) {
    const failure = error instanceof Error ? error : taskError('Lambda.Unknown', String(error));
    if (failure.name === 'States.Timeout' || failure.name === 'States.HeartbeatTimeout') events.timedOut(failure);
    else events.failed(failure);
    context.log(`[sfn] task ${spec.stateName} failed: ${failure.name}: ${failure.message}`);
    throw failure;
  } finally {
    deadline.clear();
  }
}

async function runLambdaTask(
  spec: TaskSpec,
  parameters: Json,
  limits: TaskLimits,
  deadline: TaskDeadline,
  events: TaskEvents,
  context: TaskRunContext,
): Promise<Json> {
  events.scheduled(parameters, limits);
  events.started();
  if (spec.kind === 'lambda-function') {
    return Promise.race([invokeLambda(context.invoke, spec.resource, parameters), deadline.expired]);
  }
  const request = invokeRequest(spec, parameters);
  if (request.asynchronous) {
    fireAndForget(request, context);
    return invokeResponse('', 202);
  }
  const payload = await Promise.race([invokeLambda(context.invoke, request.functionName, request.payload), deadline.expired]);
  return invokeResponse(payload, 200);
}

/**
 * `lambda:invoke.waitForTaskToken`: the token is issued before the function runs (it may call SendTaskSuccess
 * before its invocation returns); the task's result is SendTaskSuccess's output. A failing invocation fails the task.
 */
async function runCallbackTask(
  spec: TaskSpec,
  parameters: Json,
  limits: TaskLimits,
  deadline: TaskDeadline,
  events: TaskEvents,
  context: TaskRunContext,
): Promise<Json> {
  const checked = invokeRequest(spec, parameters);
  const { token, outcome } = context.tokens.issue(context.executionArn, deadline);
  const request = { ...checked, payload: replaceText(checked.payload, context.tokenPlaceholder, token) };
  events.scheduled(replaceText(parameters, context.tokenPlaceholder, token), limits);
  events.started();
  context.log(`[sfn] task ${spec.stateName} invoked ${request.functionName}, waiting for its task token`);

  if (request.asynchronous) {
    fireAndForget(request, context);
    events.submitted(invokeResponse('', 202));
  } else {
    invokeLambda(context.invoke, request.functionName, request.payload).then(
      (payload) => {
        if (context.tokens.isOpen(token)) events.submitted(invokeResponse(payload, 200));
      },
      (error: Error) => context.tokens.abandon(token, error),
    );
  }
  return outcome;
}

interface InvokeRequest {
  functionName: string;
  payload: Json;
  /** InvocationType Event: Lambda answers 202 at once and the function's own failure does not fail the task. */
  asynchronous: boolean;
}

function invokeRequest(spec: TaskSpec, parameters: Json): InvokeRequest {
  const fields: JsonObject = typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters) ? parameters : {};
  if (typeof fields.FunctionName !== 'string') {
    throw runtimeError(`Task "${spec.stateName}": Parameters.FunctionName did not evaluate to a string`);
  }
  return {
    functionName: fields.FunctionName,
    payload: fields.Payload ?? {},
    asynchronous: fields.InvocationType === 'Event',
  };
}

function fireAndForget(request: InvokeRequest, context: TaskRunContext): void {
  invokeLambda(context.invoke, request.functionName, request.payload).catch((error: Error) =>
    context.log(`[sfn] asynchronous invocation of ${request.functionName} failed: ${error.name}: ${error.message}`),
  );
}

/** Invokes a function and returns its result, or throws the task error AWS would report for its failure. */
async function invokeLambda(invoke: InvokeFunction, functionName: string, payload: Json): Promise<Json> {
  let result: InvokeResult;
  try {
    result = await invoke(functionName, payload);
  } catch (error) {
    // No function error payload came back (AWS's case for a crashed runtime).
    throw taskError('Lambda.Unknown', error instanceof Error ? error.message : String(error));
  }
  if (!result.ok) {
    const { errorType, errorMessage, trace } = result;
    throw taskError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
  }
  return JSON.parse(JSON.stringify(result.payload ?? null)) as Json;
}

/** The `lambda:invoke` integration's result: Lambda's Invoke response as the Java SDK inside Step Functions saw it. */
function invokeResponse(payload: Json, statusCode: 200 | 202): JsonObject {
  const requestId = randomUUID();
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Date: new Date().toUTCString(),
    'x-amzn-RequestId': requestId,
    ...(statusCode === 200 && { 'X-Amz-Executed-Version': '$LATEST' }),
  };
  return {
    ...(statusCode === 200 && { ExecutedVersion: '$LATEST' }),
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: statusCode,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: statusCode,
  };
}

function timeoutErrorFor(spec: TaskSpec, timeoutError: TimeoutErrorFactory): (kind: DeadlineKind, seconds: number) => Error {
  return (kind, seconds) =>
    kind === 'timeout'
      ? timeoutError('States.Timeout', `Task "${spec.stateName}" timed out after ${seconds} s`)
      : timeoutError('States.HeartbeatTimeout', `Task "${spec.stateName}" got no heartbeat for ${seconds} s`);
}

function positiveInteger(value: Json | undefined, field: string, spec: TaskSpec): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw runtimeError(`Task "${spec.stateName}": ${field} evaluated to ${JSON.stringify(value)}, expected an integer >= 1`);
  }
  return value;
}

/** Replaces `search` inside every string of a JSON value. */
function replaceText(value: Json, search: string, replacement: string): Json {
  if (typeof value === 'string') return value.split(search).join(replacement);
  if (Array.isArray(value)) return value.map((item) => replaceText(item, search, replacement));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceText(item, search, replacement)]));
  }
  return value;
}

interface TaskEvents {
  scheduled(parameters: Json, limits: TaskLimits): void;
  started(): void;
  submitted(output: Json): void;
  succeeded(output: Json): void;
  failed(error: Error): void;
  timedOut(error: Error): void;
}

/** Task* events for service integrations, LambdaFunction* events for a bare function ARN, as AWS records them. */
function taskEvents(spec: TaskSpec, history: ExecutionHistory): TaskEvents {
  const failure = (error: Error) => ({ error: error.name, cause: error.message });
  if (spec.kind === 'lambda-function') {
    return {
      scheduled: (input, limits) =>
        history.add('LambdaFunctionScheduled', {
          resource: spec.resource,
          input: JSON.stringify(input),
          inputDetails: { truncated: false },
          timeoutInSeconds: limits.timeoutSeconds,
        }),
      started: () => history.add('LambdaFunctionStarted'),
      submitted: () => undefined,
      succeeded: (output) =>
        history.add('LambdaFunctionSucceeded', { output: JSON.stringify(output), outputDetails: { truncated: false } }),
      failed: (error) => history.add('LambdaFunctionFailed', failure(error)),
      timedOut: (error) => history.add('LambdaFunctionTimedOut', { ...failure(error), error: 'States.Timeout' }),
    };
  }
  const resource = spec.kind === 'lambda-callback' ? 'invoke.waitForTaskToken' : 'invoke';
  const where = { resourceType: 'lambda', resource };
  return {
    scheduled: (parameters, limits) =>
      history.add('TaskScheduled', {
        ...where,
        region: LOCAL_REGION,
        parameters: JSON.stringify(parameters),
        timeoutInSeconds: limits.timeoutSeconds,
        heartbeatInSeconds: limits.heartbeatSeconds,
      }),
    started: () => history.add('TaskStarted', where),
    submitted: (output) =>
      history.add('TaskSubmitted', { ...where, output: JSON.stringify(output), outputDetails: { truncated: false } }),
    succeeded: (output) =>
      history.add('TaskSucceeded', { ...where, output: JSON.stringify(output), outputDetails: { truncated: false } }),
    failed: (error) => history.add('TaskFailed', { ...where, ...failure(error) }),
    timedOut: (error) => history.add('TaskTimedOut', { ...where, ...failure(error), error: 'States.Timeout' }),
  };
}
