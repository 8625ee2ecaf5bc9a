import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { NotFoundError } from '../../../../functions/_platform/errors';
import { defineRoute } from '../../../../functions/_platform/openapi';
import { anApiGatewayEvent, type ApiRequest } from '../../../support/api-gateway';
import { platformEnv, setEnv } from '../../../support/env';
import { InMemoryIdempotencyStore } from '../../../support/in-memory/idempotency-store';
import { aLambdaContext } from '../../../support/lambda-context';
import { captureLogs } from '../../../support/log-capture';


setEnv(platformEnv);
const { httpHandler } = require('../../../../functions/_platform/http-handler') as typeof import('../../../../functions/_platform/http-handler');
const { idempotentHttpHandler } =
  require('../../../../functions/_platform/idempotent-http-handler') as typeof import('../../../../functions/_platform/idempotent-http-handler');
const { logger } = require('../../../../functions/_platform/observability') as typeof import('../../../../functions/_platform/observability');

const getWidget = defineRoute({
  operationId: 'getWidget',
  method: 'GET',
  path: '/widgets/{widgetId}',
  summary: 'test route',
  auth: 'apiKey',
  params: z.object({ widgetId: z.string().check(z.startsWith('wid_')) }),
  query: z.object({ limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10)), 5) }),
  responses: { 200: { description: 'ok' } },
});

