import * as z from 'zod/mini';
import { moneySchema } from '../_platform/money';
import { defineRoute } from '../_platform/openapi';

export const productSchema = z.object({
  sku: z.string(),
  title: z.string(),
  sellerId: z.string(),
  prices: z.array(moneySchema),
  stock: z.int(),
  weightGrams: z.int(),
  dimensionsCm: z.object({ l: z.number(), w: z.number(), h: z.number() }),
});

export const listProductsRoute = defineRoute({
  operationId: 'listProducts',
  method: 'GET',
  path: '/products',
  summary: 'List the catalog, optionally for one seller, a page at a time',
  auth: 'apiKey',
  query: z.object({
    sellerId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  }),
  responses: {
    200: {
      description: 'One page; pass `nextCursor` back as `cursor` for the next, until it is null',
      schema: z.object({ items: z.array(productSchema), nextCursor: z.nullable(z.string()) }),
    },
  },
});

const skuSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash, underscore; at most 64'));

export const upsertProductRoute = defineRoute({
  operationId: 'upsertProduct',
  method: 'PUT',
  path: '/products/{sku}',
  summary: 'Create or replace a product (operators); stock is set absolutely with `stock` or changed with `stockDelta`',
  auth: 'iam',
  params: z.object({ sku: skuSchema }),
  body: z
    .object({
      title: z.string().check(z.minLength(1), z.maxLength(200)),
      sellerId: z.string().check(z.minLength(1), z.maxLength(64)),
      prices: z.array(moneySchema).check(
        z.minLength(1),
        z.refine((prices) => new Set(prices.map((p) => p.currency)).size === prices.length, 'one price per currency'),
      ),
      stock: z.optional(z.int().check(z.nonnegative())),
      stockDelta: z.optional(z.int()),
      weightGrams: z.int().check(z.positive()),
      dimensionsCm: z.object({ l: z.number().check(z.positive()), w: z.number().check(z.positive()), h: z.number().check(z.positive()) }),
    })
    .check(z.refine((body) => body.stock === undefined || body.stockDelta === undefined, 'give stock or stockDelta, not both')),
  responses: {
    200: { description: 'The product was replaced', schema: productSchema },
    201: { description: 'The product was created', schema: productSchema },
  },
});

/** Every route of the checkout capability. */
export const checkoutRoutes = [listProductsRoute, upsertProductRoute];
