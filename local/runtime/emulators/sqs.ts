/**
 * Local SQS: the awsJson1_0 actions Commerce Hub uses (`X-Amz-Target: AmazonSQS.<Action>`, query-compatible
 * errors), with the semantics that matter for handlers: visibility timeouts, delays, retention, redrive to a DLQ
 * after maxReceiveCount, per-receive receipt handles, long polling and DLQ redrive (StartMessageMoveTask).
 * The runtime also drives it directly (SNS fan-out, event source mappings) through the methods of SqsEmulator.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AwsService, LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../contracts';
import { AwsServiceError, serveAwsJsonAction, targetAction } from './aws-protocol';
import { invalidParameter, md5OfBody, md5OfMessageAttributes, validateMessage } from './sqs-message';
import {
  type MoveTask,
  type Queue,
  type QueueCounts,
  type QueueDefinition,
  type QueueRef,
  type QueueSettings,
  type ReceiveOptions,
  type ReceivedMessage,
  type SendInput,
  type SendResult,
  type StoredMessage,
  checkRange,
  queueDoesNotExist,
  resolveSettings,
  resourceNotFound,
  toReceived,
} from './sqs-queue';
import { createWireActions } from './sqs-wire';

export type { SqsMessageAttribute, SqsMessageAttributes } from './sqs-message';
export type {
  QueueCounts,
  QueueDefinition,
  QueueRef,
  ReceiveOptions,
  ReceivedMessage,
  SendInput,
  SendResult,
  SqsSystemAttributes,
} from './sqs-queue';

/** The local SQS service plus the direct API the runtime uses. Queues are named by ARN, URL or name. */
export interface SqsEmulator extends AwsService {
  readonly endpointUrl: string;
  /** Creates the queue, or updates its settings keeping its messages when it exists (e.g. loaded from disk). */
  createQueue(definition: QueueDefinition): QueueRef;
  /** Sends as SendMessage does (same validation). Throws AwsServiceError QueueDoesNotExist for an unknown queue. */
  send(queue: string, input: SendInput): SendResult;
  /** Receives as ReceiveMessage does (long-polling for `waitSeconds`); throws once the emulator is stopped. */
  receive(queue: string, options: ReceiveOptions): Promise<ReceivedMessage[]>;
  /** Deletes as DeleteMessage does: a stale handle of a re-received message is ignored. */
  delete(queue: string, receiptHandle: string): void;
  approximateCounts(queue: string): QueueCounts;
  /** Writes every queue and message to `persistFile` (no-op without one). */
  save(): Promise<void>;
  /** Ends pending long polls and saves. */
  stop(): Promise<void>;
}

export interface SqsEmulatorOptions {
  /** The shared AWS endpoint's URL; QueueUrls are `<endpointUrl>/000000000000/<name>`. */
  endpointUrl: string;
  /** JSON file the queues are loaded from at creation (when it exists) and saved to by save()/stop(). */
  persistFile?: string;
}

interface PersistedQueue {
  name: string;
  settings: QueueSettings;
  createdTimestamp: number;
  lastModifiedTimestamp: number;
  sequence: number;
  messages: StoredMessage[];
}

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const ERROR_STYLE = { contentType: CONTENT_TYPE, namespace: 'com.amazonaws.sqs', queryCompatible: true };
const PERSIST_VERSION = 1;
const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
/** `<base64url queue name>.<message id>.<random>`: names its message, and changes on every receive. */
const RECEIPT_HANDLE = /^([A-Za-z0-9_-]+)\.([0-9a-f-]{36})\.([0-9a-f]{16})$/;

