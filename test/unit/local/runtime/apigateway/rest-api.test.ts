import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InvokeFunction, InvokeResult } from '../../../../../local/runtime/contracts';
import { startRestApi, type RestApiDefinition, type RestApiServer } from '../../../../../local/runtime/apigateway/rest-api';
import { createFunctionPool } from '../../../../../local/runtime/lambda/function-pool';
import { createFunctionRegistry } from '../../../../../local/runtime/lambda/functions';
import { NodeSha256 } from '../../../../../local/runtime/operator-client';

const IAM = { accessKeyId: 'AKIALOCALOPERATOR000', secretAccessKey: 'local-operator-secret' };
const STORE_KEY = 'store-key-0123456789abcdef';

/** The functions behind the test API: each records the event it got and answers as the test needs. */
const events: APIGatewayProxyEvent[] = [];
const answers: Record<string, (event: APIGatewayProxyEvent) => InvokeResult | Promise<InvokeResult>> = {
  EchoFn: (event) => ({
    ok: true,
    payload: { statusCode: 200, headers: { 'X-Fn': 'echo' }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: JSON.stringify({ resource: event.resource }) },
  }),
  CrashFn: () => ({ ok: false, errorType: 'TypeError', errorMessage: 'boom', trace: [] }),
  MalformedFn: () => ({ ok: true, payload: { statusCode: 200, body: { not: 'a string' } } }),
  HangFn: () => new Promise<InvokeResult>(() => undefined),
};
const fakeInvoke: InvokeFunction = async (functionName, payload) => {
  events.push(payload as APIGatewayProxyEvent);
  return answers[functionName](payload as APIGatewayProxyEvent);
};

const route = (httpMethod: string, resourcePath: string, functionName = 'EchoFn', extra: Partial<RestApiDefinition['routes'][number]> = {}) => ({
  httpMethod,
  resourcePath,
  functionName,
  apiKeyRequired: false,
  authorizationType: 'NONE' as const,
  ...extra,
});

function definition(overrides: Partial<RestApiDefinition> = {}): RestApiDefinition {
  return {
    port: 0,
    apiId: 'a1b2c3d4e5',
    stageName: 'v1',
    routes: [
      route('GET', '/'),
      route('GET', '/orders/{orderId}'),
      route('POST', '/orders'),
      route('GET', '/products/featured'),
      route('GET', '/products/{sku}'),
      route('ANY', '/products/{proxy+}'),
      route('GET', '/catalog', 'EchoFn', { apiKeyRequired: true }),
      route('GET', '/crash', 'CrashFn'),
      route('GET', '/malformed', 'MalformedFn'),
      route('GET', '/slow', 'HangFn'),
      route('GET', '/ops/health', 'EchoFn', { authorizationType: 'AWS_IAM' }),
      route('POST', '/ops/redrive', 'EchoFn', { authorizationType: 'AWS_IAM' }),
    ],
    apiKeys: [
      { id: 'key1', name: 'store', value: STORE_KEY, usagePlanIds: ['plan1'] },
      { id: 'key2', name: 'orphan', value: 'orphan-key-without-a-plan', usagePlanIds: [] },
    ],
    usagePlans: [{ id: 'plan1', throttle: { rateLimit: 100, burstLimit: 50 } }],
    gatewayResponses: [
      {
        responseType: 'INVALID_API_KEY',
        responseTemplates: { 'application/json': '{"error":{"code":"FORBIDDEN","message":$context.error.messageString}}' },
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
      },
      {
        responseType: 'DEFAULT_5XX',
        responseTemplates: { 'application/json': '{"error":{"code":"INTERNAL","message":$context.error.messageString,"requestId":"$context.requestId"}}' },
      },
    ],
    iamCredentials: IAM,
    integrationTimeoutMs: 300,
    invoke: fakeInvoke,
    ...overrides,
  };
}

/** Signs a request for execute-api with the SDK's own signer and returns the headers to send. */
async function signedHeaders(
  server: RestApiServer,
  request: { method: string; path: string; query?: Record<string, string>; body?: string },
  credentials = IAM,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: request.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: server.port,
    path: request.path,
    query: request.query ?? {},
    headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json' },
    body: request.body,
  });
  // fetch sets Host itself (to the same value).
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  return headers;
}

const lastEvent = () => events[events.length - 1];

