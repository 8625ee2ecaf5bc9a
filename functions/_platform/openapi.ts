import * as z from 'zod/mini';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** How API Gateway authenticates a route: store API key (`x-api-key`), nothing (public or verified in code), SigV4. */
export type RouteAuth = 'apiKey' | 'none' | 'iam';

/** One documented response of a route. */
export interface ResponseSpec {
  description: string;
  schema?: z.core.$ZodType;
}

/**
 * One API route, declared once in `functions/<capability>/routes.ts` and used both by the handler (to parse the
 * request) and by `buildOpenApiDocument`, so the validation and the published contract cannot drift apart.
 */
export interface RouteDefinition {
  operationId: string;
  method: HttpMethod;
  /** Path under the `/v1` stage, with `{name}` placeholders: `/products/{sku}`. */
  path: string;
  summary: string;
  auth: RouteAuth;
  params?: z.core.$ZodObject;
  query?: z.core.$ZodObject;
  body?: z.core.$ZodType;
  /** The body's media type in the document; `application/json` unless the caller sends JSON as another (SNS: text/plain). */
  bodyMediaType?: string;
  responses: Readonly<Record<number, ResponseSpec>>;
  /** Requires an `Idempotency-Key` header; a repeat with the same body gets the first answer (API.md). */
  idempotent?: boolean;
}

/** Declares a route and keeps its literal types (schemas, `idempotent: true`) for the handler factories. */
export const defineRoute = <const R extends RouteDefinition>(route: R): R => route;

/** The error body every route can return (API.md). */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
  }),
});

/** Error answers many routes give, described the same way everywhere. */
export const COMMON_ERROR_RESPONSES = {
  badFields: { description: 'VALIDATION_FAILED: `details.fields` lists every bad field', schema: errorEnvelopeSchema },
  noSuchOrder: { description: 'NOT_FOUND: there is no such order', schema: errorEnvelopeSchema },
} as const satisfies Record<string, ResponseSpec>;

type JsonSchema = Record<string, unknown>;
type JsonObjectSchema = JsonSchema & { properties?: Record<string, JsonSchema>; required?: string[] };

const toJsonSchema = (schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  return rest;
};

const parametersOf = (schema: z.core.$ZodObject | undefined, location: 'path' | 'query') => {
  if (!schema) return [];
  const json = toJsonSchema(schema, 'input') as JsonObjectSchema;
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
  }));
};

const ERROR_RESPONSE = { $ref: '#/components/responses/Error' };
const SECURITY: Record<RouteAuth, Array<Record<string, string[]>>> = {
  apiKey: [{ apiKey: [] }],
  iam: [{ sigv4: [] }],
  none: [],
};

const operationOf = (route: RouteDefinition) => {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = spec.schema
      ? { description: spec.description, content: { 'application/json': { schema: toJsonSchema(spec.schema, 'output') } } }
      : { description: spec.description };
  }
  if (route.idempotent) {
    responses['409'] ??= { ...ERROR_RESPONSE, description: 'REQUEST_IN_PROGRESS: the first request with this key is still running' };
    responses['422'] ??= { ...ERROR_RESPONSE, description: 'IDEMPOTENCY_KEY_REUSED or a business rule' };
  }
  responses.default = ERROR_RESPONSE;

  return {
    operationId: route.operationId,
    summary: route.summary,
    security: SECURITY[route.auth],
    parameters: [
      ...parametersOf(route.params, 'path'),
      ...parametersOf(route.query, 'query'),
      ...(route.idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
    ],
    ...(route.body && {
      requestBody: { required: true, content: { [route.bodyMediaType ?? 'application/json']: { schema: toJsonSchema(route.body, 'input') } } },
    }),
    responses,
  };
};

/**
 * Builds the OpenAPI 3.1 document of `routes` (JSON Schema 2020-12 from the zod schemas, requests as input
 * types and responses as output types). Pure and deterministic; cache the result per cold start.
 * Throws when two routes share a method and path or an operationId.
 */
export const buildOpenApiDocument = (routes: readonly RouteDefinition[], info = { title: 'Commerce Hub API', version: '1.0.0' }) => {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    const method = route.method.toLowerCase();
    const item = (paths[route.path] ??= {});
    if (item[method] || operationIds.has(route.operationId)) {
      throw new Error(`duplicate route ${route.method} ${route.path} (${route.operationId})`);
    }
    operationIds.add(route.operationId);
    item[method] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/v1' }],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'Store API key' },
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'AWS Signature Version 4 (operator routes, IAM auth)',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description: 'Repeat with the same body to get the first answer; 1 to 255 visible ASCII characters.',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
        },
      },
      schemas: { ErrorEnvelope: toJsonSchema(errorEnvelopeSchema, 'output') },
      responses: {
        Error: {
          description: 'Error envelope: `{ "error": { "code", "message", "details" } }`',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
        },
      },
    },
  };
};
