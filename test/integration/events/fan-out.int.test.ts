import { createHash, randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, eventually, localEndpoints, resource } from '../../support/local-stack';

const endpoints = localEndpoints();
const sns = new SNSClient(awsClientConfig(endpoints));
const sqs = new SQSClient(awsClientConfig(endpoints));
const topicArn = resource(endpoints, 'Stateful/EventsTopic').ref;
const shippingFn = resource(endpoints, 'Service/Shipping/ShippingEventsConsumer/Fn').ref;
const notificationsFn = resource(endpoints, 'Service/Notifications/NotificationEventsConsumer/Fn').ref;

interface Invocation { functionName: string; source: string; ok: boolean; messages?: Array<{ messageId: string; bodySha256: string; failed: boolean }> }
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What the runtime's invocation log says the function did with the message whose body is `body`. */
const deliveriesOf = async (functionName: string, body: string) => {
  const res = await fetch(`${endpoints.aws.endpoint}/_local/invocations?function=${encodeURIComponent(functionName)}`);
  const { invocations } = (await res.json()) as { invocations: Invocation[] };
  return invocations.flatMap((i) => (i.messages ?? []).filter((m) => m.bodySha256 === sha256(body)));
};
const handled = (functionName: string, body: string) =>
  eventually(async () => ((await deliveriesOf(functionName, body)).some((m) => !m.failed) ? true : undefined), `${functionName} to handle the event`);

const publish = (type: string, body: string) => sns.send(new PublishCommand({
  TopicArn: topicArn, Message: body, MessageAttributes: { type: { DataType: 'String', StringValue: type } },
}));
const anEvent = (type: string) => JSON.stringify({
  id: `evt_${randomUUID()}`, type, version: 1, occurredAt: new Date().toISOString(), orderId: `ord_${randomUUID()}`, data: {},
});

afterAll(() => { sns.destroy(); sqs.destroy(); });

describe('events published to the topic', () => {
  it('reach every queue whose filter policy takes their type, and its consumer handles them once', async () => {
    const event = anEvent('order.paid');
    await publish('order.paid', event);
    await handled(shippingFn, event);
    await handled(notificationsFn, event);
    expect(await deliveriesOf(shippingFn, event)).toEqual([expect.objectContaining({ failed: false })]);
  });

  it('skip a queue whose filter policy does not take their type', async () => {
    const event = anEvent('shipment.delayed');
    await publish('shipment.delayed', event);
    await handled(notificationsFn, event);
    // The notifications consumer has it; the shipping queue had the same time and more to (wrongly) receive it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await deliveriesOf(shippingFn, event)).toEqual([]);
  });

  it('land in the dead-letter queue after 5 failed receives when the consumer cannot handle them', async () => {
    const poison = `not an event ${randomUUID()}`;
    await publish('order.cancelled', poison);
    const dlqUrl = resource(endpoints, 'Stateful/ShippingEvents/DeadLetterQueue').ref;
    const dead = await eventually(async () => {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      return Messages?.find((m) => m.Body === poison);
    }, 'the poison message in the shipping DLQ', 80_000);
    expect(dead.Body).toBe(poison);
    const attempts = await deliveriesOf(shippingFn, poison);
    expect(attempts).toHaveLength(5);
    expect(attempts.every((a) => a.failed)).toBe(true);
  });
});
