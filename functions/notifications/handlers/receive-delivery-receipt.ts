import type { APIGatewayProxyEvent } from 'aws-lambda';
import { buildHttpHandler } from '../../_platform/http-handler';
import { logger } from '../../_platform/observability';
import { receiptDeps } from '../adapters/deps';
import type { MessagingProviderId, RawWebhook } from '../domain/ports';
import { recordDelivery } from '../domain/record-delivery';
import { deliveryReceiptRoutes } from '../routes';

const deps = receiptDeps();

/** The request as the provider sent it: the public URL it called (what Twilio signs), headers, query, raw body. */
const rawWebhookOf = (event: APIGatewayProxyEvent, provider: string): RawWebhook => {
  const query = Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const search = new URLSearchParams(query).toString();
  return {
    method: event.httpMethod,
    url: `${deps.publicApiUrl}/webhooks/${provider}${search ? `?${search}` : ''}`,
    headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value ?? ''])),
    query,
    body: event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? ''),
  };
};

/** /v1/webhooks/{twilio,esms,zalo,hifpt}: verified by the provider's adapter (401 and nothing changed otherwise), then applied. */
export const handler = buildHttpHandler(deliveryReceiptRoutes[0], async (_request, _context, event) => {
  const provider = event.path.split('/').filter(Boolean).pop() as MessagingProviderId;
  const receipts = await deps.channels.receipts(provider).parse(rawWebhookOf(event, provider));
  for (const receipt of receipts) {
    const outcome = await recordDelivery(deps, receipt);
    logger.info('delivery receipt', { provider, status: receipt.status, outcome });
  }
  return { status: 200, headers: { 'content-type': 'text/plain' }, text: 'OK' };
});
