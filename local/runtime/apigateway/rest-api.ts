import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT_ID, type InvokeFunction, type Stoppable } from '../contracts';
import { authenticate } from './authorization';
import { GatewayError, integrationFailure, renderGatewayResponse, type GatewayResponseDefinition } from './gateway-responses';
import { buildProxyEvent, formatRequestTime, parseProxyResult, parseQuery, type ProxyResponse } from './proxy-integration';
import { createRouter, type RestApiRoute, type RouteMatch } from './routes';
import type { SigningCredentials } from './sigv4';
import { createUsagePlans, type ApiKeyDefinition, type UsagePlanDefinition } from './usage-plans';
import { readBoundedBody } from '../../http-body';

export type { ApiKeyDefinition, GatewayResponseDefinition, RestApiRoute, SigningCredentials, UsagePlanDefinition };

/** One AWS::ApiGateway::RestApi with its deployed stage, as the orchestrator resolved it from the template. */
export interface RestApiDefinition {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  apiId: string;
  stageName: string;
  routes: RestApiRoute[];
  apiKeys: ApiKeyDefinition[];
  usagePlans: UsagePlanDefinition[];
  gatewayResponses: GatewayResponseDefinition[];
  /** The credentials AWS_IAM methods accept (SigV4, service execute-api, region us-east-1). */
  iamCredentials?: SigningCredentials;
  /** The API's BinaryMediaTypes. */
  binaryMediaTypes?: string[];
  /** API Gateway's integration timeout; 29 s unless the template sets TimeoutInMillis. */
  integrationTimeoutMs?: number;
  invoke: InvokeFunction;
  /** One line per request: method, path, status, time, function (and its error when it failed). */
  onRequest?: (line: string) => void;
}

export interface RestApiServer extends Stoppable {
  /** The stage's invoke URL, like CDK's RestApi.url: `http://127.0.0.1:<port>/<stage>/`. */
  url: string;
  port: number;
}

