import type { SQSEvent } from 'aws-lambda';
import type { InvokeFunction, InvokeResult } from '../../../../local/runtime/contracts';
import { type SqsEmulator, createSqsEmulator } from '../../../../local/runtime/emulators/sqs';
import {
  type BatchReport,
  type SqsEventSourceMapping,
  startSqsEventSource,
  toSqsEvent,
} from '../../../../local/runtime/event-source-mapping';

let sqs: SqsEmulator;
let queueSequence = 0;
const running: { stop(): Promise<void> }[] = [];

beforeEach(() => {
  sqs = createSqsEmulator({ endpointUrl: 'http://127.0.0.1:4566' });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((mapping) => mapping.stop()));
  await sqs.stop();
});

function newQueue(visibilityTimeoutSeconds = 1) {
  queueSequence += 1;
  return sqs.createQueue({ name: `esm-${queueSequence}`, visibilityTimeoutSeconds });
}

/** A fake function that records every record it sees and answers with `respond`. */
function fakeFunction(respond: (event: SQSEvent, call: number) => InvokeResult | Promise<InvokeResult>) {
  const seen: { body: string; receiveCount: string; messageId: string }[] = [];
  let calls = 0;
  const invoke: InvokeFunction = async (_name, payload) => {
    const event = payload as SQSEvent;
    for (const record of event.Records) {
      seen.push({ body: record.body, receiveCount: record.attributes.ApproximateReceiveCount, messageId: record.messageId });
    }
    calls += 1;
    return respond(event, calls);
  };
  return { invoke, seen };
}

function start(mapping: Partial<SqsEventSourceMapping> & { queueArn: string }, invoke: InvokeFunction, reports: BatchReport[] = []) {
  const handle = startSqsEventSource(
    { functionName: 'consumer', batchSize: 10, reportBatchItemFailures: true, ...mapping },
    { sqs, invoke, onBatch: (report) => reports.push(report) },
  );
  running.push(handle);
  return handle;
}