const createWidget = defineRoute({
  operationId: 'createWidget',
  method: 'POST',
  path: '/widgets',
  summary: 'test route',
  auth: 'apiKey',
  body: z.object({
    name: z.string().check(z.minLength(1)),
    size: z.int().check(z.positive()),
    colour: z.object({ hex: z.string().check(z.regex(/^#[0-9a-f]{6}$/)) }),
  }),
  responses: { 201: { description: 'created' } },
  idempotent: true,
});

const aWidget = { name: 'Lamp', size: 3, colour: { hex: '#ff0000' } };
const bodyOf = (result: APIGatewayProxyResult): any => JSON.parse(result.body);

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.stop());

describe('httpHandler', () => {
  const call = (handler: ReturnType<typeof httpHandler>, request: ApiRequest) => handler(anApiGatewayEvent(request), aLambdaContext());

  it('passes the parsed request to the function and serializes its answer as JSON with x-request-id', async () => {
    const handler = httpHandler(getWidget, async ({ params, query, requestId }) => ({ status: 200, body: { params, query, requestId } }));

    const result = await call(handler, { path: '/widgets/wid_1', pathParameters: { widgetId: 'wid_1' }, query: { limit: '7' } });

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': expect.stringMatching(/^api-request-/) });
    expect(bodyOf(result)).toEqual({ params: { widgetId: 'wid_1' }, query: { limit: 7 }, requestId: result.headers?.['x-request-id'] });
  });

  it('turns a domain error into the envelope with its status and logs it once at warn', async () => {
    const handler = httpHandler(getWidget, async () => {
      throw new NotFoundError('widget wid_1 not found');
    });

    const result = await call(handler, { pathParameters: { widgetId: 'wid_1' } });

    expect(result.statusCode).toBe(404);
    expect(result.headers?.['x-request-id']).toEqual(expect.stringMatching(/^api-request-/));
    expect(bodyOf(result)).toEqual({ error: { code: 'NOT_FOUND', message: 'widget wid_1 not found', details: {} } });
    const failures = logs.logs().filter((line) => line.message === 'request rejected');
    expect(failures).toEqual([expect.objectContaining({ level: 'WARN', status: 404, code: 'NOT_FOUND' })]);
  });

  it('answers an unexpected error with 500 "Internal error" and logs it once at error with the cause', async () => {
    const handler = httpHandler(getWidget, async () => {
      throw new Error('connection to db-secret-host refused');
    });

    const result = await call(handler, { pathParameters: { widgetId: 'wid_1' } });

    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Internal error', details: {} } });
    expect(result.body).not.toContain('db-secret-host');
    const failures = logs.logs().filter((line) => String(line.level) === 'ERROR');
    expect(failures).toHaveLength(1);
    expect(JSON.stringify(failures[0])).toContain('db-secret-host');
  });

  it('lists every bad field of path, query and body in one 400', async () => {
    const route = defineRoute({ ...getWidget, method: 'PUT', body: createWidget.body });
    const handler = httpHandler(route, async () => ({ status: 204 }));

    const result = await call(handler, {
      method: 'PUT',
      pathParameters: { widgetId: 'nope' },
      query: { limit: '11' },
      body: { name: '', size: 1.5, colour: { hex: 'red' } },
    });

    expect(result.statusCode).toBe(400);
    const { error } = bodyOf(result);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.fields.map((field: { path: string }) => field.path).sort()).toEqual(
      ['body.colour.hex', 'body.name', 'body.size', 'path.widgetId', 'query.limit'].sort(),
    );
    for (const field of error.details.fields) expect(field.message).toEqual(expect.any(String));
  });

  it('rejects a body that is not JSON with 400 VALIDATION_FAILED naming the body', async () => {
    const route = defineRoute({ ...createWidget, idempotent: false });
    const handler = httpHandler(route, async () => ({ status: 201, body: {} }));

    const result = await call(handler, { method: 'POST', body: '{"name": "Lamp",' });

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'request body is not valid JSON',
      details: { fields: [{ path: 'body', message: 'not valid JSON' }] },
    });
  });

  it('resets the keys a handler appended to the logger before the next invocation', async () => {
    let invocation = 0;
    const handler = httpHandler(getWidget, async () => {
      invocation += 1;
      if (invocation === 1) logger.appendKeys({ widgetOwner: 'first caller' });
      logger.info('handled');
      return { status: 200, body: {} };
    });

    await call(handler, { pathParameters: { widgetId: 'wid_1' } });
    await call(handler, { pathParameters: { widgetId: 'wid_2' } });

    const handled = logs.logs().filter((line) => line.message === 'handled');
    expect(handled).toHaveLength(2);
    expect(handled[0]).toMatchObject({ widgetOwner: 'first caller', operationId: 'getWidget' });
    expect(handled[1]).not.toHaveProperty('widgetOwner');
    expect(handled[1].requestId).not.toBe(handled[0].requestId);
    expect(handled[1].function_request_id).not.toBe(handled[0].function_request_id);
  });

  it('publishes a ColdStart metric on the first invocation of a fresh function instance only', async () => {
    let fresh!: typeof import('../../../../functions/_platform/http-handler');
    setEnv({ AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' }); // Lambda sets it; Powertools reports cold starts only then
    jest.isolateModules(() => {
      fresh = require('../../../../functions/_platform/http-handler');
    });
    const handler = fresh.httpHandler(getWidget, async () => ({ status: 200, body: {} }));
    const metricNames = () =>
      logs.metrics().flatMap((doc: any) => doc._aws.CloudWatchMetrics.flatMap((m: any) => m.Metrics.map((x: any) => x.Name)));

    await call(handler, { pathParameters: { widgetId: 'wid_1' } });
    expect(metricNames()).toEqual(['ColdStart']);

    logs.clear();
    await call(handler, { pathParameters: { widgetId: 'wid_1' } });
    expect(metricNames()).toEqual([]);
  });
});

describe('idempotentHttpHandler', () => {
  const key = (value: string) => ({ 'Idempotency-Key': value });
  const post = (handler: ReturnType<typeof idempotentHttpHandler>, request: ApiRequest) =>
    handler(anApiGatewayEvent({ method: 'POST', path: '/widgets', ...request }), aLambdaContext());

  const counting = (store = new InMemoryIdempotencyStore()) => {
    let runs = 0;
    const handler = idempotentHttpHandler(
      createWidget,
      async ({ body }) => {
        runs += 1;
        return { status: 201, body: { widgetId: `wid_${runs}`, name: body.name } };
      },
      store,
    );
    return { handler, store, runs: () => runs };
  };

  it('answers a repeat with the same key and body with the first status and body, without running again', async () => {
    const { handler, runs } = counting();

    const first = await post(handler, { headers: key('k-1'), body: aWidget });
    const second = await post(handler, { headers: key('k-1'), body: aWidget });

    expect(runs()).toBe(1);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(bodyOf(second)).toEqual(bodyOf(first));
    expect(second.headers).toMatchObject({ 'idempotent-replayed': 'true' });
    expect(second.headers?.['x-request-id']).not.toBe(first.headers?.['x-request-id']);
  });

  it('compares bodies as data: key order and whitespace do not make a different request', async () => {
    const { handler, runs } = counting();

    await post(handler, { headers: key('k-2'), body: '{"name":"Lamp","size":3,"colour":{"hex":"#ff0000"}}' });
    const second = await post(handler, { headers: key('k-2'), body: '{ "colour": { "hex": "#ff0000" }, "size": 3, "name": "Lamp" }' });

    expect(runs()).toBe(1);
    expect(second.statusCode).toBe(201);
  });

  it('rejects the same key with a different body: 422 IDEMPOTENCY_KEY_REUSED, and the first answer stays', async () => {
    const { handler, runs } = counting();

    await post(handler, { headers: key('k-3'), body: aWidget });
    const reused = await post(handler, { headers: key('k-3'), body: { ...aWidget, size: 4 } });
    const original = await post(handler, { headers: key('k-3'), body: aWidget });

    expect(reused.statusCode).toBe(422);
    expect(bodyOf(reused).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(original.statusCode).toBe(201);
    expect(runs()).toBe(1);
  });

  it('answers 409 REQUEST_IN_PROGRESS while the first request with the key is still running, and keeps its record', async () => {
    let release: () => void = () => undefined;
    const store = new InMemoryIdempotencyStore();
    const handler = idempotentHttpHandler(
      createWidget,
      async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { status: 201, body: { widgetId: 'wid_slow' } };
      },
      store,
    );

    const first = post(handler, { headers: key('k-4'), body: aWidget });
    await new Promise((resolve) => setImmediate(resolve));
    const concurrent = await post(handler, { headers: key('k-4'), body: aWidget });
    release();

    expect(concurrent.statusCode).toBe(409);
    expect(bodyOf(concurrent).error.code).toBe('REQUEST_IN_PROGRESS');
    expect((await first).statusCode).toBe(201);
    expect(store.statuses()).toEqual(['COMPLETED']);
  });

  it('leaves no record (in progress or otherwise) when the request fails, so a retry runs again', async () => {
    const store = new InMemoryIdempotencyStore();
    let runs = 0;
    const handler = idempotentHttpHandler(
      createWidget,
      async () => {
        runs += 1;
        if (runs === 1) throw new NotFoundError('no such widget family');
        return { status: 201, body: { widgetId: 'wid_retry' } };
      },
      store,
    );

    const failed = await post(handler, { headers: key('k-5'), body: aWidget });
    expect(failed.statusCode).toBe(404);
    expect(bodyOf(failed).error.code).toBe('NOT_FOUND');
    expect(store.records.size).toBe(0);

    const retried = await post(handler, { headers: key('k-5'), body: aWidget });
    expect(retried.statusCode).toBe(201);
    expect(runs).toBe(2);
  });

  it('keeps keys apart per caller (API key)', async () => {
    const { handler, runs } = counting();

    await post(handler, { headers: key('k-6'), body: aWidget, apiKeyId: 'store-a' });
    await post(handler, { headers: key('k-6'), body: aWidget, apiKeyId: 'store-b' });

    expect(runs()).toBe(2);
  });

  it('requires a key of 1 to 255 visible ASCII characters, listed with the other bad fields', async () => {
    const { handler, store, runs } = counting();

    const missing = await post(handler, { body: { ...aWidget, name: '' } });
    const tooLong = await post(handler, { headers: key('x'.repeat(256)), body: aWidget });
    const spaced = await post(handler, { headers: key('has space'), body: aWidget });

    expect(missing.statusCode).toBe(400);
    expect(bodyOf(missing).error.details.fields.map((field: { path: string }) => field.path)).toEqual([
      'headers.Idempotency-Key',
      'body.name',
    ]);
    expect(tooLong.statusCode).toBe(400);
    expect(spaced.statusCode).toBe(400);
    expect(runs()).toBe(0);
    expect(store.records.size).toBe(0);
  });

  it('reads the header whatever its case', async () => {
    const { handler, runs } = counting();

    await post(handler, { headers: { 'idempotency-key': 'k-7' }, body: aWidget });
    await post(handler, { headers: { 'IDEMPOTENCY-KEY': 'k-7' }, body: aWidget });

    expect(runs()).toBe(1);
  });
});
