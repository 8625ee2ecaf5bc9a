import * as z from 'zod/mini';
import { defineRoute, errorEnvelopeSchema } from '../_platform/openapi';

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

/** Every route of the payments capability. */
export const paymentsRoutes = [paymentReturnRoute];
