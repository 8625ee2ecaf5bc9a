/**
 * Loads aws-local-stepfunctions (the ASL interpreter) and the one engine class it does not export.
 * The package is dual CJS/ESM, so `require` works from our CommonJS output and under jest.
 */
import type * as Engine from 'aws-local-stepfunctions' with { 'resolution-mode': 'import' };

export type EngineStateMachine = Engine.StateMachine;
export type EngineDefinition = Engine.StateMachineDefinition;
export type EngineRunOptions = Engine.RunOptions;
export type EngineRun = ReturnType<EngineStateMachine['run']>;
export type EngineEvent = EngineRun['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;
export type EngineModule = typeof Engine;

/** Builds an error the engine treats as its own `States.Timeout` (see `captureTimeoutErrorClass`). */
export type TimeoutErrorFactory = (name: string, message: string) => Error;

type PromiseWithResolversConstructor = PromiseConstructor & {
  withResolvers?: <T>() => { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void };
};

let engine: EngineModule | undefined;

/** The engine module, loaded on first use (it pulls in the Lambda SDK client, about 100 ms). */
export function loadEngine(): EngineModule {
  if (!engine) {
    installPromiseWithResolvers();
    engine = require('aws-local-stepfunctions') as EngineModule;
  }
  return engine;
}

/**
 * The engine declares node >= 22 and its Task timeouts call `Promise.withResolvers` (Node 22+); without it every
 * Task fails on Node 20. Installed only where missing.
 */
function installPromiseWithResolvers(): void {
  const promise = Promise as PromiseWithResolversConstructor;
  if (typeof promise.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: <T>() => {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const settled = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise: settled, resolve, reject };
    },
  });
}

/**
 * `States.TaskFailed` must match every task error except timeouts. The engine implements that exclusion with
 * `instanceof StatesTimeoutError`, a class it does not export, so the timeouts we enforce ourselves (callback
 * deadlines, heartbeats, TimeoutSecondsPath) would be caught by `States.TaskFailed`. We capture the class once by
 * letting a throw-away one-state machine time out after 1 ms. Should a future engine change this, the fallback is a
 * plain error with the same name: everything but that exclusion still works.
 */
export async function captureTimeoutErrorClass(): Promise<TimeoutErrorFactory> {
  const { StateMachine, ExecutionError } = loadEngine();
  const probe = new StateMachine(
    {
      StartAt: 'Probe',
      States: { Probe: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:probe', TimeoutSeconds: 0.001, End: true } },
    },
    { validationOptions: { noValidate: true } },
  );
  const run = probe.run(null, {
    overrides: { taskResourceLocalHandlers: { Probe: () => new Promise<null>(() => undefined) } },
  });
  let timeoutClass: (new () => Error) | undefined;
  try {
    await run.result;
  } catch (error) {
    const cause = error instanceof ExecutionError ? error.cause : undefined;
    if (cause instanceof Error && cause.name === 'States.Timeout') timeoutClass = cause.constructor as new () => Error;
  }
  return (name, message) => {
    const error = timeoutClass ? new timeoutClass() : new Error();
    error.name = name;
    error.message = message;
    return error;
  };
}
