import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { createSqsEmulator } from '../../../../../local/runtime/emulators/sqs';
import { type LocalAws, eventually, startLocalAws } from './local-aws';

let aws: LocalAws;
let queueSequence = 0;

beforeAll(async () => {
  aws = await startLocalAws();
});

afterAll(async () => {
  await aws.stop();
});

/** A fresh queue per test so tests don't see each other's messages. */
function newQueue(settings: Omit<Parameters<LocalAws['sqs']['createQueue']>[0], 'name'> = {}, prefix = 'q') {
  queueSequence += 1;
  return aws.sqs.createQueue({ name: `${prefix}-${queueSequence}`, ...settings });
}

async function receiveOne(queueUrl: string, extra: { VisibilityTimeout?: number; WaitTimeSeconds?: number } = {}) {
  const { Messages } = await aws.sqsClient.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
      ...extra,
    }),
  );
  return Messages?.[0];
}

async function countsOf(queueUrl: string) {
  const { Attributes } = await aws.sqsClient.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages),
    notVisible: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

describe('send, receive, delete', () => {
  it('round-trips a UTF-8 body and message attributes with the MD5s SQS computes', async () => {
    const queue = newQueue();
    const body = 'Đơn hàng #42 — “paid” 🎉';
    const sent = await aws.sqsClient.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: body,
        MessageAttributes: {
          ordinal: { DataType: 'Number', StringValue: '1' },
          category: { DataType: 'String', StringValue: 'test' },
        },
      }),
    );
    // The SDK already checked MD5OfMessageBody; this digest is the published reference value for these attributes.
    expect(sent.MD5OfMessageAttributes).toBe('d21ae90c49061e927f57df5f5d72be1f');

    const message = await receiveOne(queue.url);
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: body,
      MD5OfMessageAttributes: 'd21ae90c49061e927f57df5f5d72be1f',
      MessageAttributes: {
        ordinal: { DataType: 'Number', StringValue: '1' },
        category: { DataType: 'String', StringValue: 'test' },
      },
    });
    expect(message?.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: '000000000000' });
    expect(Number(message?.Attributes?.SentTimestamp)).toBeGreaterThan(0);
    expect(Number(message?.Attributes?.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(
      Number(message?.Attributes?.SentTimestamp),
    );

    await aws.sqsClient.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message?.ReceiptHandle }));
    expect(await countsOf(queue.url)).toEqual({ visible: 0, notVisible: 0 });
  });

  it('matches the reference MD5 for a single string attribute and returns binary attributes as bytes', async () => {
    const queue = newQueue();
    const sent = await aws.sqsClient.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: 'x',
        MessageAttributes: { SellerName: { DataType: 'String', StringValue: 'Example Store' } },
      }),
    );
    expect(sent.MD5OfMessageAttributes).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');

    await aws.sqsClient.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: 'y',
        MessageAttributes: { blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([0, 1, 254, 255]) } },
      }),
    );
    await receiveOne(queue.url);
    const binary = await receiveOne(queue.url);
    expect(Buffer.from(binary?.MessageAttributes?.blob.BinaryValue ?? [])).toEqual(Buffer.from([0, 1, 254, 255]));
  });

  it('returns only the message attributes a receiver names', async () => {
    const queue = newQueue();
    await aws.sqsClient.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: 'x',
        MessageAttributes: {
          'event.type': { DataType: 'String', StringValue: 'order.placed' },
          'event.version': { DataType: 'Number', StringValue: '1' },
          tenant: { DataType: 'String', StringValue: 't1' },
        },
      }),
    );
    const { Messages } = await aws.sqsClient.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MessageAttributeNames: ['event.*'] }),
    );
    expect(Object.keys(Messages?.[0].MessageAttributes ?? {}).sort()).toEqual(['event.type', 'event.version']);
    expect(Messages?.[0].Attributes).toBeUndefined();
  });

  it('sends and deletes in batches, failing only the invalid entries', async () => {
    const queue = newQueue();
    const sent = await aws.sqsClient.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'b', MessageBody: 'second', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } },
          { Id: 'c', MessageBody: 'third' },
        ],
      }),
    );
    expect(sent.Successful?.map((e) => e.Id).sort()).toEqual(['a', 'c']);
    expect(sent.Failed).toEqual([expect.objectContaining({ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue' })]);

    const { Messages } = await aws.sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((m) => m.Body).sort()).toEqual(['first', 'third']);
    const deleted = await aws.sqsClient.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          ...(Messages ?? []).map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })),
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    expect(deleted.Successful).toHaveLength(2);
    expect(deleted.Failed).toEqual([expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid' })]);
    expect(await countsOf(queue.url)).toEqual({ visible: 0, notVisible: 0 });
  });

  it('answers QueueDoesNotExist for an unknown queue', async () => {
    const missing = `${aws.endpoint.url}/000000000000/no-such-queue`;
    await expect(aws.sqsClient.send(new SendMessageCommand({ QueueUrl: missing, MessageBody: 'x' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
    await expect(aws.sqsClient.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('rejects a malformed receipt handle', async () => {
    const queue = newQueue();
    await expect(
      aws.sqsClient.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: 'garbage' })),
    ).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('rejects a body with characters SQS does not allow', async () => {
    const queue = newQueue();
    await expect(
      aws.sqsClient.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'bell \u0007' })),
    ).rejects.toMatchObject({ name: 'InvalidMessageContents' });
  });
});

describe('visibility', () => {
  it('hides a received message until its visibility timeout expires, then redelivers it with a new handle', async () => {
    const queue = newQueue({ visibilityTimeoutSeconds: 1 });
    await aws.sqsClient.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'retry me' }));
    const first = await receiveOne(queue.url);
    expect(first?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(await receiveOne(queue.url)).toBeUndefined();

    const second = await eventually(() => receiveOne(queue.url, { WaitTimeSeconds: 1 }));
    expect(second.MessageId).toBe(first?.MessageId);
    expect(second.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second.ReceiptHandle).not.toBe(first?.ReceiptHandle);

    // As in SQS, the stale handle is accepted but no longer deletes the message.
    await aws.sqsClient.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: first?.ReceiptHandle }));
    expect(await countsOf(queue.url)).toEqual({ visible: 0, notVisible: 1 });
    await aws.sqsClient.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: second.ReceiptHandle }));
    expect(await countsOf(queue.url)).toEqual({ visible: 0, notVisible: 0 });
  });

  it('makes a message visible again at once with ChangeMessageVisibility 0', async () => {
    const queue = newQueue({ visibilityTimeoutSeconds: 600 });
    await aws.sqsClient.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'x' }));
    const first = await receiveOne(queue.url);
    await aws.sqsClient.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: queue.url, ReceiptHandle: first?.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const again = await receiveOne(queue.url);
    expect(again?.MessageId).toBe(first?.MessageId);
  });

  it('delays a message sent with DelaySeconds', async () => {
    const queue = newQueue();
    await aws.sqsClient.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'later', DelaySeconds: 1 }));
    expect(aws.sqs.approximateCounts(queue.arn)).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    expect(await receiveOne(queue.url)).toBeUndefined();
    const message = await eventually(() => receiveOne(queue.url, { WaitTimeSeconds: 1 }));
    expect(message.Body).toBe('later');
  });

  it('ends a long poll when a message arrives', async () => {
    const queue = newQueue();
    // WaitTimeSeconds 20 is past this test's 10 s timeout: only an early return lets it pass.
    const polling = receiveOne(queue.url, { WaitTimeSeconds: 20 });
    await aws.sqsClient.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'wake up' }));
    expect((await polling)?.Body).toBe('wake up');
  }, 10_000);
});