/** Resolves once `condition` holds (checked every 20 ms); a guard against hanging, not a speed assertion. */
async function until(condition: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Redeliveries wait out real visibility timeouts; on a loaded 2-core machine a test can pass jest's 5 s default while
// `until` (its own 8 s guard, and the reason a test fails) is still waiting. The guard decides, not jest's clock.
jest.setTimeout(20_000);

describe('startSqsEventSource', () => {
  it('deletes the successes and redelivers only the items reported in batchItemFailures', async () => {
    const queue = newQueue(1);
    for (const body of ['ok-1', 'bad', 'ok-2']) sqs.send(queue.arn, { body });
    const reports: BatchReport[] = [];
    const fn = fakeFunction((event) => ({
      ok: true,
      payload: {
        batchItemFailures: event.Records.filter((r) => r.body === 'bad' && r.attributes.ApproximateReceiveCount === '1').map(
          (r) => ({ itemIdentifier: r.messageId }),
        ),
      },
    }));
    start({ queueArn: queue.arn }, fn.invoke, reports);

    await until(() => fn.seen.some((s) => s.body === 'bad' && s.receiveCount === '2'));
    await until(() => sqs.approximateCounts(queue.arn).inFlight === 0);

    expect(fn.seen.filter((s) => s.body === 'ok-1')).toHaveLength(1);
    expect(fn.seen.filter((s) => s.body === 'ok-2')).toHaveLength(1);
    expect(fn.seen.filter((s) => s.body === 'bad').map((s) => s.receiveCount)).toEqual(['1', '2']);
    expect(sqs.approximateCounts(queue.arn)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const badId = fn.seen.find((s) => s.body === 'bad')?.messageId;
    expect(reports.some((r) => r.failedMessageIds.length === 1 && r.failedMessageIds[0] === badId)).toBe(true);
  });

  it('redelivers the whole batch when the function fails', async () => {
    const queue = newQueue(1);
    for (const body of ['a', 'b']) sqs.send(queue.arn, { body });
    const reports: BatchReport[] = [];
    const fn = fakeFunction((_event, call) =>
      call === 1 ? { ok: false, errorType: 'Error', errorMessage: 'downstream unavailable' } : { ok: true, payload: null },
    );
    start({ queueArn: queue.arn, maximumConcurrency: 1 }, fn.invoke, reports);

    await until(() => fn.seen.filter((s) => s.receiveCount === '2').length === 2);
    await until(() => sqs.approximateCounts(queue.arn).inFlight === 0);

    expect(fn.seen.map((s) => `${s.body}:${s.receiveCount}`).sort()).toEqual(['a:1', 'a:2', 'b:1', 'b:2']);
    expect(reports[0]).toMatchObject({ error: 'Error: downstream unavailable' });
    expect(reports[0].failedMessageIds.sort()).toEqual(reports[0].messageIds.sort());
    expect(sqs.approximateCounts(queue.arn)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('fails the whole batch when batchItemFailures names a message that is not in it', async () => {
    const queue = newQueue(1);
    for (const body of ['a', 'b']) sqs.send(queue.arn, { body });
    const reports: BatchReport[] = [];
    const fn = fakeFunction((_event, call) =>
      call === 1 ? { ok: true, payload: { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } } : { ok: true, payload: {} },
    );
    start({ queueArn: queue.arn, maximumConcurrency: 1 }, fn.invoke, reports);

    await until(() => fn.seen.filter((s) => s.receiveCount === '2').length === 2);
    expect(reports[0].error).toMatch(/not-in-this-batch/);
    expect(reports[0].failedMessageIds).toHaveLength(2);
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['batchItemFailures that is not a list', { batchItemFailures: 'a' }],
    ['a response that is not an object', 'OK'],
  ])('fails the whole batch for %s', async (_name, payload) => {
    const queue = newQueue(600);
    sqs.send(queue.arn, { body: 'x' });
    const reports: BatchReport[] = [];
    start({ queueArn: queue.arn }, async () => ({ ok: true, payload }), reports);
    await until(() => reports.length > 0);
    expect(reports[0].error).toEqual(expect.any(String));
    expect(sqs.approximateCounts(queue.arn)).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
  });

  it('deletes everything on success when the mapping does not report item failures', async () => {
    const queue = newQueue(600);
    for (const body of ['a', 'b', 'c']) sqs.send(queue.arn, { body });
    const reports: BatchReport[] = [];
    const fn = fakeFunction((event) => ({
      ok: true,
      payload: { batchItemFailures: [{ itemIdentifier: event.Records[0].messageId }] },
    }));
    start({ queueArn: queue.arn, reportBatchItemFailures: false }, fn.invoke, reports);
    await until(() => fn.seen.length === 3 && sqs.approximateCounts(queue.arn).inFlight === 0);
    expect(sqs.approximateCounts(queue.arn)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(reports.flatMap((r) => r.failedMessageIds)).toEqual([]);
  });

  it('gathers up to batchSize records within the batching window', async () => {
    const queue = newQueue(600);
    for (let i = 0; i < 15; i += 1) sqs.send(queue.arn, { body: `m${i}` });
    const reports: BatchReport[] = [];
    const fn = fakeFunction(() => ({ ok: true, payload: null }));
    start({ queueArn: queue.arn, batchSize: 15, maximumBatchingWindowSeconds: 1, maximumConcurrency: 1 }, fn.invoke, reports);
    await until(() => reports.length > 0);
    expect(reports[0].messageIds).toHaveLength(15);
  });

  it('waits for the batch in flight when stopped', async () => {
    const queue = newQueue(600);
    sqs.send(queue.arn, { body: 'slow' });
    let release: () => void = () => undefined;
    let invoked: () => void = () => undefined;
    const invokedOnce = new Promise<void>((resolve) => (invoked = resolve));
    const handle = startSqsEventSource(
      { functionName: 'consumer', queueArn: queue.arn, batchSize: 10, reportBatchItemFailures: false },
      {
        sqs,
        invoke: () => {
          invoked();
          return new Promise<InvokeResult>((resolve) => (release = () => resolve({ ok: true, payload: null })));
        },
      },
    );
    await invokedOnce;
    let stopped = false;
    const stopping = handle.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(sqs.approximateCounts(queue.arn)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('long-polls instead of spinning while the queue is empty', async () => {
    const waits: (number | undefined)[] = [];
    const handle = startSqsEventSource(
      { functionName: 'consumer', queueArn: 'arn:aws:sqs:us-east-1:000000000000:idle', batchSize: 5, reportBatchItemFailures: true },
      {
        sqs: {
          receive: (_queue, options) => {
            waits.push(options.waitSeconds);
            return new Promise((resolve) => options.signal?.addEventListener('abort', () => resolve([])));
          },
          delete: () => undefined,
        },
        invoke: async () => ({ ok: true, payload: null }),
      },
    );
    await new Promise((resolve) => setImmediate(resolve));
    await handle.stop();
    expect(waits).toEqual([20, 20]);
  });

  it('backs off and reports when the queue cannot be polled', async () => {
    const reports: BatchReport[] = [];
    start({ queueArn: 'arn:aws:sqs:us-east-1:000000000000:missing', maximumConcurrency: 1 }, async () => ({ ok: true, payload: null }), reports);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // One failed poll, then a pause: a spinning poller would have reported many times by now.
    expect(reports).toHaveLength(1);
    expect(reports[0].error).toMatch(/queue does not exist/);
  });
});

describe('toSqsEvent', () => {
  it('builds the records Lambda passes to an SQS-triggered function', async () => {
    const queue = newQueue(30);
    sqs.send(queue.arn, {
      body: '{"orderId":"o-1"}',
      messageAttributes: {
        type: { DataType: 'String', StringValue: 'order.placed' },
        blob: { DataType: 'Binary', BinaryValue: Buffer.from('b').toString('base64') },
      },
    });
    const batch = await sqs.receive(queue.arn, { max: 1 });
    const event = toSqsEvent(batch, queue.arn);
    expect(event.Records).toEqual([
      {
        messageId: batch[0].messageId,
        receiptHandle: batch[0].receiptHandle,
        body: '{"orderId":"o-1"}',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: expect.stringMatching(/^\d+$/),
          SenderId: '000000000000',
          ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
        },
        messageAttributes: {
          type: { stringValue: 'order.placed', stringListValues: [], binaryListValues: [], dataType: 'String' },
          blob: { binaryValue: 'Yg==', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
        },
        md5OfBody: batch[0].md5OfBody,
        md5OfMessageAttributes: batch[0].md5OfMessageAttributes,
        eventSource: 'aws:sqs',
        eventSourceARN: queue.arn,
        awsRegion: 'us-east-1',
      },
    ]);
  });
});
