// One Lambda execution environment: a worker thread that loads a function bundle once (the cold start) and then
// runs one invocation at a time for the pool in function-pool.ts. Plain JavaScript because worker threads run
// without tsx. The module lookup and the error names follow the Lambda Node.js runtime interface client.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { codeDir, handler: handlerString, functionName, functionVersion, invokedFunctionArn, memoryMb, enableSourceMaps } =
  workerData;

if (enableSourceMaps) process.setSourceMapsEnabled(true);

/** Extensions the Lambda runtime tries, in its order, for the module part of the handler string. */
const MODULE_EXTENSIONS = ['', '.js', '.mjs', '.cjs'];

let handlerPromise;
let currentInvocationId;

/** An error whose `name` is the errorType Lambda reports for it. */
class RuntimeError extends Error {
  constructor(name, message, stack) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

function toErrorReport(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

async function importUserModule() {
  const base = path.basename(handlerString);
  const moduleRoot = handlerString.slice(0, handlerString.length - base.length);
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (!match) throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const [, moduleName, functionPath] = match;
  const withoutExtension = path.resolve(codeDir, moduleRoot, moduleName);
  const file = MODULE_EXTENSIONS.map((ext) => withoutExtension + ext).find((candidate) => existsSync(candidate));
  if (!file) throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'`);
  let userModule;
  try {
    userModule = await import(pathToFileURL(file).href);
  } catch (err) {
    if (err instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', String(err), err.stack);
    if (err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', String(err), err.stack);
    }
    throw err;
  }
  const find = (root) => functionPath.split('.').reduce((obj, key) => (obj && typeof obj === 'object' ? obj[key] : undefined), root);
  const fn = find(userModule) ?? find(userModule.default);
  if (fn === undefined) throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof fn !== 'function') throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  return fn;
}

function createContext(awsRequestId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion,
    invokedFunctionArn,
    memoryLimitInMB: String(memoryMb),
    awsRequestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Async handlers return a promise; callback-style handlers (three parameters) answer through the callback. */
function callHandler(fn, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (err, result) => (err ? reject(err) : resolve(result));
    const returned = fn(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    else if (fn.length < 3) resolve(returned);
  });
}

/** Hands buffered console output to the parent first, so a function's log lines come before its result. */
function flushOutput() {
  return Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
}

async function invoke({ id, eventJson, awsRequestId, traceId, timeoutMs }) {
  currentInvocationId = id;
  let fn;
  try {
    handlerPromise ??= importUserModule();
    fn = await handlerPromise;
  } catch (err) {
    parentPort.postMessage({ type: 'result', id, ok: false, ...toErrorReport(err), discardSandbox: true });
    return;
  }
  // Lambda sets the trace header per invocation; Powertools Logger reads it for xray_trace_id.
  process.env._X_AMZN_TRACE_ID = traceId;
  parentPort.postMessage({ type: 'started', id });
  try {
    const result = await callHandler(fn, JSON.parse(eventJson), createContext(awsRequestId, timeoutMs));
    let payloadJson;
    try {
      payloadJson = JSON.stringify(result) ?? 'null';
    } catch (err) {
      throw new RuntimeError('Runtime.JSONStringifyError', `Unable to stringify response body: ${err.message}`);
    }
    await flushOutput();
    parentPort.postMessage({ type: 'result', id, ok: true, payloadJson });
  } catch (err) {
    await flushOutput();
    parentPort.postMessage({ type: 'result', id, ok: false, ...toErrorReport(err) });
  } finally {
    currentInvocationId = undefined;
  }
}

/** Like the Lambda runtime: an escaped error fails the running invocation and the environment is discarded. */
function failAndExit(report) {
  if (currentInvocationId !== undefined) {
    parentPort.postMessage({ type: 'result', id: currentInvocationId, ok: false, ...report, discardSandbox: true });
  }
  process.exit(1);
}

process.on('uncaughtException', (err) => failAndExit(toErrorReport(err)));
process.on('unhandledRejection', (reason) =>
  failAndExit({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: String(reason), trace: toErrorReport(reason).trace }),
);

parentPort.on('message', (message) => {
  if (message.type === 'invoke') void invoke(message);
});