/** Creates the local SQS emulator; loads `persistFile` when it exists. */
export function createSqsEmulator(options: SqsEmulatorOptions): SqsEmulator {
  const endpointUrl = options.endpointUrl.replace(/\/+$/, '');
  const queues = new Map<string, Queue>();
  let stopped = false;

  const queueUrl = (name: string) => `${endpointUrl}/${LOCAL_ACCOUNT_ID}/${name}`;
  const queueArn = (name: string) => `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${name}`;

  function newQueue(name: string, settings: QueueSettings, createdTimestamp: number): Queue {
    return {
      name,
      url: queueUrl(name),
      arn: queueArn(name),
      settings,
      createdTimestamp,
      lastModifiedTimestamp: createdTimestamp,
      messages: [],
      sequence: 0,
      deduplication: new Map(),
      moveTasks: [],
      waiters: new Set(),
    };
  }

  /** Finds a queue by ARN, URL (any host) or name. */
  function findQueue(ref: string): Queue | undefined {
    let name = ref;
    if (ref.startsWith('arn:')) {
      const parts = ref.split(':');
      if (parts.length !== 6 || parts[2] !== 'sqs') return undefined;
      name = parts[5];
    } else if (ref.includes('/')) {
      name = ref.replace(/\/+$/, '').split('/').pop() ?? '';
    }
    return queues.get(name);
  }

  function requireQueue(ref: string): Queue {
    const queue = findQueue(ref);
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  function notify(queue: Queue): void {
    for (const wake of [...queue.waiters]) wake();
  }

  function createQueue(definition: QueueDefinition): QueueRef {
    const settings = resolveSettings(definition);
    const existing = queues.get(definition.name);
    if (existing) {
      existing.settings = settings;
      existing.lastModifiedTimestamp = Date.now();
      return { url: existing.url, arn: existing.arn };
    }
    const queue = newQueue(definition.name, settings, Date.now());
    queues.set(queue.name, queue);
    return { url: queue.url, arn: queue.arn };
  }

  function sendTo(queue: Queue, input: SendInput, awsTraceHeader?: string): SendResult {
    const attributes = input.messageAttributes ?? {};
    validateMessage(input.body, attributes);
    const now = Date.now();
    const { fifo } = queue.settings;
    if (input.delaySeconds !== undefined) {
      if (fifo) {
        throw invalidParameter(
          `Value ${input.delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`,
        );
      }
      checkRange('DelaySeconds', input.delaySeconds, 0, 900);
    }
    let deduplicationId = input.messageDeduplicationId;
    if (fifo) {
      if (!input.messageGroupId) {
        throw invalidParameter('The request must contain the parameter MessageGroupId.', 'MissingParameter');
      }
      if (!deduplicationId) {
        if (!queue.settings.contentBasedDeduplication) {
          throw invalidParameter(
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        }
        deduplicationId = createHash('sha256').update(input.body, 'utf8').digest('hex');
      }
      for (const [id, entry] of queue.deduplication) {
        if (entry.expiresAt <= now) queue.deduplication.delete(id);
      }
      const duplicate = queue.deduplication.get(deduplicationId);
      // SQS answers a duplicate with the first message's id and the digests of the request it got (the SDK checks them).
      if (duplicate) {
        return {
          ...duplicate.result,
          md5OfMessageBody: md5OfBody(input.body),
          md5OfMessageAttributes: md5OfMessageAttributes(attributes),
        };
      }
    }

    const message: StoredMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5OfBody(input.body),
      messageAttributes: attributes,
      sentTimestamp: now,
      visibleAt: now + (input.delaySeconds ?? queue.settings.delaySeconds) * 1000,
      receiveCount: 0,
      messageGroupId: input.messageGroupId,
      messageDeduplicationId: fifo ? deduplicationId : undefined,
      awsTraceHeader,
    };
    if (fifo) {
      queue.sequence += 1;
      message.sequenceNumber = String(queue.sequence).padStart(20, '0');
    }
    queue.messages.push(message);
    const result: SendResult = {
      messageId: message.messageId,
      md5OfMessageBody: message.md5OfBody,
      md5OfMessageAttributes: md5OfMessageAttributes(attributes),
      sequenceNumber: message.sequenceNumber,
    };
    if (fifo && deduplicationId) {
      queue.deduplication.set(deduplicationId, { result, expiresAt: now + DEDUPLICATION_WINDOW_MS });
    }
    notify(queue);
    return result;
  }

  function dropExpired(queue: Queue, now: number): void {
    const retentionMs = queue.settings.messageRetentionSeconds * 1000;
    if (queue.messages.some((m) => m.sentTimestamp + retentionMs <= now)) {
      queue.messages = queue.messages.filter((m) => m.sentTimestamp + retentionMs > now);
    }
  }

  /**
   * Takes up to `max` receivable messages, making them invisible for `visibilityTimeoutSeconds`. A message whose
   * receive count already reached the redrive policy's maxReceiveCount goes to the DLQ instead (as SQS does, on
   * the receive that would exceed it). FIFO: a group with an earlier unreceivable message is skipped.
   */
  function takeReceivable(queue: Queue, max: number, visibilityTimeoutSeconds: number): ReceivedMessage[] {
    const now = Date.now();
    dropExpired(queue, now);
    const redrive = queue.settings.redrivePolicy;
    const deadLetterQueue = redrive ? findQueue(redrive.deadLetterTargetArn) : undefined;
    const blockedGroups = new Set<string>();
    const moved = new Set<StoredMessage>();
    const taken: ReceivedMessage[] = [];

    for (const message of queue.messages) {
      if (taken.length >= max) break;
      const group = queue.settings.fifo ? message.messageGroupId : undefined;
      if (message.visibleAt > now) {
        if (group !== undefined) blockedGroups.add(group);
        continue;
      }
      if (group !== undefined && blockedGroups.has(group)) continue;
      if (redrive && deadLetterQueue && message.receiveCount >= redrive.maxReceiveCount) {
        moved.add(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.receiptHandle = newReceiptHandle(queue.name, message.messageId);
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      taken.push(toReceived(message));
    }

    if (moved.size > 0 && deadLetterQueue) {
      queue.messages = queue.messages.filter((m) => !moved.has(m));
      for (const message of moved) {
        message.deadLetterQueueSourceArn = queue.arn;
        message.receiptHandle = undefined;
        message.visibleAt = now;
        deadLetterQueue.messages.push(message);
      }
      notify(deadLetterQueue);
    }
    return taken;
  }

  /** Resolves when the queue changes, its next invisible message becomes visible, the deadline passes or on abort. */
  function waitForChange(queue: Queue, deadline: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const nextVisibleAt = queue.messages.reduce(
        (earliest, m) => (m.visibleAt > Date.now() && m.visibleAt < earliest ? m.visibleAt : earliest),
        Number.POSITIVE_INFINITY,
      );
      const wakeAt = Math.min(deadline, nextVisibleAt);
      const wake = () => {
        clearTimeout(timer);
        queue.waiters.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, wakeAt - Date.now()));
      queue.waiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  async function receive(ref: string, receiveOptions: ReceiveOptions): Promise<ReceivedMessage[]> {
    if (stopped) throw new Error('The SQS emulator is stopped');
    const queue = requireQueue(ref);
    checkRange('MaxNumberOfMessages', receiveOptions.max, 1, 10);
    const visibilityTimeout = receiveOptions.visibilityTimeoutSeconds ?? queue.settings.visibilityTimeoutSeconds;
    checkRange('VisibilityTimeout', visibilityTimeout, 0, 43_200);
    const waitSeconds = receiveOptions.waitSeconds ?? 0;
    checkRange('WaitTimeSeconds', waitSeconds, 0, 20);
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const taken = takeReceivable(queue, receiveOptions.max, visibilityTimeout);
      if (taken.length > 0 || stopped || receiveOptions.signal?.aborted || Date.now() >= deadline) return taken;
      await waitForChange(queue, deadline, receiveOptions.signal);
    }
  }

  /** The message a receipt handle names in this queue; throws ReceiptHandleIsInvalid for a malformed handle. */
  function messageForHandle(queue: Queue, receiptHandle: string): StoredMessage | undefined {
    const parsed = RECEIPT_HANDLE.exec(receiptHandle);
    if (!parsed || Buffer.from(parsed[1], 'base64url').toString('utf8') !== queue.name) {
      throw new AwsServiceError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`,
        { statusCode: 404 },
      );
    }
    return queue.messages.find((m) => m.messageId === parsed[2]);
  }

  function deleteMessage(ref: string, receiptHandle: string): void {
    const queue = requireQueue(ref);
    const message = messageForHandle(queue, receiptHandle);
    // SQS accepts a handle from an earlier receive but only the latest one deletes the message.
    if (message && message.receiptHandle === receiptHandle) {
      queue.messages.splice(queue.messages.indexOf(message), 1);
    }
  }

  function changeVisibility(queue: Queue, receiptHandle: string, visibilityTimeout: number): void {
    checkRange('VisibilityTimeout', visibilityTimeout, 0, 43_200);
    const message = messageForHandle(queue, receiptHandle);
    if (!message || message.receiptHandle !== receiptHandle) {
      throw invalidParameter(
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
    const now = Date.now();
    if (message.visibleAt <= now) {
      throw new AwsServiceError('MessageNotInflight', 'The message referred to is not in flight.', {
        queryCode: 'AWS.SimpleQueueService.MessageNotInflight',
      });
    }
    message.visibleAt = now + visibilityTimeout * 1000;
    // Long polls timed their wake-up to the old visibility; let them recompute it.
    notify(queue);
  }

  function approximateCounts(ref: string): QueueCounts {
    const queue = requireQueue(ref);
    const now = Date.now();
    dropExpired(queue, now);
    const counts: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of queue.messages) {
      if (message.visibleAt <= now) counts.visible += 1;
      else if (message.receiveCount > 0) counts.inFlight += 1;
      else counts.delayed += 1;
    }
    return counts;
  }

  function sourceQueuesOf(deadLetterQueue: Queue): Queue[] {
    return [...queues.values()].filter(
      (q) => q.settings.redrivePolicy && findQueue(q.settings.redrivePolicy.deadLetterTargetArn) === deadLetterQueue,
    );
  }

  /**
   * Moves every message not in flight out of a DLQ, to DestinationArn or back to the queue it was dead-lettered
   * from. Moved messages are new messages (new id, sent now, receive count 0), as with SQS redrive.
   */
  function startMessageMoveTask(sourceArn: string, destinationArn?: string, maxPerSecond?: number): MoveTask {
    const source = findQueue(sourceArn);
    if (!source) throw resourceNotFound('The resource that you specified for the SourceArn parameter does not exist.');
    const sources = sourceQueuesOf(source);
    if (sources.length === 0) {
      throw invalidParameter('Source queue must be configured as a Dead Letter Queue.');
    }
    const destination = destinationArn === undefined ? undefined : findQueue(destinationArn);
    if (destinationArn !== undefined && !destination) {
      throw resourceNotFound('The resource that you specified for the DestinationArn parameter does not exist.');
    }
    if (destination && destination.settings.fifo !== source.settings.fifo) {
      throw invalidParameter('The source queue and the destination queue must be of the same queue type.');
    }
    const now = Date.now();
    dropExpired(source, now);
    const movable = source.messages.filter((m) => m.visibleAt <= now || m.receiveCount === 0);
    const task: MoveTask = {
      taskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn })).toString('base64'),
      sourceArn: source.arn,
      destinationArn: destination?.arn,
      maxNumberOfMessagesPerSecond: maxPerSecond,
      moved: 0,
      toMove: movable.length,
      startedTimestamp: now,
    };
    for (const message of movable) {
      const target =
        destination ??
        (message.deadLetterQueueSourceArn ? findQueue(message.deadLetterQueueSourceArn) : undefined) ??
        (sources.length === 1 ? sources[0] : undefined);
      if (!target) continue;
      source.messages.splice(source.messages.indexOf(message), 1);
      sendTo(target, {
        body: message.body,
        messageAttributes: message.messageAttributes,
        messageGroupId: message.messageGroupId,
        messageDeduplicationId: target.settings.fifo ? message.messageId : undefined,
      });
      task.moved += 1;
    }
    source.moveTasks.unshift(task);
    source.moveTasks.length = Math.min(source.moveTasks.length, 10);
    return task;
  }

  function load(file: string): void {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; queues?: PersistedQueue[] };
    if (parsed.version !== PERSIST_VERSION || !Array.isArray(parsed.queues)) {
      throw new Error(`${file} is not an SQS state file of version ${PERSIST_VERSION}; delete it to start empty`);
    }
    for (const persisted of parsed.queues) {
      const queue = newQueue(persisted.name, persisted.settings, persisted.createdTimestamp);
      queue.lastModifiedTimestamp = persisted.lastModifiedTimestamp;
      queue.sequence = persisted.sequence;
      queue.messages = persisted.messages;
      queues.set(queue.name, queue);
    }
  }

  async function save(): Promise<void> {
    if (!options.persistFile) return;
    const state = {
      version: PERSIST_VERSION,
      queues: [...queues.values()].map(
        (q): PersistedQueue => ({
          name: q.name,
          settings: q.settings,
          createdTimestamp: q.createdTimestamp,
          lastModifiedTimestamp: q.lastModifiedTimestamp,
          sequence: q.sequence,
          messages: q.messages,
        }),
      ),
    };
    await mkdir(dirname(options.persistFile), { recursive: true });
    const temporary = `${options.persistFile}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(state));
    await rename(temporary, options.persistFile);
  }

  if (options.persistFile && existsSync(options.persistFile)) load(options.persistFile);

  const wire = createWireActions({
    queues,
    findQueue,
    requireQueue,
    createQueue,
    sendTo,
    receive,
    deleteMessage,
    changeVisibility,
    approximateCounts,
    sourceQueuesOf,
    startMessageMoveTask,
  });

  return {
    name: 'sqs',
    endpointUrl,
    matches: (req: IncomingMessage) => targetAction(req, 'AmazonSQS') !== undefined,
    handle: (req: IncomingMessage, body: Buffer, res: ServerResponse) =>
      serveAwsJsonAction(req, body, res, {
        targetPrefix: 'AmazonSQS',
        errorStyle: ERROR_STYLE,
        actions: wire,
        unsupported: (action) =>
          new AwsServiceError('UnsupportedOperation', `The local SQS emulator does not support ${action}.`, {
            queryCode: 'AWS.SimpleQueueService.UnsupportedOperation',
          }),
      }),
    createQueue,
    send: (ref, input) => sendTo(requireQueue(ref), input),
    receive,
    delete: deleteMessage,
    approximateCounts,
    save,
    async stop() {
      stopped = true;
      for (const queue of queues.values()) notify(queue);
      await save();
    },
  };
}

function newReceiptHandle(queueName: string, messageId: string): string {
  return `${Buffer.from(queueName, 'utf8').toString('base64url')}.${messageId}.${randomBytes(8).toString('hex')}`;
}
