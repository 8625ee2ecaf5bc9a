import Ajv2020 from 'ajv/dist/2020';
import * as z from 'zod/mini';
import { buildOpenApiDocument, defineRoute, type RouteDefinition } from '../../../../functions/_platform/openapi';
import { checkoutRoutes } from '../../../../functions/checkout/routes';
import { operationsRoutes } from '../../../../functions/operations/routes';

const createThing = defineRoute({
  operationId: 'createThing',
  method: 'POST',
  path: '/things/{thingId}/parts',
  summary: 'An idempotent create',
  auth: 'iam',
  params: z.object({ thingId: z.string() }),
  body: z.object({ name: z.string().check(z.minLength(1)), count: z._default(z.int(), 1) }),
  responses: { 201: { description: 'created', schema: z.object({ partId: z.string() }) } },
  idempotent: true,
});
const allRoutes: RouteDefinition[] = [...operationsRoutes, ...checkoutRoutes, createThing];
const document = buildOpenApiDocument(allRoutes);
const operation = (path: string, method: string): any => (document.paths[path] as Record<string, unknown>)[method];

describe('buildOpenApiDocument', () => {
  it('is OpenAPI 3.1 served under /v1', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: '/v1' }]);
  });

  it('has every route once, with its operationId and summary', () => {
    for (const route of allRoutes) {
      expect(operation(route.path, route.method.toLowerCase())).toMatchObject({ operationId: route.operationId, summary: route.summary });
    }
    expect(Object.keys(document.paths).sort()).toEqual([...new Set(allRoutes.map((route) => route.path))].sort());
  });

  it('marks each route with its auth: the x-api-key scheme, SigV4, or none', () => {
    expect(document.components.securitySchemes.apiKey).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }));
    expect(operation('/products', 'get').security).toEqual([{ apiKey: [] }]);
    expect(operation('/health', 'get').security).toEqual([]);
    expect(operation('/things/{thingId}/parts', 'post').security).toEqual([{ sigv4: [] }]);
  });

  it('describes the error envelope once and refers every operation to it', () => {
    expect(document.components.schemas.ErrorEnvelope).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { type: 'object', required: ['code', 'message', 'details'] } },
    });
    for (const route of allRoutes) {
      expect(operation(route.path, route.method.toLowerCase()).responses.default).toEqual({ $ref: '#/components/responses/Error' });
    }
  });

  it('turns path and query schemas into parameters with their constraints', () => {
    const parameters = operation('/products', 'get').parameters;
    expect(parameters).toEqual(
      expect.arrayContaining([
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        expect.objectContaining({ name: 'sellerId', in: 'query', required: false }),
        expect.objectContaining({ name: 'cursor', in: 'query', required: false }),
      ]),
    );
    expect(operation('/things/{thingId}/parts', 'post').parameters).toContainEqual({
      name: 'thingId',
      in: 'path',
      required: true,
      schema: { type: 'string' },
    });
  });

  it('documents idempotent routes: the Idempotency-Key header, 409 and 422', () => {
    const create = operation('/things/{thingId}/parts', 'post');
    expect(create.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '409', '422', 'default']));
    expect(create.requestBody.content['application/json'].schema).toMatchObject({ required: ['name'] });
  });

  it('produces schemas that validate what the API really sends', () => {
    const ajv = new Ajv2020({ strict: false });
    const validEnvelope = ajv.compile(document.components.schemas.ErrorEnvelope);
    expect(validEnvelope({ error: { code: 'NOT_FOUND', message: 'no order', details: {} } })).toBe(true);
    expect(validEnvelope({ message: 'Forbidden' })).toBe(false);

    const page = ajv.compile(operation('/products', 'get').responses['200'].content['application/json'].schema);
    const product = { sku: 'TSHIRT-RED-M', title: 'T-shirt', sellerId: 's1', prices: [{ value: 120000, currency: 'BDT' }], stock: 3, weightGrams: 200, dimensionsCm: { l: 30, w: 20, h: 2 } };
    expect(page({ items: [product], nextCursor: null })).toBe(true);
    expect(page({ items: [{ ...product, prices: [{ value: 12.5, currency: 'BDT' }] }], nextCursor: null })).toBe(false);
  });

  it('refuses two routes with the same method and path', () => {
    expect(() => buildOpenApiDocument([...allRoutes, { ...createThing, operationId: 'other' }])).toThrow(/duplicate route POST/);
  });
});
