import * as z from 'zod/mini';
import { moneySchema } from '../_platform/money';
import { defineRoute, errorEnvelopeSchema } from '../_platform/openapi';
import { PAYMENT_METHODS, SHIPPING_SERVICE_LEVELS } from './domain/model';
import { ORDER_EVENTS, ORDER_STATUSES } from './domain/order';

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

const text = (max: number) => z.string().check(z.regex(/\S/, 'must not be blank'), z.maxLength(max));

const buyerSchema = z.object({
  name: text(200),
  email: z.email('must be an e-mail address').check(z.maxLength(254)),
  phone: z.e164('must be an E.164 phone number, e.g. +8801712345678'),
  address: z.object({
    line1: text(200),
    city: text(100),
    postalCode: text(20),
    country: z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. BD')),
  }),
});
const paymentMethodSchema = z.enum(PAYMENT_METHODS);
const paymentStatusSchema = z.enum(['pending', 'authorized', 'succeeded', 'failed', 'refunded']);

/**
 * POST /checkouts. Unknown fields are dropped, not refused (zod's default): a client that sends `price` or
 * `unitPrice` gets the catalog's price, which is all it could ever get.
 */
export const createCheckoutRoute = defineRoute({
  operationId: 'createCheckout',
  method: 'POST',
  path: '/checkouts',
  summary: 'Place an order at catalog prices, reserve its stock and open its first payment attempt',
  auth: 'apiKey',
  idempotent: true,
  body: z.object({
    buyer: buyerSchema,
    items: z
      .array(z.object({ sku: skuSchema, quantity: z.int().check(z.positive(), z.maximum(999)) }))
      .check(z.minLength(1), z.maxLength(50)),
    payment: z.object({
      method: paymentMethodSchema,
      returnUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).check(z.maxLength(2048)),
    }),
    shipping: z.object({ serviceLevel: z.enum(SHIPPING_SERVICE_LEVELS) }),
  }),
  responses: {
    201: {
      description: 'The order waits for payment: send the buyer to `payment.action.url`',
      schema: z.object({
        orderId: z.string(),
        status: z.enum(ORDER_STATUSES),
        amount: moneySchema,
        payment: z.object({
          paymentId: z.string(),
          method: paymentMethodSchema,
          status: paymentStatusSchema,
          action: z.object({ type: z.literal('redirect'), url: z.string() }),
        }),
      }),
    },
    400: { description: 'VALIDATION_FAILED: `details.fields` lists every bad field', schema: errorEnvelopeSchema },
    404: { description: 'NOT_FOUND: `details.skus` lists the SKUs the catalog does not have', schema: errorEnvelopeSchema },
    422: { description: 'OUT_OF_STOCK `{ sku, requested }`, METHOD_NOT_AVAILABLE `{ method, currency? }`, PRICE_NOT_AVAILABLE `{ skus, currency }`, IDEMPOTENCY_KEY_REUSED', schema: errorEnvelopeSchema },
    503: { description: 'PROVIDER_UNAVAILABLE `{ provider }`: the gateway is down; nothing was reserved or charged, retry later', schema: errorEnvelopeSchema },
  },
});

export const orderIdSchema = z.string().check(z.regex(/^ord_[0-9A-Za-z]{26}$/, 'not an order id'));

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
      schema: z.object({
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
        refunds: z.array(z.object({ refundId: z.string(), status: z.enum(['pending', 'succeeded', 'failed']), amount: moneySchema })),
        shipments: z.array(
          z.object({
            trackingNumber: z.string(),
            carrier: z.string(),
            status: z.string(),
            events: z.array(z.object({ at: z.string(), status: z.string() })),
          }),
        ),
        timeline: z.array(z.object({ at: z.string(), status: z.enum(ORDER_STATUSES), event: z.enum(ORDER_EVENTS), cause: z.optional(z.string()) })),
        createdAt: z.string(),
        updatedAt: z.string(),
      }),
    },
    404: { description: 'NOT_FOUND: there is no such order', schema: errorEnvelopeSchema },
  },
});

/** Every route of the checkout capability. */
export const checkoutRoutes = [listProductsRoute, upsertProductRoute, createCheckoutRoute, getOrderRoute];
