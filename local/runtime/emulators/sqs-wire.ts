/**
 * The SQS awsJson1_0 actions (`X-Amz-Target: AmazonSQS.<Action>`): request parsing and validation, and the JSON
 * shapes of the answers. Queue semantics live in the emulator (sqs.ts), reached through SqsInternals.
 */
import { AwsServiceError } from './aws-protocol';
import {
  MAX_MESSAGE_BYTES,
  type SqsMessageAttributes,
  invalidParameter,
  md5OfMessageAttributes,
  selectMessageAttributes,
} from './sqs-message';
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
  type SqsSystemAttributes,
  checkRange,
  resourceNotFound,
} from './sqs-queue';

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

const SYSTEM_ATTRIBUTE_NAMES: ReadonlyArray<keyof SqsSystemAttributes> = [
  'ApproximateReceiveCount',
  'SentTimestamp',
  'SenderId',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'MessageGroupId',
  'MessageDeduplicationId',
  'SequenceNumber',
  'DeadLetterQueueSourceArn',
];

const QUEUE_ATTRIBUTE_NAMES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'MaximumMessageSize',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
] as const;

/** Settable attributes we accept on CreateQueue but don't model. */
const IGNORED_QUEUE_ATTRIBUTES = new Set([
  'MaximumMessageSize',
  'Policy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'RedriveAllowPolicy',
]);

/** What the wire actions need from the emulator. */
export interface SqsInternals {
  queues: Map<string, Queue>;
  findQueue(ref: string): Queue | undefined;
  requireQueue(ref: string): Queue;
  createQueue(definition: QueueDefinition): QueueRef;
  sendTo(queue: Queue, input: SendInput, awsTraceHeader?: string): SendResult;
  receive(ref: string, options: ReceiveOptions): Promise<ReceivedMessage[]>;
  deleteMessage(ref: string, receiptHandle: string): void;
  changeVisibility(queue: Queue, receiptHandle: string, visibilityTimeout: number): void;
  approximateCounts(ref: string): QueueCounts;
  sourceQueuesOf(deadLetterQueue: Queue): Queue[];
  startMessageMoveTask(sourceArn: string, destinationArn?: string, maxPerSecond?: number): MoveTask;
}

type Params = Record<string, unknown>;
type WireAction = (params: Params, signal: AbortSignal) => Promise<unknown> | unknown;