describe('dead-letter queues', () => {
  async function deadLetteredMessage() {
    const deadLetterQueue = newQueue({}, 'dlq');
    const source = newQueue({ redrivePolicy: { deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: 2 } });
    const sent = await aws.sqsClient.send(new SendMessageCommand({
      QueueUrl: source.url,
      MessageBody: 'poison',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
    }));
    expect((await receiveOne(source.url, { VisibilityTimeout: 0 }))?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect((await receiveOne(source.url, { VisibilityTimeout: 0 }))?.Attributes?.ApproximateReceiveCount).toBe('2');
    // The third receive would exceed maxReceiveCount: the message moves to the DLQ instead.
    expect(await receiveOne(source.url)).toBeUndefined();
    return { source, deadLetterQueue, messageId: sent.MessageId };
  }

  it('moves a message to the DLQ after maxReceiveCount receives', async () => {
    const { source, deadLetterQueue, messageId } = await deadLetteredMessage();
    expect(await countsOf(source.url)).toEqual({ visible: 0, notVisible: 0 });
    const dead = await receiveOne(deadLetterQueue.url);
    expect(dead).toMatchObject({ MessageId: messageId, Body: 'poison' });
    expect(dead?.Attributes?.DeadLetterQueueSourceArn).toBe(source.arn);
    expect(dead?.MessageAttributes?.kind.StringValue).toBe('test');

    const { queueUrls } = await aws.sqsClient.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: deadLetterQueue.url }));
    expect(queueUrls).toEqual([source.url]);
  });

  it('redrives the DLQ back to the source queue with StartMessageMoveTask', async () => {
    const { source, deadLetterQueue } = await deadLetteredMessage();
    const { TaskHandle } = await aws.sqsClient.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetterQueue.arn }));
    expect(TaskHandle).toEqual(expect.any(String));
    expect(await countsOf(deadLetterQueue.url)).toEqual({ visible: 0, notVisible: 0 });

    const redriven = await receiveOne(source.url);
    expect(redriven).toMatchObject({ Body: 'poison', MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } } });
    expect(redriven?.Attributes?.ApproximateReceiveCount).toBe('1');

    const { Results } = await aws.sqsClient.send(new ListMessageMoveTasksCommand({ SourceArn: deadLetterQueue.arn }));
    expect(Results?.[0]).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 1, SourceArn: deadLetterQueue.arn });
  });

  it('redrives to DestinationArn when one is given', async () => {
    const { source, deadLetterQueue } = await deadLetteredMessage();
    const elsewhere = newQueue();
    await aws.sqsClient.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetterQueue.arn, DestinationArn: elsewhere.arn }));
    expect((await receiveOne(elsewhere.url))?.Body).toBe('poison');
    expect(await countsOf(source.url)).toEqual({ visible: 0, notVisible: 0 });
  });

  it('refuses a move task from a queue that is no DLQ', async () => {
    const plain = newQueue();
    await expect(aws.sqsClient.send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });
});

