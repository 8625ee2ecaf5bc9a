/**
 * The local SQS data model: the queue and message records the emulator keeps, the data types of its direct API,
 * and the rules shared by that API and the wire actions (settings defaults and ranges, the Lambda-visible system
 * attributes, the errors for missing queues and resources).
 */
import { LOCAL_ACCOUNT_ID } from '../contracts';
import { AwsServiceError } from './aws-protocol';
import { type SqsMessageAttributes, invalidParameter, md5OfMessageAttributes } from './sqs-message';

/** A queue as the runtime declares it (from the template's AWS::SQS::Queue properties). */
export interface QueueDefinition {
  name: string;
  /** Default 30. */
  visibilityTimeoutSeconds?: number;
  /** Default 345600 (4 days). */
  messageRetentionSeconds?: number;
  /** Default 0. */
  delaySeconds?: number;
  /** Default long-poll wait for receives that don't name one; default 0. */
  receiveWaitTimeSeconds?: number;
  redrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
  /** FIFO queue; its name must end in `.fifo`. */
  fifo?: boolean;
  /** FIFO only: deduplicate on the SHA-256 of the body when no MessageDeduplicationId is sent. */
  contentBasedDeduplication?: boolean;
}

export interface QueueRef {
  url: string;
  arn: string;
}

export interface SendInput {
  body: string;
  messageAttributes?: SqsMessageAttributes;
  /** Per-message delay (standard queues only); the queue's delay otherwise. */
  delaySeconds?: number;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

export interface SendResult {
  messageId: string;
  md5OfMessageBody: string;
  md5OfMessageAttributes?: string;
  sequenceNumber?: string;
}

export interface ReceiveOptions {
  /** 1–10. */
  max: number;
  /** The queue's visibility timeout unless given. */
  visibilityTimeoutSeconds?: number;
  /** Long-poll wait; returns as soon as a message is available. 0 unless given. */
  waitSeconds?: number;
  /** Ends a long poll early (returns no messages). */
  signal?: AbortSignal;
}

/** The system attributes SQS can return with a message (all values are strings on the wire). */
export interface SqsSystemAttributes {
  ApproximateReceiveCount: string;
  SentTimestamp: string;
  SenderId: string;
  ApproximateFirstReceiveTimestamp: string;
  AWSTraceHeader?: string;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  SequenceNumber?: string;
  DeadLetterQueueSourceArn?: string;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  messageAttributes: SqsMessageAttributes;
  attributes: SqsSystemAttributes;
}

export interface QueueCounts {
  /** Receivable now. */
  visible: number;
  /** Received and not yet deleted or expired. */
  inFlight: number;
  /** Waiting out a delay. */
  delayed: number;
}

export interface QueueSettings {
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  delaySeconds: number;
  receiveWaitTimeSeconds: number;
  redrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
  fifo: boolean;
  contentBasedDeduplication: boolean;
}

export interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: SqsMessageAttributes;
  sentTimestamp: number;
  /** Epoch ms from which the message can be received (delay or visibility timeout). */
  visibleAt: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** The handle of the latest receive; only it can delete the message or change its visibility. */
  receiptHandle?: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
  deadLetterQueueSourceArn?: string;
  awsTraceHeader?: string;
}

export interface MoveTask {
  taskHandle: string;
  sourceArn: string;
  destinationArn?: string;
  maxNumberOfMessagesPerSecond?: number;
  moved: number;
  toMove: number;
  startedTimestamp: number;
}

export interface Queue {
  name: string;
  url: string;
  arn: string;
  settings: QueueSettings;
  createdTimestamp: number;
  lastModifiedTimestamp: number;
  messages: StoredMessage[];
  sequence: number;
  deduplication: Map<string, { result: SendResult; expiresAt: number }>;
  moveTasks: MoveTask[];
  /** Long polls waiting for this queue to change. */
  waiters: Set<() => void>;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** A received message as the direct API returns it: its current handle and every system attribute it has. */
export function toReceived(message: StoredMessage): ReceivedMessage {
  const attributes: SqsSystemAttributes = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentTimestamp),
    SenderId: LOCAL_ACCOUNT_ID,
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
  };
  if (message.awsTraceHeader !== undefined) attributes.AWSTraceHeader = message.awsTraceHeader;
  if (message.messageGroupId !== undefined) attributes.MessageGroupId = message.messageGroupId;
  if (message.messageDeduplicationId !== undefined) attributes.MessageDeduplicationId = message.messageDeduplicationId;
  if (message.sequenceNumber !== undefined) attributes.SequenceNumber = message.sequenceNumber;
  if (message.deadLetterQueueSourceArn !== undefined) {
    attributes.DeadLetterQueueSourceArn = message.deadLetterQueueSourceArn;
  }
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle ?? '',
    body: message.body,
    md5OfBody: message.md5OfBody,
    md5OfMessageAttributes: md5OfMessageAttributes(message.messageAttributes),
    messageAttributes: message.messageAttributes,
    attributes,
  };
}

/** A queue's settings with SQS's defaults filled in; throws InvalidParameterValue for a bad name or range. */
export function resolveSettings(definition: QueueDefinition): QueueSettings {
  const fifo = definition.fifo ?? false;
  const baseName = fifo ? definition.name.replace(/\.fifo$/, '') : definition.name;
  if (!QUEUE_NAME.test(baseName) || (fifo && !definition.name.endsWith('.fifo'))) {
    throw invalidParameter(
      `Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length; FIFO queue names end in .fifo (got '${definition.name}').`,
    );
  }
  const settings: QueueSettings = {
    visibilityTimeoutSeconds: definition.visibilityTimeoutSeconds ?? 30,
    messageRetentionSeconds: definition.messageRetentionSeconds ?? 345_600,
    delaySeconds: definition.delaySeconds ?? 0,
    receiveWaitTimeSeconds: definition.receiveWaitTimeSeconds ?? 0,
    redrivePolicy: definition.redrivePolicy,
    fifo,
    contentBasedDeduplication: definition.contentBasedDeduplication ?? false,
  };
  checkRange('VisibilityTimeout', settings.visibilityTimeoutSeconds, 0, 43_200);
  checkRange('MessageRetentionPeriod', settings.messageRetentionSeconds, 60, 1_209_600);
  checkRange('DelaySeconds', settings.delaySeconds, 0, 900);
  checkRange('ReceiveMessageWaitTimeSeconds', settings.receiveWaitTimeSeconds, 0, 20);
  if (settings.redrivePolicy) checkRange('maxReceiveCount', settings.redrivePolicy.maxReceiveCount, 1, 1000);
  return settings;
}

/** The error SQS answers for an unknown queue (the SDK's QueueDoesNotExist). */
export function queueDoesNotExist(): AwsServiceError {
  return new AwsServiceError('QueueDoesNotExist', 'The specified queue does not exist.', {
    queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
  });
}

/** The error for an unknown SourceArn/DestinationArn of a message move task. */
export function resourceNotFound(message: string): AwsServiceError {
  return new AwsServiceError('ResourceNotFoundException', message, { statusCode: 404 });
}

/** Throws InvalidParameterValue unless `value` is an integer in [min, max]. */
export function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`Value ${value} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`);
  }
}
