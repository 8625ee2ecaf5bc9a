import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoOrderRepository } from '../../functions/checkout/adapters/order-repository.dynamo';
import { createOrder } from '../../functions/checkout/domain/order';
import { operatorFetch } from '../../local/runtime/operator-client';
import { LOCAL_CREDENTIALS, type LocalEndpoints } from '../../local/runtime/runtime';

const clientConfig = (endpoint: string, endpoints: LocalEndpoints) => ({ endpoint, region: endpoints.aws.region, credentials: LOCAL_CREDENTIALS });
const physical = (endpoints: LocalEndpoints, suffix: string) => Object.entries(endpoints.resources).find(([key]) => key.endsWith(suffix))?.[1].ref ?? '';

const emailsTo = async (endpoints: LocalEndpoints, domain: string): Promise<number> => {
  const { messages } = (await (await fetch(`${endpoints.aws.endpoint}/_mailbox/messages`)).json()) as { messages: Array<{ to: string[] }> };
  return messages.filter((m) => m.to.some((to) => to.endsWith(domain))).length;
};

/**
 * Notifications per second through the queue: `count` paid orders are written, their `order.paid` events published
 * at once, and the clock stops when every confirmation e-mail is in the local mailbox (each event also sends the
 * seller's SMS through the Twilio simulator, which answers at once). Beside it, the baseline: the same number of
 * bare SES SendEmail calls at the same time, the floor the consumer cannot beat.
 */
export const benchNotifications = async (endpoints: LocalEndpoints, count: number) => {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(endpoints.aws.dynamodb, endpoints)));
  const sns = new SNSClient(clientConfig(endpoints.aws.endpoint, endpoints));
  const ses = new SESv2Client(clientConfig(endpoints.aws.endpoint, endpoints));
  try {
    const run = randomUUID().slice(0, 8);
    const domain = `@bench-${run}.example`;
    const sellerId = `seller-bench-${run}`;
    await operatorFetch(`${endpoints.api.url}/sellers/${sellerId}/contact`, { method: 'PUT', body: { name: 'Bench', phone: '+14155550199', language: 'en' } }, LOCAL_CREDENTIALS);
    const orders = dynamoOrderRepository(documents, physical(endpoints, 'Stateful/OrdersTable'));
    const events = [];
    for (let n = 0; n < count; n += 1) {
      const orderId = `ord_${randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase()}`;
      await orders.create(createOrder({
        orderId,
        buyer: { name: 'Bench Buyer', email: `buyer-${n}${domain}`, phone: '+14155550100', address: { line1: '1 Road', city: 'Dhaka', postalCode: '1207', country: 'US' } },
        items: [{ sku: 'BENCH', title: 'Bench', sellerId, quantity: 1, unitPrice: { value: 1000, currency: 'BDT' }, weightGrams: 1, dimensionsCm: { l: 1, w: 1, h: 1 } }],
        amount: { value: 1000, currency: 'BDT' }, shipping: { serviceLevel: 'standard' }, paymentMethod: 'bkash',
      }, new Date().toISOString()));
      events.push({ id: `evt_${randomUUID()}`, type: 'order.paid', version: 1, occurredAt: new Date().toISOString(), orderId, data: {} });
    }
    const topicArn = physical(endpoints, 'Stateful/EventsTopic');
    const started = performance.now();
    for (let i = 0; i < events.length; i += 10) {
      await sns.send(new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: events.slice(i, i + 10).map((event, j) => ({
          Id: String(j), Message: JSON.stringify(event), MessageAttributes: { type: { DataType: 'String', StringValue: 'order.paid' } },
        })),
      }));
    }
    const deadline = Date.now() + 300_000;
    let delivered = 0;
    while ((delivered = await emailsTo(endpoints, domain)) < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const elapsedMs = performance.now() - started;

    const baselineStarted = performance.now();
    await Promise.all(Array.from({ length: count }, (_, n) => ses.send(new SendEmailCommand({
      FromEmailAddress: 'bench@commerce-hub.example', Destination: { ToAddresses: [`baseline-${n}${domain}.baseline`] },
      Content: { Simple: { Subject: { Data: 'baseline' }, Body: { Text: { Data: 'baseline' } } } },
    }))));
    const baselineMs = performance.now() - baselineStarted;
    return { count, delivered, perSecond: (delivered / elapsedMs) * 1000, baselinePerSecond: (count / baselineMs) * 1000 };
  } finally {
    documents.destroy();
    sns.destroy();
    ses.destroy();
  }
};
