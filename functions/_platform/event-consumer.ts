import { type EventEnvelope, type EventHandlers, type EventType, eventEnvelopeSchema } from './events';
import { idempotentCalls } from './idempotency';
import type { IdempotencyStore } from './idempotency-store';
import { dynamoIdempotencyStore } from './idempotency-store.dynamo';
import { logger, MetricUnit, metrics } from './observability';
import { type QueueHandler, queueHandler } from './queue-handler';

/** A consumed event id is remembered this long: past the 14-day maximum a message can wait in a queue or DLQ. */
export const EVENT_IDEMPOTENCY_TTL_SECONDS = 15 * 24 * 60 * 60;

export interface EventConsumerOptions {
  /** Names this consumer's records in the idempotency table (`shipping`); two consumers must not share one. */
  consumer: string;
  handlers: EventHandlers;
  /** Defaults to the DynamoDB table in IDEMPOTENCY_TABLE; tests pass an in-memory one. */
  store?: IdempotencyStore;
}

interface Dispatched {
  handled: boolean;
}

const hasHandler = (handlers: EventHandlers, type: string): type is EventType => Object.hasOwn(handlers, type);

const dispatch = async (handlers: EventHandlers, event: EventEnvelope): Promise<Dispatched> => {
  const handle = hasHandler(handlers, event.type) ? handlers[event.type] : undefined;
  if (!handle) {
    logger.info('event not handled yet', { eventId: event.id, eventType: event.type });
    const notHandled = metrics.singleMetric();
    notHandled.addDimension('eventType', event.type);
    notHandled.addMetric('EventNotHandled', MetricUnit.Count, 1);
    return { handled: false };
  }
  await handle(event);
  return { handled: true };
};

/**
 * An SQS consumer of the events topic. Each record must be an event envelope (else it fails, is retried and ends
 * in the DLQ); it is handled at most once per event `id` (`idempotentCalls`, so an at-least-once redelivery
 * does nothing twice) by the handler registered for its `type`. A type with no handler is acknowledged, logged as
 * `event not handled yet` and counted as `EventNotHandled`. A handler that throws fails only its record.
 */
export const eventConsumer = ({ consumer, handlers, store = dynamoIdempotencyStore() }: EventConsumerOptions): QueueHandler => {
  const once = idempotentCalls<EventEnvelope, Dispatched>(store, {
    scope: `${consumer}.events`,
    keyOf: (event) => event.id,
    expiresAfterSeconds: EVENT_IDEMPOTENCY_TTL_SECONDS,
  });
  return queueHandler(eventEnvelopeSchema, (event, { context }) => once(event, context, () => dispatch(handlers, event)));
};
