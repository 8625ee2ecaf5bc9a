import * as z from 'zod/mini';
import { COMMON_ERROR_RESPONSES, defineRoute, errorEnvelopeSchema } from '../_platform/openapi';
import { checkoutPaymentSchema, checkoutResponseSchema, orderIdSchema } from './checkout-schemas';

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
