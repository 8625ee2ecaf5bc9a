import type { EventEnvelope } from '../../../../functions/_platform/events';
import { platformEnv, setEnv } from '../../../support/env';
import { InMemoryIdempotencyStore } from '../../../support/in-memory/idempotency-store';
import { aLambdaContext } from '../../../support/lambda-context';
import { captureLogs } from '../../../support/log-capture';
import { anSqsEvent, anSqsRecord } from '../../../support/sqs';


setEnv(platformEnv);
const { eventConsumer } = require('../../../../functions/_platform/event-consumer') as typeof import('../../../../functions/_platform/event-consumer');

let sequence = 0;
const anEvent = (type: string, overrides: Partial<EventEnvelope> = {}): EventEnvelope => {
  sequence += 1;
  return { id: `evt_${sequence}`, type, version: 1, occurredAt: '2026-03-01T10:00:00.000Z', orderId: 'ord_1', data: {}, ...overrides };
};

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.stop());

describe('eventConsumer', () => {
  const setup = (behaviour: (event: EventEnvelope) => Promise<void> = async () => undefined) => {
    const handled: string[] = [];
    const store = new InMemoryIdempotencyStore();
    const handler = eventConsumer({
      consumer: 'shipping',
      store,
      handlers: {
        'order.paid': async (event) => {
          handled.push(event.id);
          await behaviour(event);
        },
      },
    });
    return { handler, handled, store };
  };

  it('dispatches an event to the handler of its type', async () => {
    const { handler, handled } = setup();
    const event = anEvent('order.paid');

    const response = await handler(anSqsEvent(anSqsRecord(event)), aLambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(handled).toEqual([event.id]);
  });

  it('handles a redelivered event once: the same id again is acknowledged without running the handler', async () => {
    const { handler, handled } = setup();
    const event = anEvent('order.paid');

    await handler(anSqsEvent(anSqsRecord(event)), aLambdaContext());
    const redelivery = await handler(anSqsEvent(anSqsRecord(event, 2)), aLambdaContext());

    expect(redelivery.batchItemFailures).toEqual([]);
    expect(handled).toEqual([event.id]);
  });

  it('acknowledges a type without a handler, logs "event not handled yet" and counts EventNotHandled', async () => {
    const { handler, handled } = setup();
    const event = anEvent('shipment.delayed');

    const response = await handler(anSqsEvent(anSqsRecord(event)), aLambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(handled).toEqual([]);
    expect(logs.logs()).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'event not handled yet', eventId: event.id, eventType: 'shipment.delayed' }),
    );
    const notHandled = logs.metrics().find((doc) => 'EventNotHandled' in doc);
    expect(notHandled).toMatchObject({ EventNotHandled: 1, eventType: 'shipment.delayed' });
  });

  it('fails a record that is not an event envelope, so it is retried and dead-lettered', async () => {
    const { handler, handled } = setup();
    const poison = anSqsRecord('not an event');
    const incomplete = anSqsRecord({ type: 'order.paid', data: {} });

    const response = await handler(anSqsEvent(poison, incomplete, anSqsRecord(anEvent('order.paid'))), aLambdaContext());

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([poison.messageId, incomplete.messageId].sort());
    expect(handled).toHaveLength(1);
  });

  it('fails only the record whose handler throws, and remembers nothing for it, so the redelivery runs again', async () => {
    let calls = 0;
    const { handler, handled, store } = setup(async () => {
      calls += 1;
      if (calls === 1) throw new Error('carrier down');
    });
    const event = anEvent('order.paid');
    const record = anSqsRecord(event);

    const first = await handler(anSqsEvent(record), aLambdaContext());
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(store.records.size).toBe(0);

    const second = await handler(anSqsEvent(anSqsRecord(event, 2)), aLambdaContext());
    expect(second.batchItemFailures).toEqual([]);
    expect(handled).toEqual([event.id, event.id]);
  });

  it('keeps the records of two consumers apart', async () => {
    const store = new InMemoryIdempotencyStore();
    const seenBy: string[] = [];
    const consumerOf = (consumer: string) =>
      eventConsumer({ consumer, store, handlers: { 'order.paid': async () => void seenBy.push(consumer) } });
    const event = anEvent('order.paid');

    await consumerOf('shipping')(anSqsEvent(anSqsRecord(event)), aLambdaContext());
    await consumerOf('notifications')(anSqsEvent(anSqsRecord(event)), aLambdaContext());

    expect(seenBy).toEqual(['shipping', 'notifications']);
  });
});
