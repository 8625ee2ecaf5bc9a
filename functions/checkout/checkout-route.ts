import * as z from 'zod/mini';
import { moneySchema } from '../_platform/money';
import { COMMON_ERROR_RESPONSES, defineRoute, errorEnvelopeSchema } from '../_platform/openapi';
import { PAYMENT_METHODS, SHIPPING_SERVICE_LEVELS } from './domain/model';
import { ORDER_STATUSES } from './domain/order';

// The routes that open a payment attempt (POST /checkouts, POST /orders/{id}/payments) have a module of their own so
// their bundles carry only these schemas (they sit a few KB under the 400 KB bundle budget); routes.ts lists them with
// the others.

export const skuSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash, underscore; at most 64'));

const text = (max: number) => z.string().check(z.regex(/\S/, 'must not be blank'), z.maxLength(max));

export const buyerSchema = z.object({
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
export const paymentMethodSchema = z.enum(PAYMENT_METHODS);
export const paymentStatusSchema = z.enum(['pending', 'authorized', 'succeeded', 'failed', 'refunded']);

/** How the buyer pays: at checkout, and for a new attempt after a failed one. */
export const checkoutPaymentSchema = z.object({
  method: paymentMethodSchema,
  returnUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).check(z.maxLength(2048)),
});

/** The order waiting for payment and where the buyer pays. */
export const checkoutResponseSchema = z.object({
  orderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  amount: moneySchema,
  payment: z.object({
    paymentId: z.string(),
    method: paymentMethodSchema,
    status: paymentStatusSchema,
    action: z.object({ type: z.literal('redirect'), url: z.string() }),
  }),
});

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
    payment: checkoutPaymentSchema,
    shipping: z.object({ serviceLevel: z.enum(SHIPPING_SERVICE_LEVELS) }),
  }),
  responses: {
    201: {
      description: 'The order waits for payment: send the buyer to `payment.action.url`',
      schema: checkoutResponseSchema,
    },
    400: COMMON_ERROR_RESPONSES.badFields,
    404: { description: 'NOT_FOUND: `details.skus` lists the SKUs the catalog does not have', schema: errorEnvelopeSchema },
    422: { description: 'OUT_OF_STOCK `{ sku, requested }`, METHOD_NOT_AVAILABLE `{ method, currency? }`, PRICE_NOT_AVAILABLE `{ skus, currency }`, IDEMPOTENCY_KEY_REUSED', schema: errorEnvelopeSchema },
    503: { description: 'PROVIDER_UNAVAILABLE `{ provider }`: the gateway is down; nothing was reserved or charged, retry later', schema: errorEnvelopeSchema },
  },
});

export const orderIdSchema = z.string().check(z.regex(/^ord_[0-9A-Za-z]{26}$/, 'not an order id'));

export const retryPaymentRoute = defineRoute({
  operationId: 'retryPayment',
  method: 'POST',
  path: '/orders/{orderId}/payments',
  summary: 'A new payment attempt after a failed one, with the same or another method',
  auth: 'apiKey',
  idempotent: true,
  params: z.object({ orderId: orderIdSchema }),
  body: checkoutPaymentSchema,
  responses: {
    201: { description: 'The order waits for payment again: send the buyer to `payment.action.url`', schema: checkoutResponseSchema },
    400: COMMON_ERROR_RESPONSES.badFields,
    404: COMMON_ERROR_RESPONSES.noSuchOrder,
    409: { description: 'PAYMENT_PENDING `{ orderId, paymentId }`: an attempt still waits for the buyer; ORDER_STATE_CONFLICT: the order is paid or closed', schema: errorEnvelopeSchema },
    422: { description: 'OUT_OF_STOCK `{ sku, requested }`, METHOD_NOT_AVAILABLE `{ method, currency? }`, IDEMPOTENCY_KEY_REUSED', schema: errorEnvelopeSchema },
    503: { description: 'PROVIDER_UNAVAILABLE `{ provider }`: the gateway is down; nothing was reserved or charged', schema: errorEnvelopeSchema },
  },
});
