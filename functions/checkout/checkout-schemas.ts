import * as z from 'zod/mini';
import { moneySchema } from '../_platform/money';
import { PAYMENT_METHODS } from './domain/model';
import { ORDER_STATUSES } from './domain/order';

// Schemas shared by the routes that open a payment attempt, each of which has a module of its own
// (create-checkout-route.ts, retry-payment-route.ts): a handler's bundle then builds only its own route's schemas (both
// sit at the 400 KB bundle budget). routes.ts lists them with the others.

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

export const orderIdSchema = z.string().check(z.regex(/^ord_[0-9A-Za-z]{26}$/, 'not an order id'));