/** The awsJson actions, keyed by X-Amz-Target action name. */
export function createWireActions(sqs: SqsInternals): Record<string, WireAction> {
  const queueOf = (params: Params) => sqs.requireQueue(requiredString(params, 'QueueUrl'));

  const sendEntry = (queue: Queue, entry: Params): Record<string, unknown> => {
    const result = sqs.sendTo(
      queue,
      {
        body: optionalString(entry, 'MessageBody') ?? '',
        messageAttributes: messageAttributesParam(entry, 'MessageAttributes'),
        delaySeconds: optionalInteger(entry, 'DelaySeconds'),
        messageGroupId: optionalString(entry, 'MessageGroupId'),
        messageDeduplicationId: optionalString(entry, 'MessageDeduplicationId'),
      },
      traceHeaderParam(entry),
    );
    const systemAttributes = messageAttributesParam(entry, 'MessageSystemAttributes');
    return {
      MessageId: result.messageId,
      MD5OfMessageBody: result.md5OfMessageBody,
      MD5OfMessageAttributes: result.md5OfMessageAttributes,
      MD5OfMessageSystemAttributes: md5OfMessageAttributes(systemAttributes ?? {}),
      SequenceNumber: result.sequenceNumber,
    };
  };

  return {
    CreateQueue(params) {
      const name = requiredString(params, 'QueueName');
      const attributes = stringMapParam(params, 'Attributes');
      const definition = definitionFromAttributes(name, attributes);
      const existing = sqs.findQueue(name);
      if (existing && !sameSettings(existing.settings, definition, attributes)) {
        throw new AwsServiceError('QueueNameExists', `A queue already exists with the same name and a different value for attribute(s).`, {
          queryCode: 'QueueAlreadyExists',
        });
      }
      return { QueueUrl: existing ? existing.url : sqs.createQueue(definition).url };
    },

    GetQueueUrl(params) {
      return { QueueUrl: sqs.requireQueue(requiredString(params, 'QueueName')).url };
    },

    ListQueues(params) {
      const prefix = optionalString(params, 'QueueNamePrefix') ?? '';
      const maxResults = optionalInteger(params, 'MaxResults');
      if (maxResults !== undefined) checkRange('MaxResults', maxResults, 1, 1000);
      const urls = [...sqs.queues.values()]
        .filter((q) => q.name.startsWith(prefix))
        .map((q) => q.url)
        .sort();
      const start = Number(optionalString(params, 'NextToken') ?? '0') || 0;
      const end = maxResults === undefined ? urls.length : start + maxResults;
      return {
        QueueUrls: urls.slice(start, end),
        NextToken: maxResults !== undefined && end < urls.length ? String(end) : undefined,
      };
    },

    GetQueueAttributes(params) {
      const queue = queueOf(params);
      const requested = stringListParam(params, 'AttributeNames');
      for (const name of requested) {
        if (name !== 'All' && !(QUEUE_ATTRIBUTE_NAMES as readonly string[]).includes(name)) {
          throw new AwsServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`);
        }
      }
      const all = queueAttributes(queue, sqs.approximateCounts(queue.arn));
      const names = requested.includes('All') ? Object.keys(all) : requested;
      const attributes: Record<string, string> = {};
      for (const name of names) {
        if (all[name] !== undefined) attributes[name] = all[name];
      }
      return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
    },

    SendMessage(params) {
      return sendEntry(queueOf(params), params);
    },

    SendMessageBatch(params) {
      const queue = queueOf(params);
      const entries = batchEntries(params);
      const totalBytes = entries.reduce((sum, e) => sum + Buffer.byteLength(optionalString(e, 'MessageBody') ?? ''), 0);
      if (totalBytes > MAX_MESSAGE_BYTES) {
        throw new AwsServiceError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes.`, {
          queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong',
        });
      }
      return runBatch(entries, (entry) => sendEntry(queue, entry));
    },

    async ReceiveMessage(params, signal) {
      const queue = queueOf(params);
      const messages = await sqs.receive(queue.arn, {
        max: optionalInteger(params, 'MaxNumberOfMessages') ?? 1,
        visibilityTimeoutSeconds: optionalInteger(params, 'VisibilityTimeout'),
        waitSeconds: optionalInteger(params, 'WaitTimeSeconds') ?? queue.settings.receiveWaitTimeSeconds,
        signal,
      });
      if (messages.length === 0) return {};
      const systemNames = [
        ...stringListParam(params, 'AttributeNames'),
        ...stringListParam(params, 'MessageSystemAttributeNames'),
      ];
      const attributeNames = stringListParam(params, 'MessageAttributeNames');
      return { Messages: messages.map((m) => wireMessage(m, systemNames, attributeNames)) };
    },

    DeleteMessage(params) {
      sqs.deleteMessage(queueOf(params).arn, requiredString(params, 'ReceiptHandle'));
      return {};
    },

    DeleteMessageBatch(params) {
      const queue = queueOf(params);
      return runBatch(batchEntries(params), (entry) => {
        sqs.deleteMessage(queue.arn, requiredString(entry, 'ReceiptHandle'));
        return {};
      });
    },

    ChangeMessageVisibility(params) {
      const queue = queueOf(params);
      sqs.changeVisibility(queue, requiredString(params, 'ReceiptHandle'), requiredInteger(params, 'VisibilityTimeout'));
      return {};
    },

    ChangeMessageVisibilityBatch(params) {
      const queue = queueOf(params);
      return runBatch(batchEntries(params), (entry) => {
        sqs.changeVisibility(queue, requiredString(entry, 'ReceiptHandle'), requiredInteger(entry, 'VisibilityTimeout'));
        return {};
      });
    },

    PurgeQueue(params) {
      queueOf(params).messages = [];
      return {};
    },

    ListDeadLetterSourceQueues(params) {
      const deadLetterQueue = queueOf(params);
      return { queueUrls: sqs.sourceQueuesOf(deadLetterQueue).map((q) => q.url) };
    },

    StartMessageMoveTask(params) {
      const task = sqs.startMessageMoveTask(
        requiredString(params, 'SourceArn'),
        optionalString(params, 'DestinationArn'),
        optionalInteger(params, 'MaxNumberOfMessagesPerSecond'),
      );
      return { TaskHandle: task.taskHandle };
    },

    ListMessageMoveTasks(params) {
      const source = sqs.findQueue(requiredString(params, 'SourceArn'));
      if (!source) throw resourceNotFound('The resource that you specified for the SourceArn parameter does not exist.');
      const maxResults = optionalInteger(params, 'MaxResults') ?? 1;
      checkRange('MaxResults', maxResults, 1, 10);
      return {
        Results: source.moveTasks.slice(0, maxResults).map((task) => ({
          Status: 'COMPLETED',
          SourceArn: task.sourceArn,
          DestinationArn: task.destinationArn,
          MaxNumberOfMessagesPerSecond: task.maxNumberOfMessagesPerSecond,
          ApproximateNumberOfMessagesMoved: task.moved,
          ApproximateNumberOfMessagesToMove: task.toMove,
          StartedTimestamp: task.startedTimestamp,
        })),
      };
    },
  };
}

