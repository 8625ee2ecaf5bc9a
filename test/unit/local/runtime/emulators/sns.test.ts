import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { type LocalAws, startLocalAws } from './local-aws';

let aws: LocalAws;
let sequence = 0;

beforeAll(async () => {
  aws = await startLocalAws();
});

afterAll(async () => {
  await aws.stop();
});

function fresh(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

async function receiveAll(queueUrl: string): Promise<Message[]> {
  const { Messages } = await aws.sqsClient.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
  );
  return Messages ?? [];
}

describe('Publish to SQS subscriptions', () => {
  it('delivers the raw message and its attributes to a raw subscription', async () => {
    const topic = aws.sns.createTopic({ name: fresh('events') });
    const queue = aws.sqs.createQueue({ name: fresh('raw') });
    aws.sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queue.arn, rawMessageDelivery: true });

    const { MessageId } = await aws.snsClient.send(
      new PublishCommand({
        TopicArn: topic.arn,
        Message: '{"orderId":"o-1"}',
        MessageAttributes: {
          type: { DataType: 'String', StringValue: 'checkout.order.placed.v1' },
          version: { DataType: 'Number', StringValue: '1' },
          trace: { DataType: 'Binary', BinaryValue: Buffer.from('t-1') },
        },
      }),
    );
    expect(MessageId).toEqual(expect.any(String));

    const [message] = await receiveAll(queue.url);
    expect(message.Body).toBe('{"orderId":"o-1"}');
    expect(message.MessageAttributes).toMatchObject({
      type: { DataType: 'String', StringValue: 'checkout.order.placed.v1' },
      version: { DataType: 'Number', StringValue: '1' },
    });
    expect(Buffer.from(message.MessageAttributes?.trace.BinaryValue ?? []).toString()).toBe('t-1');
  });

  it('wraps the message in the Notification envelope when raw delivery is off', async () => {
    const topic = aws.sns.createTopic({ name: fresh('events') });
    const queue = aws.sqs.createQueue({ name: fresh('envelope') });
    aws.sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queue.arn });

    const { MessageId } = await aws.snsClient.send(
      new PublishCommand({
        TopicArn: topic.arn,
        Subject: 'Order placed',
        Message: 'hello',
        MessageAttributes: { type: { DataType: 'String', StringValue: 'order.placed' } },
      }),
    );

    const [message] = await receiveAll(queue.url);
    expect(message.MessageAttributes).toBeUndefined();
    const envelope = JSON.parse(message.Body ?? '');
    expect(envelope).toEqual({
      Type: 'Notification',
      MessageId,
      TopicArn: topic.arn,
      Subject: 'Order placed',
      Message: 'hello',
      Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      SignatureVersion: '1',
      Signature: expect.any(String),
      SigningCertURL: expect.stringMatching(/^https:\/\//),
      UnsubscribeURL: expect.stringContaining('Action=Unsubscribe'),
      MessageAttributes: { type: { Type: 'String', Value: 'order.placed' } },
    });
  });

  it('routes by filter policy: each queue gets only the types it subscribed to', async () => {
    const topic = aws.sns.createTopic({ name: fresh('events') });
    const shipping = aws.sqs.createQueue({ name: fresh('shipping') });
    const notifications = aws.sqs.createQueue({ name: fresh('notifications') });
    aws.sns.subscribe({
      topicArn: topic.arn,
      protocol: 'sqs',
      endpoint: shipping.arn,
      rawMessageDelivery: true,
      filterPolicy: { type: ['payments.payment.captured.v1'] },
    });
    aws.sns.subscribe({
      topicArn: topic.arn,
      protocol: 'sqs',
      endpoint: notifications.arn,
      rawMessageDelivery: true,
      filterPolicy: { type: [{ prefix: 'checkout.' }] },
    });

    const publish = (type: string) =>
      aws.snsClient.send(
        new PublishCommand({ TopicArn: topic.arn, Message: type, MessageAttributes: { type: { DataType: 'String', StringValue: type } } }),
      );
    await publish('checkout.order.placed.v1');
    await publish('payments.payment.captured.v1');
    await publish('shipping.label.created.v1');

    expect((await receiveAll(shipping.url)).map((m) => m.Body)).toEqual(['payments.payment.captured.v1']);
    expect((await receiveAll(notifications.url)).map((m) => m.Body)).toEqual(['checkout.order.placed.v1']);
  });

  it('filters on the message body for a MessageBody-scoped subscription made over the wire', async () => {
    const { TopicArn } = await aws.snsClient.send(new CreateTopicCommand({ Name: fresh('events') }));
    const queue = aws.sqs.createQueue({ name: fresh('big-orders') });
    await aws.snsClient.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queue.arn,
        ReturnSubscriptionArn: true,
        Attributes: {
          RawMessageDelivery: 'true',
          FilterPolicyScope: 'MessageBody',
          FilterPolicy: JSON.stringify({ order: { total: [{ numeric: ['>=', 1000] }] } }),
        },
      }),
    );
    await aws.snsClient.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ order: { total: 10 } }) }));
    await aws.snsClient.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ order: { total: 5000 } }) }));

    expect((await receiveAll(queue.url)).map((m) => JSON.parse(m.Body ?? '').order.total)).toEqual([5000]);
  });

  it('publishes batches', async () => {
    const topic = aws.sns.createTopic({ name: fresh('events') });
    const queue = aws.sqs.createQueue({ name: fresh('batch') });
    aws.sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queue.arn, rawMessageDelivery: true });

    const result = await aws.snsClient.send(
      new PublishBatchCommand({
        TopicArn: topic.arn,
        PublishBatchRequestEntries: [
          { Id: 'one', Message: 'first', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } },
          { Id: 'two', Message: 'second' },
          { Id: 'bad', Message: 'third', MessageAttributes: { n: { DataType: 'Number', StringValue: 'NaN?' } } },
        ],
      }),
    );
    expect(result.Successful?.map((e) => e.Id)).toEqual(['one', 'two']);
    expect(result.Successful?.every((e) => typeof e.MessageId === 'string')).toBe(true);
    expect(result.Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true })]);
    expect((await receiveAll(queue.url)).map((m) => m.Body).sort()).toEqual(['first', 'second']);
  });

  it('uses the sqs entry of a MessageStructure=json message', async () => {
    const topic = aws.sns.createTopic({ name: fresh('events') });
    const queue = aws.sqs.createQueue({ name: fresh('structured') });
    aws.sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queue.arn, rawMessageDelivery: true });
    await aws.snsClient.send(
      new PublishCommand({
        TopicArn: topic.arn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for everyone', sqs: 'for queues' }),
      }),
    );
    expect((await receiveAll(queue.url)).map((m) => m.Body)).toEqual(['for queues']);
  });
});

