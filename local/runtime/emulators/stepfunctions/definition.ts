/**
 * Checks that a state machine definition (already-resolved ASL JSON) is something the local engine runs faithfully,
 * and rewrites it into the form the engine is given.
 *
 * The rewrite gives every Task state to our own task handlers (see tasks.ts):
 * - `Parameters` becomes `{ parameters: <original Parameters>, "timeoutSeconds.$": <TimeoutSecondsPath>, … }`,
 *   so the engine still evaluates the template (paths, intrinsics, `$$.Task.Token`) and the dynamic limits against
 *   the state's input, and the handler receives both;
 * - TimeoutSeconds, TimeoutSecondsPath, HeartbeatSeconds and HeartbeatSecondsPath are enforced by the handler. The
 *   engine would otherwise apply a 60 s default to every task and ignores heartbeats;
 * - a Retry/Catch entry naming States.Timeout also names States.HeartbeatTimeout, because in AWS a heartbeat
 *   timeout is matched by both names.
 */
const validateAsl = require('asl-validator') as (
  definition: object,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** How a Task state's Resource is run. */
export type TaskKind =
  /** `arn:aws:states:::lambda:invoke`: Parameters carry FunctionName and Payload; the result is wrapped. */
  | 'lambda-invoke'
  /** `arn:aws:states:::lambda:invoke.waitForTaskToken`: invoke, then wait for SendTaskSuccess/Failure. */
  | 'lambda-callback'
  /** A Lambda function ARN: the state input is the event, the function's return value the result. */
  | 'lambda-function';

export interface TaskSpec {
  stateName: string;
  kind: TaskKind;
  resource: string;
  /** Static limits; the *Path variants arrive evaluated in the handler's input. */
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

/** What the engine hands a Task handler after evaluating the rewritten Parameters. */
export interface WrappedTaskInput {
  parameters: Json;
  timeoutSeconds?: Json;
  heartbeatSeconds?: Json;
}

export interface PreparedDefinition {
  /** The definition to give the engine. */
  engineDefinition: JsonObject;
  /** Every Task state, by name (ASL state names are unique across the whole machine, nested ones included). */
  tasks: Map<string, TaskSpec>;
}

/** Node's timers overflow above 2^31-1 ms (and then fire at once), so no engine timer may be set longer. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const LAMBDA_FUNCTION_ARN = /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;

const SUPPORTED =
  'The local runtime runs JSONPath definitions (Task, Pass, Choice, Wait, Succeed, Fail, Parallel, inline Map, ' +
  'Retry/Catch, intrinsic functions) without variables, with Task resources ' +
  `${LAMBDA_INVOKE}, ${LAMBDA_CALLBACK} and Lambda function ARNs.`;

/** Fields whose presence alone means a feature the engine lacks (it would ignore them silently). */
const UNSUPPORTED_FIELDS: Record<string, string> = {
  Assign: 'Assign (variables)',
  Arguments: 'Arguments (JSONata)',
  Output: 'Output (JSONata)',
  Items: 'Items (JSONata)',
  Credentials: 'Credentials (cross-account tasks)',
  ItemReader: 'ItemReader (Distributed Map)',
  ItemBatcher: 'ItemBatcher (Distributed Map)',
  ResultWriter: 'ResultWriter (Distributed Map)',
  ToleratedFailureCount: 'ToleratedFailureCount (Distributed Map)',
  ToleratedFailureCountPath: 'ToleratedFailureCountPath (Distributed Map)',
  ToleratedFailurePercentage: 'ToleratedFailurePercentage (Distributed Map)',
  ToleratedFailurePercentagePath: 'ToleratedFailurePercentagePath (Distributed Map)',
};

const PATH_FIELDS = [
  'InputPath',
  'OutputPath',
  'ResultPath',
  'ItemsPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'SecondsPath',
  'TimestampPath',
  'ErrorPath',
  'CausePath',
  'MaxConcurrencyPath',
];

/**
 * Validates `definition` (asl-validator, then the engine's gaps) and returns the engine form plus the Task states.
 * Throws an Error naming the machine, each offending state and feature, and what is supported.
 */
export function prepareDefinition(machineName: string, definition: object): PreparedDefinition {
  // A JSON copy, not structuredClone: the engine evaluates only objects whose prototype is its realm's
  // Object.prototype as payload templates, and structuredClone builds them in the main realm (jest runs in a vm).
  const original = asObject(JSON.parse(JSON.stringify(definition)) as Json, `State machine "${machineName}" definition`);

  const problems = [
    ...(original.QueryLanguage === 'JSONata' ? ['the machine sets QueryLanguage JSONata'] : []),
    ...statesProblems(original),
  ];
  if (problems.length > 0) {
    throw new Error(
      `State machine "${machineName}" cannot run locally: ${problems.join('; ')}. ${SUPPORTED}`,
    );
  }

  // asl-validator writes a default QueryLanguage into every state, so it gets its own copy.
  const validation = validateAsl(JSON.parse(JSON.stringify(original)), { checkPaths: true, checkArn: true });
  if (!validation.isValid) {
    throw new Error(`State machine "${machineName}" has an invalid definition: ${validation.errorsText('; ')}`);
  }

  const tasks = new Map<string, TaskSpec>();
  const engineDefinition: JsonObject = { ...original, States: engineStates(statesOf(original), tasks) };
  if (typeof original.TimeoutSeconds === 'number') {
    engineDefinition.TimeoutSeconds = Math.min(original.TimeoutSeconds, MAX_TIMER_SECONDS);
  }
  return { engineDefinition, tasks };
}

function statesProblems(machine: JsonObject): string[] {
  return Object.entries(statesOf(machine)).flatMap(([name, value]) => {
    const state = asObject(value, `State "${name}"`);
    return [...stateProblems(state).map((problem) => `state "${name}" uses ${problem}`), ...nestedProblems(state)];
  });
}

function nestedProblems(state: JsonObject): string[] {
  return subMachines(state).flatMap((machine) => [
    ...(machine.QueryLanguage === 'JSONata' ? ['a nested machine sets QueryLanguage JSONata'] : []),
    ...statesProblems(machine),
  ]);
}

function stateProblems(state: JsonObject): string[] {
  const problems: string[] = [];
  if (state.QueryLanguage === 'JSONata') problems.push('QueryLanguage JSONata');
  for (const [field, feature] of Object.entries(UNSUPPORTED_FIELDS)) if (field in state) problems.push(feature);

  const processor = isObject(state.ItemProcessor) ? state.ItemProcessor : undefined;
  if (isObject(processor?.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED') {
    problems.push('ItemProcessor Mode DISTRIBUTED (Distributed Map)');
  }
  for (const [list, feature] of [
    ['Catch', 'Assign in a Catch (variables)'],
    ['Choices', 'Assign in a Choice rule (variables)'],
  ] as const) {
    const entries = state[list];
    if (Array.isArray(entries) && entries.some((entry) => isObject(entry) && 'Assign' in entry)) problems.push(feature);
  }
  if (Array.isArray(state.Choices) && state.Choices.some((rule) => isObject(rule) && 'Condition' in rule)) {
    problems.push('Condition in a Choice rule (JSONata)');
  }

  const variablePaths = [
    ...PATH_FIELDS.map((field) => state[field]).filter((path): path is string => typeof path === 'string'),
    ...['Parameters', 'ResultSelector', 'ItemSelector'].flatMap((field) => templatePaths(state[field])),
    ...(Array.isArray(state.Choices) ? state.Choices.flatMap(choicePaths) : []),
  ].filter(usesVariable);
  if (variablePaths.length > 0) problems.push(`variables (${variablePaths.join(', ')})`);

  if (state.Type === 'Task') {
    const resource = state.Resource;
    if (typeof resource !== 'string' || !taskKind(resource)) {
      problems.push(`the Task resource ${JSON.stringify(resource)}`);
    } else if (resource === LAMBDA_INVOKE || resource === LAMBDA_CALLBACK) {
      const parameters = isObject(state.Parameters) ? state.Parameters : {};
      if (!('FunctionName' in parameters) && !('FunctionName.$' in parameters)) {
        problems.push(`${resource} without Parameters.FunctionName`);
      }
    }
  }
  return problems;
}

/** A JSONPath that reads a variable (`$name`) rather than the input (`$`, `$.x`, `$[0]`) or the context (`$$`). */
function usesVariable(path: string): boolean {
  return /^\$[A-Za-z_]/.test(path) || /[(,]\s*\$[A-Za-z_]/.test(path);
}

/** The path/intrinsic strings of a payload template (`"key.$": "..."`), at any depth. */
function templatePaths(template: Json | undefined): string[] {
  if (Array.isArray(template)) return template.flatMap(templatePaths);
  if (!isObject(template)) return [];
  return Object.entries(template).flatMap(([key, value]) =>
    key.endsWith('.$') && typeof value === 'string' ? [value] : templatePaths(value),
  );
}

function choicePaths(rule: Json): string[] {
  if (!isObject(rule)) return [];
  return Object.entries(rule).flatMap(([key, value]) => {
    if (typeof value === 'string' && (key === 'Variable' || key.endsWith('Path'))) return [value];
    if (key === 'And' || key === 'Or') return Array.isArray(value) ? value.flatMap(choicePaths) : [];
    if (key === 'Not') return choicePaths(value);
    return [];
  });
}

function taskKind(resource: string): TaskKind | undefined {
  if (resource === LAMBDA_INVOKE) return 'lambda-invoke';
  if (resource === LAMBDA_CALLBACK) return 'lambda-callback';
  if (LAMBDA_FUNCTION_ARN.test(resource)) return 'lambda-function';
  return undefined;
}

function engineStates(states: JsonObject, tasks: Map<string, TaskSpec>): JsonObject {
  return Object.fromEntries(
    Object.entries(states).map(([name, value]) => [name, engineState(name, value as JsonObject, tasks)]),
  );
}

function engineState(name: string, state: JsonObject, tasks: Map<string, TaskSpec>): JsonObject {
  if (state.Type === 'Task') return engineTask(name, state, tasks);
  if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
    return {
      ...state,
      Branches: state.Branches.map((branch) => {
        const machine = branch as JsonObject;
        return { ...machine, States: engineStates(statesOf(machine), tasks) };
      }),
    };
  }
  if (state.Type === 'Map') {
    const key = isObject(state.ItemProcessor) ? 'ItemProcessor' : 'Iterator';
    const machine = state[key] as JsonObject;
    return { ...state, [key]: { ...machine, States: engineStates(statesOf(machine), tasks) } };
  }
  return state;
}

function engineTask(stateName: string, state: JsonObject, tasks: Map<string, TaskSpec>): JsonObject {
  const { TimeoutSeconds, TimeoutSecondsPath, HeartbeatSeconds, HeartbeatSecondsPath, Parameters, ...rest } = state;
  const resource = state.Resource as string;
  tasks.set(stateName, {
    stateName,
    kind: taskKind(resource) as TaskKind,
    resource,
    timeoutSeconds: typeof TimeoutSeconds === 'number' ? TimeoutSeconds : undefined,
    heartbeatSeconds: typeof HeartbeatSeconds === 'number' ? HeartbeatSeconds : undefined,
  });

  const wrapped: JsonObject = Parameters === undefined ? { 'parameters.$': '$' } : { parameters: Parameters };
  if (typeof TimeoutSecondsPath === 'string') wrapped['timeoutSeconds.$'] = TimeoutSecondsPath;
  if (typeof HeartbeatSecondsPath === 'string') wrapped['heartbeatSeconds.$'] = HeartbeatSecondsPath;

  const engineTaskState: JsonObject = { ...rest, TimeoutSeconds: MAX_TIMER_SECONDS, Parameters: wrapped };
  if (HeartbeatSeconds !== undefined || HeartbeatSecondsPath !== undefined) {
    for (const field of ['Retry', 'Catch']) {
      const entries = rest[field];
      if (Array.isArray(entries)) engineTaskState[field] = entries.map(matchHeartbeatAsTimeout);
    }
  }
  return engineTaskState;
}

function matchHeartbeatAsTimeout(entry: Json): Json {
  if (!isObject(entry) || !Array.isArray(entry.ErrorEquals)) return entry;
  const errors = entry.ErrorEquals;
  if (!errors.includes('States.Timeout') || errors.includes('States.HeartbeatTimeout')) return entry;
  return { ...entry, ErrorEquals: [...errors, 'States.HeartbeatTimeout'] };
}

/** The branch / iterator machines of a Parallel or Map state. */
function subMachines(state: JsonObject): JsonObject[] {
  const machines: Json[] = [];
  if (Array.isArray(state.Branches)) machines.push(...state.Branches);
  if (isObject(state.Iterator)) machines.push(state.Iterator);
  if (isObject(state.ItemProcessor)) machines.push(state.ItemProcessor);
  return machines.filter(isObject);
}

function statesOf(machine: JsonObject): JsonObject {
  return isObject(machine.States) ? machine.States : {};
}

function asObject(value: Json, what: string): JsonObject {
  if (!isObject(value)) throw new Error(`${what} must be a JSON object`);
  return value;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
