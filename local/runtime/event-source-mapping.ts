/**
 * SQS → Lambda event source mapping: long-polls a local queue, invokes the function with the SQS event Lambda
 * builds, and deletes what Lambda would delete (all on success, all but the reported failures with
 * ReportBatchItemFailures, nothing on a function error: those messages return after the visibility timeout).
 */
import type { SQSEvent, SQSMessageAttribute, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { type InvokeFunction, type InvokeResult, LOCAL_REGION, type Stoppable } from './contracts';
import type { ReceivedMessage, SqsEmulator } from './emulators/sqs';

export interface SqsEventSourceMapping {
  functionName: string;
  queueArn: string;
  /** Records per invocation; above 10 needs a batching window, as in Lambda. */
  batchSize: number;
  /** How long to gather a batch before invoking; 0 unless given. */
  maximumBatchingWindowSeconds?: number;
  /** FunctionResponseTypes includes ReportBatchItemFailures. */
  reportBatchItemFailures: boolean;
  /** Batches in flight at once; 2 (Lambda's minimum) unless given. */
  maximumConcurrency?: number;
}

/** What happened to one batch, for the runtime's log (a failed poll is reported with no messages and an error). */
export interface BatchReport {
  functionName: string;
  queueArn: string;
  messageIds: string[];
  /** Messages left on the queue to be retried (the whole batch when the invocation failed). */
  failedMessageIds: string[];
  /** The function error, or why the batch response was rejected. */
  error?: string;
}

export interface SqsEventSourceDeps {
  sqs: Pick<SqsEmulator, 'receive' | 'delete'>;
  invoke: InvokeFunction;
  onBatch?: (report: BatchReport) => void;
}

/** Long-poll wait per receive; a stop() aborts it at once. */
const POLL_WAIT_SECONDS = 20;
/** Pause after the queue itself failed (e.g. it does not exist), so a broken mapping doesn't spin. */
const ERROR_BACKOFF_MS = 1000;

/**
 * Starts polling `mapping.queueArn` for `mapping.functionName`. An idle mapping sits in a long poll (no CPU).
 * stop() ends the polls and waits for the batches in flight.
 */
export function startSqsEventSource(mapping: SqsEventSourceMapping, deps: SqsEventSourceDeps): Stoppable {
  const abort = new AbortController();
  const concurrency = mapping.maximumConcurrency ?? 2;
  const pollers = Array.from({ length: concurrency }, () => pollLoop(mapping, deps, abort.signal));
  return {
    async stop() {
      abort.abort();
      await Promise.all(pollers);
    },
  };
}

async function pollLoop(mapping: SqsEventSourceMapping, deps: SqsEventSourceDeps, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    let batch: ReceivedMessage[];
    try {
      batch = await gatherBatch(mapping, deps, signal);
    } catch (error) {
      deps.onBatch?.({
        functionName: mapping.functionName,
        queueArn: mapping.queueArn,
        messageIds: [],
        failedMessageIds: [],
        error: `polling failed: ${errorMessage(error)}`,
      });
      await sleep(ERROR_BACKOFF_MS, signal);
      continue;
    }
    if (batch.length > 0) await processBatch(mapping, deps, batch);
  }
}

/** Receives up to batchSize messages: one long poll, then more until the batching window closes. */
async function gatherBatch(
  mapping: SqsEventSourceMapping,
  deps: SqsEventSourceDeps,
  signal: AbortSignal,
): Promise<ReceivedMessage[]> {
  const receive = (waitSeconds: number, max: number) =>
    deps.sqs.receive(mapping.queueArn, { max: Math.min(10, max), waitSeconds, signal });
  const batch = await receive(POLL_WAIT_SECONDS, mapping.batchSize);
  const windowMs = (mapping.maximumBatchingWindowSeconds ?? 0) * 1000;
  if (batch.length === 0 || windowMs === 0) return batch;
  const closesAt = Date.now() + windowMs;
  while (batch.length < mapping.batchSize && !signal.aborted) {
    const remainingMs = closesAt - Date.now();
    if (remainingMs <= 0) break;
    // Receive waits are whole seconds; the window can overshoot by under a second.
    batch.push(...(await receive(Math.min(POLL_WAIT_SECONDS, Math.ceil(remainingMs / 1000)), mapping.batchSize - batch.length)));
  }
  return batch;
}

async function processBatch(
  mapping: SqsEventSourceMapping,
  deps: SqsEventSourceDeps,
  batch: ReceivedMessage[],
): Promise<void> {
  const messageIds = batch.map((m) => m.messageId);
  const report = (failedMessageIds: string[], error?: string) =>
    deps.onBatch?.({ functionName: mapping.functionName, queueArn: mapping.queueArn, messageIds, failedMessageIds, error });

  let result: InvokeResult;
  try {
    result = await deps.invoke(mapping.functionName, toSqsEvent(batch, mapping.queueArn));
  } catch (error) {
    report(messageIds, `invoke failed: ${errorMessage(error)}`);
    return;
  }
  if (!result.ok) {
    report(messageIds, `${result.errorType}: ${result.errorMessage}`);
    return;
  }

  let failed = new Set<string>();
  if (mapping.reportBatchItemFailures) {
    const parsed = parseBatchItemFailures(result.payload, new Set(messageIds));
    if (typeof parsed === 'string') {
      report(messageIds, parsed);
      return;
    }
    failed = parsed;
  }

  for (const message of batch) {
    if (failed.has(message.messageId)) continue;
    try {
      deps.sqs.delete(mapping.queueArn, message.receiptHandle);
    } catch (error) {
      report([message.messageId], `delete failed: ${errorMessage(error)}`);
    }
  }
  report([...failed]);
}

/**
 * The ids a ReportBatchItemFailures response marks failed, or the reason the whole batch counts as failed.
 * As Lambda: no response, no/null/empty `batchItemFailures` is success; a malformed response, an empty or
 * missing itemIdentifier, or one that is not in the batch fails the batch.
 */
function parseBatchItemFailures(payload: unknown, batchIds: Set<string>): Set<string> | string {
  if (payload === undefined || payload === null) return new Set();
  if (typeof payload !== 'object' || Array.isArray(payload)) {
    return 'batch response is not an object with batchItemFailures';
  }
  const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'batchItemFailures is not a list';
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') return 'batchItemFailures has an empty or missing itemIdentifier';
    if (!batchIds.has(id)) return `batchItemFailures names ${id}, which is not in the batch`;
    failed.add(id);
  }
  return failed;
}

/** The event Lambda's SQS poller passes to the function. */
export function toSqsEvent(batch: ReceivedMessage[], queueArn: string): SQSEvent {
  return {
    Records: batch.map((message): SQSRecord => {
      const messageAttributes: SQSMessageAttributes = {};
      for (const [name, attribute] of Object.entries(message.messageAttributes)) {
        const value: SQSMessageAttribute = { stringListValues: [], binaryListValues: [], dataType: attribute.DataType };
        if (attribute.StringValue !== undefined) value.stringValue = attribute.StringValue;
        if (attribute.BinaryValue !== undefined) value.binaryValue = attribute.BinaryValue;
        messageAttributes[name] = value;
      }
      const record: SQSRecord = {
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        body: message.body,
        attributes: message.attributes,
        messageAttributes,
        md5OfBody: message.md5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: LOCAL_REGION,
      };
      if (message.md5OfMessageAttributes !== undefined) record.md5OfMessageAttributes = message.md5OfMessageAttributes;
      return record;
    }),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
