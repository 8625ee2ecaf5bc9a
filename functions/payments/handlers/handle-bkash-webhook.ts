import { httpHandler } from '../../_platform/http-handler';
import { logger, maskPii } from '../../_platform/observability';
import { bkashWebhookDeps } from '../adapters/bkash-webhook-deps';
import { acceptPaymentWebhook } from '../domain/accept-payment-webhook';
import { parseBkashIpn } from '../gateways/bkash-ipn';
import { bkashWebhookRoute } from '../routes';

const deps = bkashWebhookDeps();

/**
 * POST /v1/webhooks/bkash: an SNS delivery of bKash's IPN. Nothing is done before the SNS signature is verified
 * (the body's signed `Type` decides, not the unsigned x-amz-sns-message-type header). Any non-2xx makes SNS deliver
 * again under its delivery policy (a few retries, then dropped), so a refusal never loops forever.
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
