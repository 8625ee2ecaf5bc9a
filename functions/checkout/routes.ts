import * as z from 'zod/mini';
import { moneySchema } from '../_platform/money';
import { COMMON_ERROR_RESPONSES, defineRoute } from '../_platform/openapi';
import { SHIPPING_SERVICE_LEVELS } from './domain/model';
import { ORDER_EVENTS, ORDER_STATUSES } from './domain/order';
import { productSchema } from './product-schema';
import { buyerSchema, orderIdSchema, paymentMethodSchema, paymentStatusSchema, skuSchema } from './checkout-schemas';
import { createCheckoutRoute } from './create-checkout-route';
import { retryPaymentRoute } from './retry-payment-route';

export { createCheckoutRoute, orderIdSchema, productSchema, retryPaymentRoute };


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


/** An order as every route that answers with one shows it (GET /orders/{id}, POST /orders/{id}/cancel). */
export const orderResponseSchema = z.object({
  orderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  buyer: buyerSchema,
  items: z.array(z.object({ sku: z.string(), title: z.string(), sellerId: z.string(), quantity: z.int(), unitPrice: moneySchema })),
  amount: moneySchema,
  shipping: z.object({ serviceLevel: z.enum(SHIPPING_SERVICE_LEVELS) }),
  payments: z.array(
    z.object({
      paymentId: z.string(),
      method: paymentMethodSchema,
      status: paymentStatusSchema,
      failureCode: z.optional(z.string()),
      amount: moneySchema,
    }),
  ),
  refunds: z.array(z.object({
    refundId: z.string(),
    paymentId: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    amount: moneySchema,
    reason: z.string(),
    requestedAt: z.string(),
    settledAt: z.optional(z.string()),
  })),
  shipments: z.array(
    z.object({
      shipmentId: z.string(),
      trackingNumber: z.string(),
      carrier: z.string(),
      status: z.string(),
      events: z.array(z.object({ at: z.string(), status: z.string() })),
    }),
  ),
  timeline: z.array(z.object({ at: z.string(), status: z.enum(ORDER_STATUSES), event: z.enum(ORDER_EVENTS), cause: z.optional(z.string()) })),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const getOrderRoute = defineRoute({
  operationId: 'getOrder',
  method: 'GET',
  path: '/orders/{orderId}',
  summary: 'An order with its payments, refunds, shipments and timeline',
  auth: 'apiKey',
  params: z.object({ orderId: orderIdSchema }),
  responses: {
    200: {
      description: 'The order',
      schema: orderResponseSchema,
    },
    404: COMMON_ERROR_RESPONSES.noSuchOrder,
  },
});


/** Every route of the checkout capability. */
export const checkoutRoutes = [listProductsRoute, upsertProductRoute, createCheckoutRoute, getOrderRoute, retryPaymentRoute];
