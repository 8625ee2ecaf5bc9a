import { httpHandler } from '../../_platform/http-handler';
import { logger, maskPii } from '../../_platform/observability';
import { bkashWebhookDeps } from '../adapters/bkash-webhook-deps';
import { acceptPaymentWebhook } from '../domain/accept-payment-webhook';
import { parseBkashIpn } from '../gateways/bkash-ipn';
import { bkashWebhookRoute } from '../routes';

const deps = bkashWebhookDeps();

/**
 * POST /v1/webhooks/bkash: an SNS delivery of bKash's IPN. Nothing is done before the SNS signature is verified
 * (the body's signed `Type` decides, not the unsigned x-amz-sns-message-type header). A verified IPN for a payment
 * we do not know is refused 401 like a forged one rather than acknowledged and ignored: SNS redelivers a non-2xx
 * only under its delivery policy (a few retries, then dropped), so a refusal never loops, and the refusal stays
 * visible in the API's 4xx metrics instead of vanishing.
 */
export const handler = httpHandler(bkashWebhookRoute, async ({ body }) => {
  await deps.sns.verify(body);
  if (body.Type === 'SubscriptionConfirmation') {
    await deps.sns.confirmSubscription(body);
    return { status: 200, body: { subscribed: true } };
  }
  if (body.Type !== 'Notification') return { status: 200, body: {} };
  const ipn = parseBkashIpn(body.Message);
  const { paymentId, transactionId } = ipn.notification;
  logger.info('bkash ipn received', { paymentId, transactionId, transactionStatus: ipn.transactionStatus, payer: ipn.payer && maskPii(ipn.payer) });
  return { status: 200, body: await acceptPaymentWebhook(deps, ipn.notification) };
});