describe('startRestApi', () => {
  let api: RestApiServer;
  const base = () => `http://127.0.0.1:${api.port}`;

  beforeAll(async () => {
    api = await startRestApi(definition());
  });
  afterAll(async () => {
    await api.stop();
  });

  it('serves the stage under its name, like an execute-api invoke URL', () => {
    expect(api.url).toBe(`http://127.0.0.1:${api.port}/v1/`);
  });

  it('builds the REST proxy event with path parameters, query strings and headers', async () => {
    const res = await fetch(`${base()}/v1/orders/ord%2D42?expand=items&tag=a&tag=b+c`, {
      headers: { 'X-Store-Id': 'shop-1', Accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    const event = lastEvent();
    expect(event).toMatchObject({
      resource: '/orders/{orderId}',
      path: '/orders/ord%2D42',
      httpMethod: 'GET',
      pathParameters: { orderId: 'ord%2D42' },
      queryStringParameters: { expand: 'items', tag: 'b c' },
      multiValueQueryStringParameters: { expand: ['items'], tag: ['a', 'b c'] },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'a1b2c3d4e5',
        resourcePath: '/orders/{orderId}',
        httpMethod: 'GET',
        path: '/v1/orders/ord%2D42',
        stage: 'v1',
        protocol: 'HTTP/1.1',
        identity: { sourceIp: '127.0.0.1', apiKey: null, apiKeyId: null },
      },
    });
    expect(event.headers['X-Store-Id']).toBe('shop-1');
    expect(event.multiValueHeaders['X-Store-Id']).toEqual(['shop-1']);
    expect(event.headers['X-Forwarded-Proto']).toBe('http');
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.resourceId).toMatch(/^[0-9a-z]{6}$/);
    expect(event.requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(res.headers.get('x-amzn-requestid')).toBe(event.requestContext.requestId);
    expect(res.headers.get('x-amz-apigw-id')).toBe(event.requestContext.extendedRequestId);
  });

  it('passes the body and sends back the function status, headers and body', async () => {
    const res = await fetch(`${base()}/v1/orders`, { method: 'POST', body: '{"sku":"TSHIRT-RED-M"}', headers: { 'content-type': 'application/json' } });
    expect(lastEvent()).toMatchObject({ httpMethod: 'POST', body: '{"sku":"TSHIRT-RED-M"}', isBase64Encoded: false, pathParameters: null, queryStringParameters: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-fn')).toBe('echo');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.json()).toEqual({ resource: '/orders' });
  });

  it('passes a body that is not UTF-8 as base64', async () => {
    await fetch(`${base()}/v1/orders`, { method: 'POST', body: new Uint8Array([0xff, 0xfe, 0x00, 0x01]) });
    expect(lastEvent()).toMatchObject({ body: Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64'), isBase64Encoded: true });
  });

  it('matches static segments before {param} before {proxy+}, and the stage root', async () => {
    await fetch(`${base()}/v1/products/featured`);
    expect(lastEvent()).toMatchObject({ resource: '/products/featured', pathParameters: null });
    await fetch(`${base()}/v1/products/TSHIRT-RED-M`);
    expect(lastEvent()).toMatchObject({ resource: '/products/{sku}', pathParameters: { sku: 'TSHIRT-RED-M' } });
    await fetch(`${base()}/v1/products/images/red/front.png`, { method: 'DELETE' });
    expect(lastEvent()).toMatchObject({ resource: '/products/{proxy+}', httpMethod: 'DELETE', pathParameters: { proxy: 'images/red/front.png' } });
    await fetch(`${base()}/v1`);
    expect(lastEvent()).toMatchObject({ resource: '/', path: '/', requestContext: { path: '/v1/' } });
  });

  it.each([
    ['an unknown path', '/v1/nowhere', 'GET'],
    ['a method the resource lacks', '/v1/orders', 'DELETE'],
    ['a CORS preflight with no OPTIONS method', '/v1/orders', 'OPTIONS'],
    ['another stage', '/prod/orders/1', 'GET'],
  ])('answers %s with 403 Missing Authentication Token', async (_, url, method) => {
    const count = events.length;
    const res = await fetch(`${base()}${url}`, { method });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(events.length).toBe(count);
  });

  it.each([
    ['no key', undefined],
    ['an unknown key', 'not-a-real-key'],
    ['a key in no usage plan', 'orphan-key-without-a-plan'],
  ])('rejects %s with the INVALID_API_KEY gateway response', async (_, key) => {
    const res = await fetch(`${base()}/v1/catalog`, { headers: key ? { 'x-api-key': key } : {} });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
    expect(await res.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'Forbidden' } });
  });

  it('accepts a valid API key and names it in the event identity', async () => {
    const res = await fetch(`${base()}/v1/catalog`, { headers: { 'x-api-key': STORE_KEY } });
    expect(res.status).toBe(200);
    expect(lastEvent().requestContext.identity).toMatchObject({ apiKey: STORE_KEY, apiKeyId: 'key1' });
  });

  it('answers a function error with 502 from the DEFAULT_5XX gateway response', async () => {
    const res = await fetch(`${base()}/v1/crash`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error', requestId: res.headers.get('x-amzn-requestid') } });
  });

  it('answers a malformed proxy response with 502', async () => {
    const res = await fetch(`${base()}/v1/malformed`);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { message: 'Internal server error' } });
  });

  it('answers 504 when the integration takes longer than its timeout', async () => {
    const res = await fetch(`${base()}/v1/slow`);
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ error: { code: 'INTERNAL', message: 'Endpoint request timed out', requestId: res.headers.get('x-amzn-requestid') } });
  });

  describe('AWS_IAM methods', () => {
    it('accept a request signed with the local credentials', async () => {
      const headers = await signedHeaders(api, { method: 'GET', path: '/v1/ops/health', query: { verbose: 'true' } });
      const res = await fetch(`${base()}/v1/ops/health?verbose=true`, { headers });
      expect(res.status).toBe(200);
      expect(lastEvent().requestContext.identity).toMatchObject({ accessKey: IAM.accessKeyId, accountId: '000000000000' });
    });

    it('accept a signed POST with a body', async () => {
      const body = '{"queue":"shipping-dlq"}';
      const headers = await signedHeaders(api, { method: 'POST', path: '/v1/ops/redrive', body });
      const res = await fetch(`${base()}/v1/ops/redrive`, { method: 'POST', headers, body });
      expect(res.status).toBe(200);
    });

    it.each([
      ['a changed query', { query: { verbose: 'true' } }, '/v1/ops/health?verbose=false', 'GET', undefined],
      ['a changed body', { body: '{"queue":"shipping-dlq"}' }, '/v1/ops/redrive', 'POST', '{"queue":"payments-dlq"}'],
    ])('reject a request with %s as INVALID_SIGNATURE', async (_, signedPart, url, method, sentBody) => {
      const signedPath = url.split('?')[0];
      const headers = await signedHeaders(api, { method, path: signedPath, ...signedPart });
      const res = await fetch(`${base()}${url}`, { method, headers, body: sentBody });
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
      expect(await res.json()).toEqual({ message: expect.stringMatching(/^The request signature we calculated does not match the signature you provided/) });
    });

    it('reject a request signed with the wrong secret', async () => {
      const headers = await signedHeaders(api, { method: 'GET', path: '/v1/ops/health' }, { ...IAM, secretAccessKey: 'guessed' });
      const res = await fetch(`${base()}/v1/ops/health`, { headers });
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    });

    it('reject an unsigned request with Missing Authentication Token', async () => {
      const res = await fetch(`${base()}/v1/ops/health`);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    });
  });
});

describe('startRestApi usage plans', () => {
  it('throttles a key over its burst with 429 Too Many Requests', async () => {
    // A refill of one request per 1000 s: the third request in a row always finds the bucket empty.
    const api = await startRestApi(definition({ usagePlans: [{ id: 'plan1', throttle: { rateLimit: 0.001, burstLimit: 2 } }] }));
    try {
      const call = () => fetch(`http://127.0.0.1:${api.port}/v1/catalog`, { headers: { 'x-api-key': STORE_KEY } });
      expect([(await call()).status, (await call()).status]).toEqual([200, 200]);
      const throttled = await call();
      expect(throttled.status).toBe(429);
      expect(await throttled.json()).toEqual({ message: 'Too Many Requests' });
    } finally {
      await api.stop();
    }
  });

  it('stops a key at its quota with 429 Limit Exceeded', async () => {
    const api = await startRestApi(definition({ usagePlans: [{ id: 'plan1', quota: { limit: 1, period: 'DAY' } }] }));
    try {
      const call = () => fetch(`http://127.0.0.1:${api.port}/v1/catalog`, { headers: { 'x-api-key': STORE_KEY } });
      expect((await call()).status).toBe(200);
      const overQuota = await call();
      expect(overQuota.status).toBe(429);
      expect(await overQuota.json()).toEqual({ message: 'Limit Exceeded' });
    } finally {
      await api.stop();
    }
  });
});

describe('startRestApi with the Lambda pool', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'rest-api-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs a function bundle behind a route', async () => {
    const codeDir = path.join(root, 'GetOrderFn');
    mkdirSync(codeDir);
    writeFileSync(
      path.join(codeDir, 'index.mjs'),
      `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ orderId: event.pathParameters.orderId, table: process.env.TABLE }) });`,
    );
    const registry = createFunctionRegistry([
      createFunctionPool({
        name: 'GetOrderFn',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:GetOrderFn',
        codeDir,
        handler: 'index.handler',
        environment: { TABLE: 'Orders' },
        timeoutSeconds: 3,
        memoryMb: 128,
        log: () => undefined,
      }),
    ]);
    const api = await startRestApi(definition({ routes: [route('GET', '/orders/{orderId}', 'GetOrderFn')], invoke: registry.invoke }));
    try {
      const res = await fetch(`${api.url}orders/ord-7`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ orderId: 'ord-7', table: 'Orders' });
    } finally {
      await api.stop();
      await registry.stop();
    }
  });

  it('rejects with EADDRINUSE when the port is taken', async () => {
    const first = await startRestApi(definition());
    try {
      await expect(startRestApi(definition({ port: first.port }))).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.stop();
    }
  });
});
