import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import { snsClient } from './aws-clients';
import { loadConfig } from './config';
import { type DomainEvent, type EventPublisher, eventEnvelopeSchema } from './events';
import { parseOrThrow } from './validation';

/**
 * Publishes to the events topic. The message is the envelope's JSON; `type` also goes in a String message
 * attribute for the queues' filter policies. Subscriptions use raw message delivery, so an SQS body is exactly
 * this JSON.
 */
export const snsEventPublisher = (topicArn: string, client: SNSClient = snsClient()): EventPublisher => ({
  async publish(event: DomainEvent): Promise<void> {
    parseOrThrow(eventEnvelopeSchema, event, 'input');
    await client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify(event),
        MessageAttributes: { type: { DataType: 'String', StringValue: event.type } },
      }),
    );
  },
});

/** The publisher for the topic in EVENTS_TOPIC_ARN (env); call once per cold start. */
export const eventPublisherFromConfig = (): EventPublisher =>
  snsEventPublisher(loadConfig(z.object({ EVENTS_TOPIC_ARN: z.string().check(z.minLength(1)) })).EVENTS_TOPIC_ARN);
