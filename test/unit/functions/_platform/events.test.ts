import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import { ValidationError } from '../../../../functions/_platform/errors';
import { snsEventPublisher } from '../../../../functions/_platform/event-publisher.sns';
import { createEvent, EVENT_TYPES, eventEnvelopeSchema } from '../../../../functions/_platform/events';
import { createIdGenerator } from '../../../../functions/_platform/ids';

const clock = { now: () => new Date('2026-03-01T10:00:00.000Z') };
const deps = { clock, ids: createIdGenerator(clock) };

describe('the event envelope', () => {
  it('is built with an evt_ id, version 1 and the clock time', () => {
    const event = createEvent(deps, { type: 'order.paid', orderId: 'ord_1', data: { amount: { value: 240000, currency: 'BDT' } } });

    expect(event).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: 'order.paid',
      version: 1,
      occurredAt: '2026-03-01T10:00:00.000Z',
      orderId: 'ord_1',
      data: { amount: { value: 240000, currency: 'BDT' } },
    });
    expect(z.safeParse(eventEnvelopeSchema, event).success).toBe(true);
  });

  it('accepts every type of the vocabulary and future well-formed types, rejects malformed ones', () => {
    const base = createEvent(deps, { type: 'order.created', data: {} });
    for (const type of EVENT_TYPES) expect(z.safeParse(eventEnvelopeSchema, { ...base, type }).success).toBe(true);
    expect(z.safeParse(eventEnvelopeSchema, { ...base, type: 'coupon.redeemed' }).success).toBe(true);
    expect(z.safeParse(eventEnvelopeSchema, { ...base, type: 'OrderPaid' }).success).toBe(false);
  });

  it('requires id, version, an ISO time and an object of data', () => {
    const result = z.safeParse(eventEnvelopeSchema, { type: 'order.paid', version: 0, occurredAt: 'yesterday', data: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['data', 'id', 'occurredAt', 'version']);
  });
});

describe('the SNS publisher', () => {
  const sns = mockClient(SNSClient);
  afterEach(() => sns.reset());
  afterAll(() => sns.restore());

  it('publishes the envelope JSON with the type as a String message attribute', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const event = createEvent(deps, { type: 'payment.failed', orderId: 'ord_1', data: { reason: 'DECLINED' } });

    await snsEventPublisher('arn:aws:sns:us-east-1:000000000000:events', new SNSClient({ region: 'us-east-1' })).publish(event);

    const [call] = sns.commandCalls(PublishCommand);
    expect(call.args[0].input).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:events',
      Message: JSON.stringify(event),
      MessageAttributes: { type: { DataType: 'String', StringValue: 'payment.failed' } },
    });
  });

  it('refuses to publish an event that breaks the envelope', async () => {
    const broken = { ...createEvent(deps, { type: 'order.paid', data: {} }), occurredAt: 'now' };

    await expect(snsEventPublisher('arn:aws:sns:us-east-1:000000000000:events', new SNSClient({ region: 'us-east-1' })).publish(broken)).rejects.toThrow(
      ValidationError,
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