describe('errors', () => {
  it('answers NotFound for a publish to an unknown topic', async () => {
    await expect(
      aws.snsClient.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Message: 'x' })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('rejects an invalid filter policy on Subscribe', async () => {
    const topic = aws.sns.createTopic({ name: fresh('events') });
    await expect(
      aws.snsClient.send(
        new SubscribeCommand({
          TopicArn: topic.arn,
          Protocol: 'sqs',
          Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q',
          Attributes: { FilterPolicy: JSON.stringify({ type: 'not-an-array' }) },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('keeps delivering to the other subscriptions when one queue is missing', async () => {
    const topic = aws.sns.createTopic({ name: fresh('events') });
    const queue = aws.sqs.createQueue({ name: fresh('present') });
    aws.sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:000000000000:gone', rawMessageDelivery: true });
    aws.sns.subscribe({ topicArn: topic.arn, protocol: 'sqs', endpoint: queue.arn, rawMessageDelivery: true });
    await aws.snsClient.send(new PublishCommand({ TopicArn: topic.arn, Message: 'still here' }));
    expect((await receiveAll(queue.url)).map((m) => m.Body)).toEqual(['still here']);
  });
});

describe('topic management', () => {
  it('creates topics idempotently and describes them', async () => {
    const name = fresh('commerce-events');
    const first = await aws.snsClient.send(new CreateTopicCommand({ Name: name }));
    const second = await aws.snsClient.send(new CreateTopicCommand({ Name: name }));
    expect(first.TopicArn).toBe(`arn:aws:sns:us-east-1:000000000000:${name}`);
    expect(second.TopicArn).toBe(first.TopicArn);

    const queue = aws.sqs.createQueue({ name: fresh('q') });
    const { SubscriptionArn } = await aws.snsClient.send(
      new SubscribeCommand({ TopicArn: first.TopicArn, Protocol: 'sqs', Endpoint: queue.arn, ReturnSubscriptionArn: true }),
    );
    expect(SubscriptionArn).toMatch(new RegExp(`^${first.TopicArn}:`));

    const { Attributes } = await aws.snsClient.send(new GetTopicAttributesCommand({ TopicArn: first.TopicArn }));
    expect(Attributes).toMatchObject({ TopicArn: first.TopicArn, SubscriptionsConfirmed: '1', SubscriptionsPending: '0' });
    expect(JSON.parse(Attributes?.Policy ?? '').Statement[0].Resource).toBe(first.TopicArn);

    const { Topics } = await aws.snsClient.send(new ListTopicsCommand({}));
    expect(Topics?.map((t) => t.TopicArn)).toContain(first.TopicArn);

    const { Subscriptions } = await aws.snsClient.send(new ListSubscriptionsByTopicCommand({ TopicArn: first.TopicArn }));
    expect(Subscriptions).toEqual([
      { SubscriptionArn, Owner: '000000000000', Protocol: 'sqs', Endpoint: queue.arn, TopicArn: first.TopicArn },
    ]);
  });
});