describe('queue management', () => {
  it('creates queues idempotently and reports their attributes', async () => {
    const name = `managed-${Date.now()}`;
    const created = await aws.sqsClient.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '45', DelaySeconds: '0' } }),
    );
    expect(created.QueueUrl).toBe(`${aws.endpoint.url}/000000000000/${name}`);
    const again = await aws.sqsClient.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '45' } }));
    expect(again.QueueUrl).toBe(created.QueueUrl);
    await expect(
      aws.sqsClient.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '46' } })),
    ).rejects.toBeInstanceOf(QueueNameExists);

    const { QueueUrl } = await aws.sqsClient.send(new GetQueueUrlCommand({ QueueName: name }));
    expect(QueueUrl).toBe(created.QueueUrl);
    const { QueueUrls } = await aws.sqsClient.send(new ListQueuesCommand({ QueueNamePrefix: name }));
    expect(QueueUrls).toEqual([created.QueueUrl]);
    const { Attributes } = await aws.sqsClient.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      VisibilityTimeout: '45',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  it('reports the redrive policy as SQS does', async () => {
    const deadLetterQueue = newQueue({}, 'dlq');
    const source = newQueue({ redrivePolicy: { deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: 5 } });
    const { Attributes } = await aws.sqsClient.send(
      new GetQueueAttributesCommand({ QueueUrl: source.url, AttributeNames: ['RedrivePolicy', 'QueueArn'] }),
    );
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: 5 });
    expect(Attributes?.QueueArn).toBe(source.arn);
  });

  it('purges a queue', async () => {
    const queue = newQueue();
    await aws.sqsClient.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'x' }));
    await aws.sqsClient.send(new PurgeQueueCommand({ QueueUrl: queue.url }));
    expect(await countsOf(queue.url)).toEqual({ visible: 0, notVisible: 0 });
  });
});

describe('FIFO queues', () => {
  it('delivers a message group in order, one in flight at a time, and drops duplicates', async () => {
    const fifo = aws.sqs.createQueue({ name: 'orders.fifo', fifo: true, visibilityTimeoutSeconds: 600 });
    const send = (body: string, dedup: string) =>
      aws.sqsClient.send(
        new SendMessageCommand({ QueueUrl: fifo.url, MessageBody: body, MessageGroupId: 'order-1', MessageDeduplicationId: dedup }),
      );
    const first = await send('placed', 'd1');
    await send('paid', 'd2');
    const duplicate = await send('placed again', 'd1');
    expect(duplicate.MessageId).toBe(first.MessageId);
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);

    const head = await receiveOne(fifo.url);
    expect(head?.Body).toBe('placed');
    expect(await receiveOne(fifo.url)).toBeUndefined();
    await aws.sqsClient.send(new DeleteMessageCommand({ QueueUrl: fifo.url, ReceiptHandle: head?.ReceiptHandle }));
    expect((await receiveOne(fifo.url))?.Body).toBe('paid');
  });
});

describe('persistence', () => {
  it('restores queues and messages saved by stop()', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sqs-state-'));
    const persistFile = join(directory, 'nested', 'sqs.json');
    try {
      const first = createSqsEmulator({ endpointUrl: 'http://127.0.0.1:1', persistFile });
      const queue = first.createQueue({ name: 'kept', visibilityTimeoutSeconds: 600 });
      first.send(queue.arn, { body: 'one', messageAttributes: { k: { DataType: 'String', StringValue: 'v' } } });
      first.send(queue.arn, { body: 'two' });
      const [inFlight] = await first.receive(queue.arn, { max: 1 });
      await first.stop();

      const second = createSqsEmulator({ endpointUrl: 'http://127.0.0.1:1', persistFile });
      expect(second.approximateCounts(queue.url)).toEqual({ visible: 1, inFlight: 1, delayed: 0 });
      expect(second.createQueue({ name: 'kept', visibilityTimeoutSeconds: 600 })).toEqual(queue);
      const [visible] = await second.receive('kept', { max: 10 });
      expect(visible.body).toBe(inFlight.body === 'one' ? 'two' : 'one');
      second.delete(queue.arn, inFlight.receiptHandle);
      expect(second.approximateCounts(queue.arn)).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
      await second.stop();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not its state', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sqs-state-'));
    const persistFile = join(directory, 'sqs.json');
    try {
      writeFileSync(persistFile, JSON.stringify({ something: 'else' }));
      expect(() => createSqsEmulator({ endpointUrl: 'http://127.0.0.1:1', persistFile })).toThrow(/not an SQS state file/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