function wireMessage(message: ReceivedMessage, systemNames: string[], attributeNames: string[]): Record<string, unknown> {
  const wantsAll = systemNames.includes('All');
  const attributes: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTE_NAMES) {
    const value = message.attributes[name];
    if (value !== undefined && (wantsAll || systemNames.includes(name))) attributes[name] = value;
  }
  const messageAttributes = selectMessageAttributes(message.messageAttributes, attributeNames);
  const hasMessageAttributes = Object.keys(messageAttributes).length > 0;
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    Attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    MD5OfMessageAttributes: hasMessageAttributes ? md5OfMessageAttributes(messageAttributes) : undefined,
    MessageAttributes: hasMessageAttributes ? messageAttributes : undefined,
  };
}

function queueAttributes(queue: Queue, counts: QueueCounts): Record<string, string | undefined> {
  const { settings } = queue;
  return {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(settings.messageRetentionSeconds),
    DelaySeconds: String(settings.delaySeconds),
    ReceiveMessageWaitTimeSeconds: String(settings.receiveWaitTimeSeconds),
    MaximumMessageSize: String(MAX_MESSAGE_BYTES),
    CreatedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModifiedTimestamp / 1000)),
    RedrivePolicy: settings.redrivePolicy ? JSON.stringify(settings.redrivePolicy) : undefined,
    SqsManagedSseEnabled: 'false',
    FifoQueue: settings.fifo ? 'true' : undefined,
    ContentBasedDeduplication: settings.fifo ? String(settings.contentBasedDeduplication) : undefined,
  };
}

function definitionFromAttributes(name: string, attributes: Record<string, string>): QueueDefinition {
  const definition: QueueDefinition = { name, fifo: name.endsWith('.fifo') };
  const integer = (key: string) => {
    const value = Number(attributes[key]);
    if (!Number.isInteger(value)) throw invalidParameter(`Invalid value for the parameter ${key}.`);
    return value;
  };
  for (const key of Object.keys(attributes)) {
    switch (key) {
      case 'VisibilityTimeout':
        definition.visibilityTimeoutSeconds = integer(key);
        break;
      case 'MessageRetentionPeriod':
        definition.messageRetentionSeconds = integer(key);
        break;
      case 'DelaySeconds':
        definition.delaySeconds = integer(key);
        break;
      case 'ReceiveMessageWaitTimeSeconds':
        definition.receiveWaitTimeSeconds = integer(key);
        break;
      case 'RedrivePolicy':
        definition.redrivePolicy = parseRedrivePolicy(attributes[key]);
        break;
      case 'FifoQueue':
        definition.fifo = attributes[key] === 'true';
        break;
      case 'ContentBasedDeduplication':
        definition.contentBasedDeduplication = attributes[key] === 'true';
        break;
      default:
        if (!IGNORED_QUEUE_ATTRIBUTES.has(key)) {
          throw new AwsServiceError('InvalidAttributeName', `Unknown Attribute ${key}.`);
        }
    }
  }
  return definition;
}

function parseRedrivePolicy(text: string): { deadLetterTargetArn: string; maxReceiveCount: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter('Value for parameter RedrivePolicy is invalid. Reason: Invalid JSON.');
  }
  const policy = parsed as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | null;
  const maxReceiveCount = Number(policy?.maxReceiveCount);
  if (typeof policy?.deadLetterTargetArn !== 'string' || !Number.isInteger(maxReceiveCount)) {
    throw invalidParameter(
      'Value for parameter RedrivePolicy is invalid. Reason: Redrive policy needs deadLetterTargetArn and maxReceiveCount.',
    );
  }
  return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount };
}

