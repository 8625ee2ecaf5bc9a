import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { LOCAL_REGION, type InvokeResult } from '../contracts';

/** What the local runtime knows about one AWS::Lambda::Function. */
export interface FunctionDefinition {
  name: string;
  arn: string;
  /** Directory holding the bundle (cdk.out/asset.<hash>), e.g. index.mjs. */
  codeDir: string;
  /** Lambda handler string, e.g. 'index.handler'. */
  handler: string;
  /** The function's resolved environment plus what the caller adds (endpoints, credentials). */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /** Concurrent execution environments; invocations beyond them wait in a queue. Default 4. */
  maxInstances?: number;
  /** Receives every line the function prints, prefixed with `[name] `. Default: process.stdout. */
  log?: (line: string) => void;
}

export interface FunctionPoolStats {
  instances: number;
  busy: number;
  queued: number;
  invocations: number;
  coldStarts: number;
}

export interface FunctionPool {
  readonly name: string;
  readonly arn: string;
  /** Runs the function once with a JSON event, like a synchronous Lambda Invoke. */
  invoke(event: unknown): Promise<InvokeResult>;
  stats(): FunctionPoolStats;
  /** Terminates every execution environment; invocations still running resolve as failed. */
  stop(): Promise<void>;
}

/** Lambda's limit for a synchronous request and response payload. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Lambda gives the init phase (the bundle's top-level code) 10 s of its own. */
const INIT_TIMEOUT_MS = 10_000;
const WORKER_FILE = path.join(__dirname, 'worker.mjs');

interface PendingInvocation {
  eventJson: string;
  resolve: (result: InvokeResult) => void;
}

interface RunningInvocation extends PendingInvocation {
  id: number;
  awsRequestId: string;
  timer?: NodeJS.Timeout;
}

interface Instance {
  worker: Worker;
  initialized: boolean;
  running?: RunningInvocation;
  discarded: boolean;
}

type WorkerMessage =
  | { type: 'started'; id: number }
  | { type: 'result'; id: number; ok: true; payloadJson: string }
  | { type: 'result'; id: number; ok: false; errorType: string; errorMessage: string; trace: string[]; discardSandbox?: boolean };

/**
 * Starts a pool of execution environments for one function. Each environment is a worker thread with its own
 * `process.env`; it imports the bundle on its first invocation (cold start), then serves one invocation at a time
 * while it stays warm. A timed-out, crashed or failed-to-init environment is discarded, as Lambda does.
 */
