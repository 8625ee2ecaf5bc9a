import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFunctionPool, type FunctionDefinition, type FunctionPool } from '../../../../../local/runtime/lambda/function-pool';

const root = mkdtempSync(path.join(tmpdir(), 'function-pool-'));
const pools: FunctionPool[] = [];

/** Writes `source` as <tmp>/<name>/index.mjs, the shape of a NodejsFunction asset. */
function bundle(name: string, source: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.mjs'), source);
  return dir;
}

function pool(name: string, source: string, overrides: Partial<FunctionDefinition> = {}): FunctionPool {
  const created = createFunctionPool({
    name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    codeDir: bundle(name, source),
    handler: 'index.handler',
    environment: {},
    timeoutSeconds: 3,
    memoryMb: 256,
    log: () => undefined,
    ...overrides,
  });
  pools.push(created);
  return created;
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

afterAll(async () => {
  await Promise.all(pools.map((p) => p.stop()));
  rmSync(root, { recursive: true, force: true });
});

const ENV_HANDLER = `
export const handler = async (event, context) => ({
  greeting: process.env.GREETING,
  parentOnly: process.env.PARENT_ONLY_MARKER ?? null,
  lambda: {
    name: process.env.AWS_LAMBDA_FUNCTION_NAME,
    version: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    region: process.env.AWS_REGION,
    handler: process.env._HANDLER,
    executionEnv: process.env.AWS_EXECUTION_ENV ?? null,
  },
  context: {
    functionName: context.functionName,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    awsRequestId: context.awsRequestId,
    logGroupName: context.logGroupName,
    remaining: context.getRemainingTimeInMillis(),
  },
});`;

describe('createFunctionPool', () => {
  it('gives each function its own environment and a Lambda-shaped context', async () => {
    process.env.PARENT_ONLY_MARKER = 'parent';
    const hello = pool('HelloFn', ENV_HANDLER, { environment: { GREETING: 'hello' } });
    const hola = pool('HolaFn', ENV_HANDLER, { environment: { GREETING: 'hola' }, memoryMb: 512 });
    const [a, b] = await Promise.all([hello.invoke({}), hola.invoke({})]);
    delete process.env.PARENT_ONLY_MARKER;

    expect(a).toMatchObject({
      ok: true,
      payload: {
        greeting: 'hello',
        parentOnly: null,
        lambda: { name: 'HelloFn', version: '$LATEST', memory: '256', region: 'us-east-1', handler: 'index.handler', executionEnv: null },
        context: {
          functionName: 'HelloFn',
          invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:HelloFn',
          memoryLimitInMB: '256',
          logGroupName: '/aws/lambda/HelloFn',
        },
      },
    });
    expect(b).toMatchObject({ ok: true, payload: { greeting: 'hola', lambda: { name: 'HolaFn', memory: '512' } } });
    const context = (a as { payload: { context: { awsRequestId: string; remaining: number } } }).payload.context;
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.remaining).toBeGreaterThan(0);
    expect(context.remaining).toBeLessThanOrEqual(3000);
  });

  it('keeps module state in a warm instance between invocations', async () => {
    const counter = pool('CounterFn', 'let calls = 0; export const handler = async () => ++calls;');
    expect(await counter.invoke({})).toEqual({ ok: true, payload: 1 });
    expect(await counter.invoke({})).toEqual({ ok: true, payload: 2 });
    expect(counter.stats()).toMatchObject({ instances: 1, coldStarts: 1, invocations: 2 });
  });

  it('spawns instances up to maxInstances and queues further invocations', async () => {
    const slow = pool(
      'SlowFn',
      `const instanceId = Math.random().toString(36).slice(2);
       export const handler = async () => { await new Promise((r) => setTimeout(r, 200)); return instanceId; };`,
      { maxInstances: 2 },
    );
    const invocations = Array.from({ length: 5 }, () => slow.invoke({}));
    expect(slow.stats()).toMatchObject({ instances: 2, busy: 2, queued: 3 });

    const results = await Promise.all(invocations);
    const instanceIds = new Set(results.map((r) => (r.ok ? r.payload : r.errorType)));
    expect(instanceIds.size).toBe(2);
    expect(slow.stats()).toMatchObject({ instances: 2, busy: 0, queued: 0, coldStarts: 2 });
  });

  it('times out an invocation after timeoutSeconds and discards its instance', async () => {
    const sleepy = pool(
      'SleepyFn',
      `let calls = 0;
       export const handler = async (event) => { calls++; if (event.hang) await new Promise(() => {}); return calls; };`,
      { timeoutSeconds: 1 },
    );
    expect(await sleepy.invoke({})).toEqual({ ok: true, payload: 1 });
    expect(await sleepy.invoke({ hang: true })).toEqual({
      ok: false,
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 1.00 seconds',
    });
    // A fresh sandbox: module state starts over.
    expect(await sleepy.invoke({})).toEqual({ ok: true, payload: 1 });
    expect(sleepy.stats().coldStarts).toBe(2);
  });

  it('reports a thrown error with its name, message and stack, and keeps the instance', async () => {
    const failing = pool(
      'FailingFn',
      `let calls = 0;
       export const handler = async () => { calls++; if (calls === 1) throw new TypeError('price is not a number'); return calls; };`,
    );
    const result = await failing.invoke({});
    expect(result).toMatchObject({ ok: false, errorType: 'TypeError', errorMessage: 'price is not a number' });
    expect(result.ok === false && result.trace?.[0]).toBe('TypeError: price is not a number');
    expect(await failing.invoke({})).toEqual({ ok: true, payload: 2 });
  });

  it.each([
    ['a missing package', `import 'no-such-package-anywhere'; export const handler = async () => 1;`, 'Runtime.ImportModuleError'],
    ['a syntax error', `export const handler = async () => {`, 'Runtime.UserCodeSyntaxError'],
    ['no exported handler', `export const other = async () => 1;`, 'Runtime.HandlerNotFound'],
    ['a throw at init', `throw new RangeError('config missing'); export const handler = async () => 1;`, 'RangeError'],
  ])('reports an init failure from %s like Lambda', async (_, source, errorType) => {
    const broken = pool(`Broken${errorType.replace(/\W/g, '')}`, source);
    expect(await broken.invoke({})).toMatchObject({ ok: false, errorType });
  });

  it('reports Runtime.ImportModuleError when the code directory has no handler module', async () => {
    const empty = pool('EmptyFn', '', { handler: 'missing.handler' });
    expect(await empty.invoke({})).toMatchObject({
      ok: false,
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'missing'",
    });
  });

  it('replaces an instance whose runtime exited', async () => {
    const exiting = pool('ExitingFn', `export const handler = async (event) => { if (event.exit) process.exit(2); return 'alive'; };`);
    expect(await exiting.invoke({ exit: true })).toMatchObject({ ok: false, errorType: 'Runtime.ExitError' });
    expect(await exiting.invoke({})).toEqual({ ok: true, payload: 'alive' });
  });

  it('reports Runtime.OutOfMemory when the function outgrows its memory size', async () => {
    const hog = pool('HogFn', `const kept = []; export const handler = async () => { for (;;) kept.push(new Array(100000).fill({ n: 1 })); };`, {
      memoryMb: 128,
      timeoutSeconds: 30,
    });
    expect(await hog.invoke({})).toMatchObject({ ok: false, errorType: 'Runtime.OutOfMemory' });
  });

  it('supports callback-style handlers', async () => {
    const callbackStyle = pool('CallbackFn', `export const handler = (event, context, callback) => { setTimeout(() => callback(null, event.n * 2), 5); };`);
    expect(await callbackStyle.invoke({ n: 21 })).toEqual({ ok: true, payload: 42 });
  });

  it('passes events and results through JSON like Lambda', async () => {
    const echo = pool('EchoFn', `export const handler = async (event) => event.nothing ? undefined : ({ event, at: new Date(0) });`);
    expect(await echo.invoke({ when: new Date(0), skip: undefined })).toEqual({
      ok: true,
      payload: { event: { when: '1970-01-01T00:00:00.000Z' }, at: '1970-01-01T00:00:00.000Z' },
    });
    expect(await echo.invoke({ nothing: true })).toEqual({ ok: true, payload: null });
  });

  it('prefixes every line the function prints with its name', async () => {
    const lines: string[] = [];
    const chatty = pool('ChattyFn', `export const handler = async () => { console.log('first\\nsecond'); console.error('oops'); return 1; };`, {
      log: (line) => lines.push(line),
    });
    await chatty.invoke({});
    await waitFor(() => lines.length >= 3);
    expect(lines).toEqual(expect.arrayContaining(['[ChattyFn] first', '[ChattyFn] second', '[ChattyFn] oops']));
  });
});
