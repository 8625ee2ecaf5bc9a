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

/** Every route of the checkout capability. */
export const checkoutRoutes = [listProductsRoute];
