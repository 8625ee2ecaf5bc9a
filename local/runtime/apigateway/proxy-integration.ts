import type { APIGatewayEventIdentity, APIGatewayProxyEvent } from 'aws-lambda';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { integrationFailure } from './gateway-responses';

/** Everything the gateway knows about a request when it builds the Lambda proxy (REST, payload v1) event. */
export interface ProxyRequest {
  httpMethod: string;
  resourcePath: string;
  resourceId: string;
  /** Path after the stage, still percent-encoded: '/orders/o-1'. */
  path: string;
  rawQuery: string;
  rawHeaders: readonly string[];
  body: Buffer;
  pathParameters: Record<string, string> | null;
  stage: string;
  apiId: string;
  accountId: string;
  requestId: string;
  extendedRequestId: string;
  requestTimeEpoch: number;
  protocol: string;
  domainName: string;
  sourceIp: string;
  binaryMediaTypes: readonly string[];
  identity: Partial<APIGatewayEventIdentity>;
  authorizer: Record<string, unknown> | null;
}

// API Gateway sits behind CloudFront, which drops these and capitalizes those.
const DROPPED_HEADERS = new Set(['content-length', 'connection']);
const CAPITALIZED_HEADERS: Record<string, string> = { authorization: 'Authorization', 'user-agent': 'User-Agent' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** $context.requestTime's format: 09/Apr/2015:12:34:56 +0000. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}`;
  return `${date}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** True when a content type matches one of the API's binaryMediaTypes ('image/png', 'image/*', '*\/*'). */
export function isBinaryMediaType(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (!type) return false;
  return binaryMediaTypes.some((pattern) => {
    const [wantMain, wantSub] = pattern.toLowerCase().split('/');
    const [main, sub] = type.split('/');
    return (wantMain === '*' || wantMain === main) && (wantSub === '*' || wantSub === sub);
  });
}

function decodeQueryComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Query string parameters, decoded; the single-value map keeps the last value of a repeated name. */
export function parseQuery(rawQuery: string): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const pair of rawQuery.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const name = decodeQueryComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryComponent(pair.slice(eq + 1));
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

/** Request headers with the client's spelling; the single-value map keeps the last value of a repeated name. */
function groupHeaders(rawHeaders: readonly string[]): { single: Record<string, string>; multi: Record<string, string[]> } {
  const spelling = new Map<string, string>();
  const multi: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i].toLowerCase();
    if (DROPPED_HEADERS.has(lower)) continue;
    const name = spelling.get(lower) ?? CAPITALIZED_HEADERS[lower] ?? rawHeaders[i];
    spelling.set(lower, name);
    (multi[name] ??= []).push(rawHeaders[i + 1]);
  }
  const single = Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values[values.length - 1]]));
  return { single, multi };
}

function headerValue(rawHeaders: readonly string[], name: string): string | undefined {
  for (let i = rawHeaders.length - 2; i >= 0; i -= 2) {
    if (rawHeaders[i].toLowerCase() === name) return rawHeaders[i + 1];
  }
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A text body as a string; a binary one (by binaryMediaTypes, or not valid UTF-8) as base64. */
function encodeBody(body: Buffer, contentType: string | undefined, binaryMediaTypes: readonly string[]) {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  if (!isBinaryMediaType(contentType, binaryMediaTypes)) {
    try {
      return { body: utf8.decode(body), isBase64Encoded: false };
    } catch {
      // not UTF-8: fall through to base64
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

/** Builds the event API Gateway sends to a Lambda proxy integration of a REST API. */
export function buildProxyEvent(request: ProxyRequest): APIGatewayProxyEvent {
  const headers = groupHeaders(request.rawHeaders);
  const query = parseQuery(request.rawQuery);
  const hasQuery = Object.keys(query.single).length > 0;
  const body = encodeBody(request.body, headerValue(request.rawHeaders, 'content-type'), request.binaryMediaTypes);
  const identity: APIGatewayEventIdentity = {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: request.sourceIp,
    user: null,
    userAgent: headerValue(request.rawHeaders, 'user-agent') ?? null,
    userArn: null,
    ...request.identity,
  };
  return {
    resource: request.resourcePath,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: hasQuery ? query.single : null,
    multiValueQueryStringParameters: hasQuery ? query.multi : null,
    pathParameters: request.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: request.accountId,
      apiId: request.apiId,
      // Present only for methods with an authorizer; undefined disappears in the JSON sent to the function.
      authorizer: request.authorizer ?? undefined,
      domainName: request.domainName,
      domainPrefix: request.domainName.split('.')[0],
      extendedRequestId: request.extendedRequestId,
      httpMethod: request.httpMethod,
      identity,
      path: `/${request.stage}${request.path === '/' ? '/' : request.path}`,
      protocol: request.protocol,
      requestId: request.requestId,
      requestTime: formatRequestTime(request.requestTimeEpoch),
      requestTimeEpoch: request.requestTimeEpoch,
      resourceId: request.resourceId,
      resourcePath: request.resourcePath,
      stage: request.stage,
    },
    body: body.body,
    isBase64Encoded: body.isBase64Encoded,
  };
}

export interface ProxyResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const RESPONSE_FIELDS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isHeaderValue = (value: unknown): value is string | boolean => typeof value === 'string' || typeof value === 'boolean';

/**
 * Turns a function's result into the HTTP response, validating it as API Gateway does: an object with only
 * statusCode, headers (string or boolean values), multiValueHeaders, body (a string) and isBase64Encoded.
 * Anything else is a "Malformed Lambda proxy response": a 502 "Internal server error".
 * A base64 body is sent as binary only when the request's Accept matches the API's binaryMediaTypes.
 */
export function parseProxyResult(payload: unknown, accept: string | undefined, binaryMediaTypes: readonly string[]): ProxyResponse {
  if (!isRecord(payload) || Object.keys(payload).some((key) => !RESPONSE_FIELDS.has(key))) throw integrationFailure();
  const { statusCode = 200, headers = {}, multiValueHeaders = {}, body, isBase64Encoded = false } = payload;
  const status = typeof statusCode === 'number' || typeof statusCode === 'string' ? Number(statusCode) : NaN;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw integrationFailure();
  if (!isRecord(headers) || !Object.values(headers).every(isHeaderValue)) throw integrationFailure();
  if (!isRecord(multiValueHeaders) || !Object.values(multiValueHeaders).every((v) => Array.isArray(v) && v.every(isHeaderValue))) {
    throw integrationFailure();
  }
  if (body !== undefined && body !== null && typeof body !== 'string') throw integrationFailure();
  if (typeof isBase64Encoded !== 'boolean') throw integrationFailure();

  // When a name is in both maps, API Gateway keeps only the multiValueHeaders values.
  const merged: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) merged[name] = String(value);
  for (const [name, values] of Object.entries(multiValueHeaders)) merged[name] = (values as unknown[]).map(String);
  try {
    for (const [name, value] of Object.entries(merged)) {
      validateHeaderName(name);
      for (const single of [value].flat()) validateHeaderValue(name, single);
    }
  } catch {
    throw integrationFailure();
  }
  if (!Object.keys(merged).some((name) => name.toLowerCase() === 'content-type')) merged['Content-Type'] = 'application/json';

  const text = body ?? '';
  const asBinary = isBase64Encoded && (accept ?? '').split(',').some((type) => isBinaryMediaType(type, binaryMediaTypes));
  return { statusCode: status, headers: merged, body: asBinary ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}
