import * as z from 'zod/mini';
import type { Clock } from './clock';
import type { IdGenerator } from './ids';

/** Every event type on the topic (ARCHITECTURE.md): `<entity>.<past tense>`; a breaking change bumps `version`. */
export const EVENT_TYPES = [
  'order.created',
  'order.paid',
  'order.cancelled',
  'payment.failed',
  'refund.succeeded',
  'refund.failed',
  'shipment.created',
  'shipment.status_changed',
  'shipment.delayed',
  'stock.low',
  'payout.completed',
  'bill.paid',
  'integration.degraded',
  'integration.recovered',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The envelope of every event. Consumers accept any well-formed `type`, so a producer can add a type before every
 * consumer knows it (unknown types are acknowledged, not dead-lettered).
 */
export const eventEnvelopeSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  type: z.string().check(z.regex(/^[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*$/, 'must look like entity.past_tense')),
  version: z.int().check(z.positive()),
  occurredAt: z.iso.datetime({ offset: true }),
  orderId: z.optional(z.string().check(z.minLength(1))),
  sellerId: z.optional(z.string().check(z.minLength(1))),
  data: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.output<typeof eventEnvelopeSchema>;

/** An event this system publishes: the envelope with one of our types. */
export type DomainEvent = EventEnvelope & { type: EventType };

/** Publishing as a port; the SNS adapter is `event-publisher.sns.ts`. */
export interface EventPublisher {
  /**
   * Publishes one event, at least once: consumers deduplicate by `id`, so a retried publish is harmless.
   * Throws when the event does not satisfy the envelope schema, or when the transport fails.
   */
  publish(event: DomainEvent): Promise<void>;
}

/** Reacts to one event. Must be idempotent in effect; throws to have the event redelivered. */
export type EventHandler = (event: EventEnvelope) => Promise<void>;
/** A capability's reactions by event type; types without an entry are acknowledged and counted. */
export type EventHandlers = Partial<Record<EventType, EventHandler>>;
/** One reaction for each type a consumer subscribes to, and none for a type it does not receive. */
export type ConsumerHandlers<T extends EventType> = Record<T, EventHandler>;

/** Builds an envelope (version 1 unless given) with a fresh `evt_` id and the clock's time. */
export const createEvent = (
  deps: { ids: IdGenerator; clock: Clock },
  event: { type: EventType; data: Record<string, unknown>; orderId?: string; sellerId?: string; version?: number },
): DomainEvent => ({
  id: deps.ids.next('evt'),
  type: event.type,
  version: event.version ?? 1,
  occurredAt: deps.clock.now().toISOString(),
  ...(event.orderId !== undefined && { orderId: event.orderId }),
  ...(event.sellerId !== undefined && { sellerId: event.sellerId }),
  data: event.data,
});
