import { httpHandler } from '../../_platform/http-handler';
import { paymentReturnDeps } from '../adapters/deps';
import { acceptPaymentReturn } from '../domain/accept-payment-return';
import { paymentReturnRoute } from '../routes';

const deps = paymentReturnDeps();

/** GET /v1/payments/{paymentId}/return: the buyer is back from the gateway; 303 to the store with the verified status. */
export const handler = httpHandler(paymentReturnRoute, async ({ params, query }) => {
  const answer = await acceptPaymentReturn(deps, { paymentId: params.paymentId, query });
  return { status: 303, headers: { location: answer.location, 'cache-control': 'no-store' } };
});
