import * as z from 'zod/mini';
import { defineRoute, errorEnvelopeSchema } from '../_platform/openapi';
import { snsMessageSchema } from '../_platform/sns-message';

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
export const paymentsRoutes = [paymentReturnRoute, bkashWebhookRoute];
