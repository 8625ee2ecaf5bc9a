import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { errorEnvelope, requestIdOf } from './error-envelope';
import { type FieldIssue, ValidationError } from './errors';
import { middy } from './middy';
import { logger, metrics } from './observability';
import type { RouteDefinition } from './openapi';
import { type InputLocation, parseJsonText, toFieldIssues } from './validation';

type Parsed<S> = S extends z.core.$ZodType ? z.core.output<S> : undefined;

/** What a handler function receives: the route's schemas already applied. */
export interface HttpRequest<R extends RouteDefinition = RouteDefinition> {
  params: Parsed<R['params']>;
  query: Parsed<R['query']>;
  body: Parsed<R['body']>;
  /** Request headers with lower-cased names. */
  headers: Readonly<Record<string, string>>;
  requestId: string;
}

/** What a handler function returns; the factory serializes `body` as JSON. Always return one (middy #2987). */
export interface HttpResponse {
  status: number;
  body?: unknown;
  /** A body sent as is instead of `body` as JSON (an HTML page, a CSV download); give its content-type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
}

/** The one function a handler file writes: parsed request in, response out; errors are thrown. */
export type HttpFn<R extends RouteDefinition> = (request: HttpRequest<R>, context: Context) => Promise<HttpResponse>;

/** The inner step the factory runs after parsing; the idempotent factory wraps the handler function here. */
export type HttpRun<R extends RouteDefinition> = (
  request: HttpRequest<R>,
  context: Context,
  event: APIGatewayProxyEvent,
) => Promise<HttpResponse>;

/** Extra header rules of a factory (the idempotency key); its issues are listed with the schema's. */
export type HeaderCheck = (headers: Readonly<Record<string, string>>) => FieldIssue[];

/** A Lambda handler for API Gateway REST proxy events. */
export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const lowerCaseHeaders = (headers: APIGatewayProxyEvent['headers'] | null): Record<string, string> => {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) lower[name.toLowerCase()] = value;
  }
  return lower;
};

/** The request body as JSON, or undefined when there is none. Throws ValidationError when it is not JSON. */
export const jsonBodyOf = (event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): unknown => {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  return parseJsonText(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body, 'request body');
};

/**
 * Applies the route's schemas to path parameters, query string and body, collecting the issues of all three
 * so one 400 lists every bad field. Reads `event`, never writes it: the idempotency layer and the logger see
 * the request as it arrived (Powertools issue #3424 is what happens otherwise).
 */
export const parseHttp = <R extends RouteDefinition>(
  route: R,
  event: APIGatewayProxyEvent,
  requestId: string,
  headerIssues: HeaderCheck = () => [],
): HttpRequest<R> => {
  const headers = lowerCaseHeaders(event.headers);
  const issues: FieldIssue[] = [...headerIssues(headers)];
  const apply = (schema: z.core.$ZodType | undefined, input: unknown, location: InputLocation): unknown => {
    if (!schema) return undefined;
    const result = z.safeParse(schema, input);
    if (result.success) return result.data;
    issues.push(...toFieldIssues(result.error.issues, location));
    return undefined;
  };
  const params = apply(route.params, event.pathParameters ?? {}, 'path');
  const query = apply(route.query, event.queryStringParameters ?? {}, 'query');
  const body = route.body ? apply(route.body, jsonBodyOf(event), 'body') : undefined;
  if (issues.length > 0) throw new ValidationError('request validation failed', issues);
  return {
    params,
    query,
    body,
    headers,
    requestId,
  } as HttpRequest<R>;
};

const toApiResult = (response: HttpResponse): APIGatewayProxyResult => ({
  statusCode: response.status,
  headers: {
    ...(response.body !== undefined && response.text === undefined && { 'content-type': 'application/json' }),
    ...response.headers,
  },
  body: response.text ?? (response.body === undefined ? '' : JSON.stringify(response.body)),
});

/**
 * Builds the middy handler with the fixed middleware order. `before` runs in attach order, `after`/`onError`
 * in reverse:
 * 1. Powertools logger: Lambda context in every line; appended keys are reset after each invocation.
 * 2. Powertools metrics: flushed after each invocation, with a ColdStart metric on the first.
 * 3. Error envelope: turns any error into `{ error: { code, message, details } }`, logs it once, adds
 *    `x-request-id` to every response.
 * Innermost, inside the handler: parse (ZodError → ValidationError), then `run` (the idempotent factory
 * wraps the handler function there, so its record is released before the envelope sees the error).
 */
export const buildHttpHandler = <R extends RouteDefinition>(route: R, run: HttpRun<R>, headerIssues?: HeaderCheck): ApiHandler =>
  middy(async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const requestId = requestIdOf(event, context);
    logger.appendKeys({ requestId, operationId: route.operationId });
    const request = parseHttp(route, event, requestId, headerIssues);
    return toApiResult(await run(request, context, event));
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(errorEnvelope());

/**
 * The factory for every API route that is not idempotent (`idempotentHttpHandler` handles those):
 * `export const handler = httpHandler(routes.listProducts, async ({ query }) => ({ status: 200, body }))`.
 */
export const httpHandler = <R extends RouteDefinition & { idempotent?: false }>(route: R, fn: HttpFn<R>): ApiHandler =>
  buildHttpHandler(route, (request, context) => fn(request, context));
