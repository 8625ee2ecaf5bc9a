import * as z from 'zod/mini';
import { moneySchema } from '../_platform/money';
import { COMMON_ERROR_RESPONSES, defineRoute, errorEnvelopeSchema } from '../_platform/openapi';
import { snsMessageSchema } from '../_platform/sns-message';
import { orderIdSchema, orderResponseSchema } from '../checkout/routes';

export const paymentReturnRoute = defineRoute({
  operationId: 'returnFromPayment',
  method: 'GET',
  path: '/payments/{paymentId}/return',
  summary: 'Where the gateway sends the buyer back: the result is verified with the gateway, then the buyer goes to the store',
  // Public: the gateway's page redirects the buyer's browser here; the return is verified in code, never believed.
  auth: 'none',
  params: z.object({ paymentId: z.string().check(z.minLength(1), z.maxLength(128)) }),
  // Each gateway appends its own query (bKash `paymentID`, `status`; Nagad `payment_ref_id`, `status`, …).
  query: z.catchall(z.object({}), z.string()),
  responses: {
    303: { description: 'To the store\'s return URL with `orderId`, `paymentId`, `status` (paid, failed, pending) and, when failed, `reason`' },
    400: { description: 'VALIDATION_FAILED: not the gateway\'s return query', schema: errorEnvelopeSchema },
    401: { description: 'UNVERIFIED: the return does not belong to a payment of ours; nothing was changed', schema: errorEnvelopeSchema },
    422: { description: 'AMOUNT_MISMATCH: the gateway reports another amount; nothing was changed', schema: errorEnvelopeSchema },
    503: { description: 'PROVIDER_UNAVAILABLE `{ provider }`: the gateway could not be asked; the buyer may reload', schema: errorEnvelopeSchema },
  },
});

const reasonSchema = z.string().check(z.regex(/\S/, 'must not be blank'), z.maxLength(500));

export const requestRefundRoute = defineRoute({
  operationId: 'requestRefund',
  method: 'POST',
  path: '/orders/{orderId}/refunds',
  summary: 'Refund the order\'s payment, fully (no amount) or partly; pending until the gateway confirms',
  auth: 'apiKey',
  idempotent: true,
  params: z.object({ orderId: orderIdSchema }),
  body: z.object({ amount: z.optional(moneySchema), reason: reasonSchema }),
  responses: {
    202: {
      description: 'Accepted: the refund is `pending` until the gateway confirms it (then `refund.succeeded` is published and the order shows it)',
      schema: z.object({ refundId: z.string(), status: z.literal('pending'), amount: moneySchema }),
    },
    400: COMMON_ERROR_RESPONSES.badFields,
    404: COMMON_ERROR_RESPONSES.noSuchOrder,
    409: { description: 'ORDER_NOT_PAID `{ orderId, status }`: no payment of the order took money', schema: errorEnvelopeSchema },
    422: { description: 'REFUND_EXCEEDS_CAPTURED `{ paymentId, captured, refunded, requested }`: more than is left to refund (pending refunds count), IDEMPOTENCY_KEY_REUSED', schema: errorEnvelopeSchema },
  },
});

export const cancelOrderRoute = defineRoute({
  operationId: 'cancelOrder',
  method: 'POST',
  path: '/orders/{orderId}/cancel',
  summary: 'Cancel an order before shipment: a pending payment is stopped, a taken one refunded, the stock put back',
  auth: 'apiKey',
  params: z.object({ orderId: orderIdSchema }),
  body: z.object({ reason: reasonSchema }),
  responses: {
    200: { description: 'The cancelled order; a refund of what was taken is `pending` until the gateway confirms it', schema: orderResponseSchema },
    400: COMMON_ERROR_RESPONSES.badFields,
    404: COMMON_ERROR_RESPONSES.noSuchOrder,
    409: { description: 'ORDER_STATE_CONFLICT: the order is refunded already', schema: errorEnvelopeSchema },
    422: { description: 'ORDER_NOT_CANCELLABLE `{ orderId, status }`: it is shipped or delivered', schema: errorEnvelopeSchema },
  },
});

export const bkashWebhookRoute = defineRoute({
  operationId: 'receiveBkashWebhook',
  method: 'POST',
  // A static resource per provider (not `/webhooks/{provider}`), so each capability adds its providers' webhooks
  // without sharing one resource and one function.
  path: '/webhooks/bkash',
  summary: 'bKash IPN through Amazon SNS: the SNS signature is verified, a subscription confirmed, a notification checked with bKash',
  // Public: SNS calls it; the signature is verified in code before anything changes.
  auth: 'none',
  // SNS posts this JSON as `text/plain; charset=UTF-8`; the handler parses the body whatever its content type.
  body: snsMessageSchema,
  bodyMediaType: 'text/plain',
  responses: {
    200: {
      description: 'Confirmed (SubscriptionConfirmation) or handled (Notification): `recorded` is false for a duplicate or a late notification',
      schema: z.object({ outcome: z.optional(z.enum(['approved', 'failed', 'pending'])), recorded: z.optional(z.boolean()), subscribed: z.optional(z.boolean()) }),
    },
    400: { description: 'VALIDATION_FAILED: not an SNS message, or not a bKash IPN inside it', schema: errorEnvelopeSchema },
    401: { description: 'UNVERIFIED: bad signature, untrusted certificate or topic, or no payment of ours; nothing was changed', schema: errorEnvelopeSchema },
    422: { description: 'AMOUNT_MISMATCH: the notified or the queried amount is not the payment\'s; nothing was changed', schema: errorEnvelopeSchema },
    503: { description: 'PROVIDER_UNAVAILABLE `{ provider }`: the certificate or bKash could not be reached; SNS delivers again', schema: errorEnvelopeSchema },
  },
});

/** Every route of the payments capability. */
export const paymentsRoutes = [paymentReturnRoute, bkashWebhookRoute, requestRefundRoute, cancelOrderRoute];