export function createFunctionPool(def: FunctionDefinition): FunctionPool {
  const maxInstances = def.maxInstances ?? 4;
  const log = def.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const instances: Instance[] = [];
  const queue: PendingInvocation[] = [];
  let nextInvocationId = 1;
  let invocations = 0;
  let coldStarts = 0;
  let stopped = false;

  function spawn(): Instance {
    coldStarts += 1;
    const worker = new Worker(WORKER_FILE, {
      env: lambdaEnvironment(def),
      workerData: {
        codeDir: def.codeDir,
        handler: def.handler,
        functionName: def.name,
        functionVersion: '$LATEST',
        invokedFunctionArn: def.arn,
        memoryMb: def.memoryMb,
        enableSourceMaps: (def.environment.NODE_OPTIONS ?? '').includes('--enable-source-maps'),
      },
      // Keep the parent's loaders (tsx, jest) out of the function's thread.
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(def.memoryMb, 128) },
    });
    const instance: Instance = { worker, initialized: false, discarded: false };
    forwardLines(worker.stdout, `[${def.name}] `, log);
    forwardLines(worker.stderr, `[${def.name}] `, log);
    worker.on('message', (message: WorkerMessage) => onMessage(instance, message));
    worker.on('error', (err: NodeJS.ErrnoException) => {
      const requestId = instance.running?.awsRequestId;
      const outOfMemory = {
        errorType: 'Runtime.OutOfMemory',
        errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
      };
      const report = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory : errorReport(err);
      finish(instance, { ok: false, ...report }, true);
    });
    worker.on('exit', (code) => {
      const requestId = instance.running?.awsRequestId;
      finish(instance, {
        ok: false,
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
      }, true);
    });
    instances.push(instance);
    return instance;
  }

  function onMessage(instance: Instance, message: WorkerMessage): void {
    const running = instance.running;
    if (!running || running.id !== message.id) return;
    if (message.type === 'started') {
      instance.initialized = true;
      clearTimeout(running.timer);
      running.timer = setTimeout(() => {
        finish(instance, {
          ok: false,
          errorType: 'Sandbox.Timedout',
          errorMessage: `Task timed out after ${def.timeoutSeconds.toFixed(2)} seconds`,
        }, true);
      }, def.timeoutSeconds * 1000);
      return;
    }
    if (!message.ok) {
      const { errorType, errorMessage, trace } = message;
      finish(instance, { ok: false, errorType, errorMessage, trace }, message.discardSandbox === true);
    } else if (Buffer.byteLength(message.payloadJson) > MAX_PAYLOAD_BYTES) {
      finish(instance, {
        ok: false,
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`,
      }, false);
    } else {
      finish(instance, { ok: true, payload: JSON.parse(message.payloadJson) as unknown }, false);
    }
  }

  /** Settles the instance's running invocation (once) and frees or discards the instance. */
  function finish(instance: Instance, result: InvokeResult, discard: boolean): void {
    const running = instance.running;
    if (running) {
      clearTimeout(running.timer);
      instance.running = undefined;
      running.resolve(result);
    }
    if (discard && !instance.discarded) {
      instance.discarded = true;
      instances.splice(instances.indexOf(instance), 1);
      void instance.worker.terminate();
    }
    dispatch();
  }

  function dispatch(): void {
    while (!stopped && queue.length > 0) {
      const idle = instances.find((i) => !i.running && !i.discarded);
      const instance = idle ?? (instances.length < maxInstances ? spawn() : undefined);
      if (!instance) return;
      const pending = queue.shift() as PendingInvocation;
      const running: RunningInvocation = { ...pending, id: nextInvocationId++, awsRequestId: randomUUID() };
      instance.running = running;
      if (!instance.initialized) {
        running.timer = setTimeout(() => {
          finish(instance, {
            ok: false,
            errorType: 'Sandbox.Timedout',
            errorMessage: `Init timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
          }, true);
        }, INIT_TIMEOUT_MS);
      }
      instance.worker.postMessage({
        type: 'invoke',
        id: running.id,
        eventJson: running.eventJson,
        awsRequestId: running.awsRequestId,
        traceId: newTraceId(),
        timeoutMs: def.timeoutSeconds * 1000,
      });
    }
  }

  return {
    name: def.name,
    arn: def.arn,
    async invoke(event) {
      if (stopped) throw new Error(`function ${def.name} is stopped`);
      invocations += 1;
      // Lambda receives JSON: a JSON round trip drops what JSON cannot carry (undefined, functions, Dates as objects).
      const eventJson = JSON.stringify(event === undefined ? null : event);
      if (Buffer.byteLength(eventJson) > MAX_PAYLOAD_BYTES) {
        return {
          ok: false,
          errorType: 'RequestEntityTooLargeException',
          errorMessage: `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
        };
      }
      return new Promise<InvokeResult>((resolve) => {
        queue.push({ eventJson, resolve });
        dispatch();
      });
    },
    stats() {
      return {
        instances: instances.length,
        busy: instances.filter((i) => i.running).length,
        queued: queue.length,
        invocations,
        coldStarts,
      };
    },
    async stop() {
      stopped = true;
      const stopping = instances.splice(0);
      for (const pending of queue.splice(0)) {
        pending.resolve({ ok: false, errorType: 'Runtime.ExitError', errorMessage: 'The local runtime is stopping' });
      }
      for (const instance of stopping) {
        instance.discarded = true;
        finish(instance, { ok: false, errorType: 'Runtime.ExitError', errorMessage: 'The local runtime is stopping' }, false);
      }
      await Promise.all(stopping.map((instance) => instance.worker.terminate()));
    },
  };
}

/**
 * The environment Lambda gives a function: its configured variables plus the ones the service sets. Deliberately
 * without AWS_EXECUTION_ENV: with it, Powertools Tracer switches tracing on and the X-Ray SDK looks for a daemon
 * and a facade segment that do not exist here; without it, Tracer is a no-op (its documented behaviour outside Lambda).
 */
function lambdaEnvironment(def: FunctionDefinition): Record<string, string> {
  const logStream = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: 'UTC',
    // Lambda runs Node 22; the SDK's "Node 20 support ends" warning is an artifact of the local Node version.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...def.environment,
    AWS_LAMBDA_FUNCTION_NAME: def.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(def.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${def.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStream,
    // Powertools reads this for its cold-start flag (Logger cold_start, Metrics ColdStart).
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    LAMBDA_TASK_ROOT: def.codeDir,
    _HANDLER: def.handler,
  };
}

/** An X-Ray trace header like the one Lambda sets per invocation (not sampled: nothing collects traces here). */
function newTraceId(): string {
  const epochHex = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epochHex}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

function errorReport(err: Error): { errorType: string; errorMessage: string; trace: string[] } {
  return { errorType: err.name, errorMessage: err.message, trace: (err.stack ?? '').split('\n') };
}

function forwardLines(stream: Readable, prefix: string, log: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) log(prefix + line);
  });
  stream.on('end', () => {
    if (partial) log(prefix + partial);
  });
}