/** API Gateway's payload limit. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  readBoundedBody(req, MAX_REQUEST_BYTES, () => new GatewayError('REQUEST_TOO_LARGE', 'Request Too Long'));

/** API Gateway's extendedRequestId (and x-amz-apigw-id) looks like 'BQGojGkPIAMF2Dw='. */
const newExtendedRequestId = () => randomBytes(11).toString('base64');
const newTraceId = () => `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

/** The request as the gateway sees it: ids, stage and path split, and the headers API Gateway adds. */
interface RequestInfo {
  method: string;
  rawPathWithStage: string;
  rawQuery: string;
  stage: string;
  /** The path after the stage, still percent-encoded. */
  path: string;
  rawHeaders: string[];
  apiKey: string | undefined;
  accept: string | undefined;
  sourceIp: string;
  domainName: string;
  protocol: string;
  requestId: string;
  extendedRequestId: string;
  traceId: string;
  startedAt: number;
}

/** What a request resolved to so far: its route, and the function (and its error) for the request log line. */
interface Resolution {
  match?: RouteMatch;
  summary: string;
}

function describeRequest(req: IncomingMessage, host: string): RequestInfo {
  const [rawPathWithStage, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
  const [, stage = '', ...rest] = rawPathWithStage.split('/');
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const traceId = newTraceId();
  // API Gateway adds these (it runs behind a load balancer); a client's own values win.
  const rawHeaders = [...req.rawHeaders];
  const added: Array<[string, string]> = [
    ['X-Amzn-Trace-Id', traceId],
    ['X-Forwarded-For', sourceIp],
    ['X-Forwarded-Port', String(req.socket.localPort ?? '')],
    ['X-Forwarded-Proto', 'http'],
  ];
  for (const [name, value] of added) {
    if (req.headers[name.toLowerCase()] === undefined) rawHeaders.push(name, value);
  }
  const apiKey = req.headers['x-api-key'];
  return {
    method: req.method ?? 'GET',
    rawPathWithStage,
    rawQuery,
    stage,
    path: `/${rest.join('/')}`,
    rawHeaders,
    apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey,
    accept: req.headers.accept,
    sourceIp,
    domainName: req.headers.host ?? `${host}:${req.socket.localPort ?? ''}`,
    protocol: `HTTP/${req.httpVersion}`,
    requestId: randomUUID(),
    extendedRequestId: newExtendedRequestId(),
    traceId,
    startedAt: Date.now(),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Serves a REST API stage locally the way execute-api does: `/<stage>/<resource path>`, Lambda proxy events
 * (payload v1), API keys and usage plans, AWS_IAM (SigV4) methods and the API's gateway responses.
 * Rejects with the listen error (code EADDRINUSE when the port is taken).
 */
export async function startRestApi(def: RestApiDefinition): Promise<RestApiServer> {
  const host = def.host ?? '127.0.0.1';
  const router = createRouter(def.routes);
  const usagePlans = createUsagePlans(def.apiKeys, def.usagePlans);
  const binaryMediaTypes = def.binaryMediaTypes ?? [];
  const integrationTimeoutMs = def.integrationTimeoutMs ?? 29_000;

  /** Runs one request through the gateway: route, authenticate, check key and plan, invoke, map the result. */
  async function runThroughGateway(request: RequestInfo, body: Buffer, resolved: Resolution): Promise<ProxyResponse> {
    if (request.stage !== def.stageName) throw missingAuthenticationToken();
    const match = router.match(request.method, request.path);
    if (!match) throw missingAuthenticationToken();
    resolved.match = match;
    const { route } = match;
    const caller = authenticate(route, { ...request, rawPath: request.rawPathWithStage, body }, def.iamCredentials);
    if (route.apiKeyRequired) {
      const { key, plan } = usagePlans.identify(request.apiKey);
      usagePlans.admit(key, plan);
      caller.identity = { ...caller.identity, apiKey: key.value, apiKeyId: key.id };
    }
    const event = buildProxyEvent({
      ...request,
      httpMethod: request.method,
      resourcePath: route.resourcePath,
      resourceId: match.resourceId,
      body,
      pathParameters: match.pathParameters,
      apiId: def.apiId,
      accountId: LOCAL_ACCOUNT_ID,
      requestTimeEpoch: request.startedAt,
      binaryMediaTypes,
      identity: caller.identity,
      authorizer: caller.authorizer,
    });
    resolved.summary = route.functionName;
    const result = await withTimeout(
      def.invoke(route.functionName, event),
      integrationTimeoutMs,
      () => new GatewayError('INTEGRATION_TIMEOUT', 'Endpoint request timed out'),
    );
    if (!result.ok) {
      resolved.summary += ` ${result.errorType}: ${result.errorMessage}`;
      throw integrationFailure();
    }
    return parseProxyResult(result.payload, request.accept, binaryMediaTypes);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = describeRequest(req, host);
    const resolved: Resolution = { summary: '' };
    let response: ProxyResponse;
    try {
      const body = await readBody(req);
      response = await runThroughGateway(request, body, resolved);
    } catch (err) {
      if (!(err instanceof GatewayError)) resolved.summary += ` ${err instanceof Error ? err.stack : String(err)}`;
      const gatewayError =
        err instanceof GatewayError ? err : new GatewayError('DEFAULT_5XX', 'Internal server error', 'InternalServerErrorException', 500);
      const route = resolved.match?.route;
      const rendered = renderGatewayResponse(gatewayError, def.gatewayResponses, {
        context: {
          requestId: request.requestId,
          extendedRequestId: request.extendedRequestId,
          apiId: def.apiId,
          accountId: LOCAL_ACCOUNT_ID,
          stage: request.stage,
          httpMethod: request.method,
          path: request.rawPathWithStage,
          domainName: request.domainName,
          requestTime: formatRequestTime(request.startedAt),
          requestTimeEpoch: request.startedAt,
          'identity.sourceIp': request.sourceIp,
          'identity.userAgent': req.headers['user-agent'] ?? '',
          ...(route && resolved.match ? { resourcePath: route.resourcePath, resourceId: resolved.match.resourceId } : {}),
        },
        headers: req.headers,
        query: parseQuery(request.rawQuery).single,
        pathParameters: resolved.match?.pathParameters ?? {},
      });
      response = { statusCode: rendered.statusCode, headers: rendered.headers, body: Buffer.from(rendered.body) };
    }

    const headers: Record<string, string | string[]> = Object.fromEntries(
      Object.entries(response.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
    );
    headers['Content-Length'] = String(response.body.length);
    headers['x-amzn-RequestId'] = request.requestId;
    headers['x-amz-apigw-id'] = request.extendedRequestId;
    headers['X-Amzn-Trace-Id'] = request.traceId;
    res.writeHead(response.statusCode, headers);
    res.end(response.body);
    const line = `${request.method} ${req.url} ${response.statusCode} ${Date.now() - request.startedAt}ms ${resolved.summary}`;
    def.onRequest?.(line.trimEnd());
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      def.onRequest?.(`${req.method} ${req.url} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(def.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/${def.stageName}/`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function missingAuthenticationToken(): GatewayError {
  return new GatewayError('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token', 'MissingAuthenticationTokenException');
}