/** CreateQueue on an existing name succeeds only when every attribute it names has the current value. */
function sameSettings(current: QueueSettings, requested: QueueDefinition, attributes: Record<string, string>): boolean {
  const checks: Record<string, () => boolean> = {
    VisibilityTimeout: () => requested.visibilityTimeoutSeconds === current.visibilityTimeoutSeconds,
    MessageRetentionPeriod: () => requested.messageRetentionSeconds === current.messageRetentionSeconds,
    DelaySeconds: () => requested.delaySeconds === current.delaySeconds,
    ReceiveMessageWaitTimeSeconds: () => requested.receiveWaitTimeSeconds === current.receiveWaitTimeSeconds,
    RedrivePolicy: () => JSON.stringify(requested.redrivePolicy) === JSON.stringify(current.redrivePolicy),
    FifoQueue: () => requested.fifo === current.fifo,
    ContentBasedDeduplication: () => requested.contentBasedDeduplication === current.contentBasedDeduplication,
  };
  return Object.keys(attributes).every((key) => checks[key]?.() ?? true);
}

/** Runs each batch entry; an AwsServiceError fails only that entry, as SQS reports in `Failed`. */
function runBatch(entries: Params[], run: (entry: Params) => Record<string, unknown>) {
  const successful: Record<string, unknown>[] = [];
  const failed: Record<string, unknown>[] = [];
  for (const entry of entries) {
    const id = entry.Id as string;
    try {
      successful.push({ Id: id, ...run(entry) });
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      failed.push({ Id: id, SenderFault: error.fault === 'Sender', Code: error.queryCode, Message: error.message });
    }
  }
  return { Successful: successful, Failed: failed };
}

function batchEntries(params: Params): Params[] {
  const entries = params.Entries;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new AwsServiceError('EmptyBatchRequest', 'There should be at least one entry in the request.', {
      queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest',
    });
  }
  if (entries.length > 10) {
    throw new AwsServiceError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`, {
      queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    });
  }
  const ids = new Set<string>();
  for (const entry of entries as Params[]) {
    const id = entry?.Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) {
      throw new AwsServiceError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.', {
        queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId',
      });
    }
    if (ids.has(id)) {
      throw new AwsServiceError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, {
        queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      });
    }
    ids.add(id);
  }
  return entries as Params[];
}

function requiredString(params: Params, key: string): string {
  const value = params[key];
  if (typeof value !== 'string' || value === '') {
    throw invalidParameter(`The request must contain the parameter ${key}.`, 'MissingParameter');
  }
  return value;
}

function optionalString(params: Params, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`Value for parameter ${key} must be a string.`);
  return value;
}

function requiredInteger(params: Params, key: string): number {
  const value = optionalInteger(params, key);
  if (value === undefined) throw invalidParameter(`The request must contain the parameter ${key}.`, 'MissingParameter');
  return value;
}

function optionalInteger(params: Params, key: string): number | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalidParameter(`Value ${String(value)} for parameter ${key} is invalid. Reason: Must be an integer.`);
  }
  return value;
}

function stringListParam(params: Params, key: string): string[] {
  const value = params[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw invalidParameter(`Value for parameter ${key} must be a list of strings.`);
  }
  return value as string[];
}

function stringMapParam(params: Params, key: string): Record<string, string> {
  const value = params[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParameter(`Value for parameter ${key} must be a map.`);
  const map: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) map[k] = String(v);
  return map;
}

function messageAttributesParam(params: Params, key: string): SqsMessageAttributes | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParameter(`Value for parameter ${key} must be a map.`);
  const attributes: SqsMessageAttributes = {};
  for (const [name, raw] of Object.entries(value as Record<string, Params>)) {
    attributes[name] = {
      DataType: typeof raw?.DataType === 'string' ? raw.DataType : '',
      StringValue: typeof raw?.StringValue === 'string' ? raw.StringValue : undefined,
      BinaryValue: typeof raw?.BinaryValue === 'string' ? raw.BinaryValue : undefined,
    };
  }
  return attributes;
}

function traceHeaderParam(params: Params): string | undefined {
  const system = messageAttributesParam(params, 'MessageSystemAttributes');
  return system?.AWSTraceHeader?.StringValue;
}
