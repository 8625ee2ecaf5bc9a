/**
 * Local SNS: the awsQuery actions Commerce Hub uses (form-encoded `Action=…&Version=2010-03-31`, XML answers)
 * and fan-out to SQS subscriptions with raw or envelope delivery and filter policies.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AwsService, LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../contracts';
import { AwsServiceError, escapeXml, writeQueryError, writeQueryResult } from './aws-protocol';
import {
  type FilterPolicy,
  type FilterPolicyScope,
  matchesFilterPolicy,
  validateFilterPolicy,
} from './sns-filter-policy';
import type { SqsEmulator, SqsMessageAttributes } from './sqs';

export interface TopicDefinition {
  name: string;
  /** FIFO topic; its name must end in `.fifo`. */
  fifo?: boolean;
  /** FIFO only: deduplicate on the SHA-256 of the message when no MessageDeduplicationId is sent. */
  contentBasedDeduplication?: boolean;
  displayName?: string;
}

export interface SubscriptionDefinition {
  topicArn: string;
  protocol: 'sqs';
  /** The queue's ARN. */
  endpoint: string;
  rawMessageDelivery?: boolean;
  filterPolicy?: FilterPolicy;
  /** Default MessageAttributes. */
  filterPolicyScope?: FilterPolicyScope;
}

export interface PublishInput {
  topicArn: string;
  message: string;
  subject?: string;
  /** `json`: `message` is a JSON object of per-protocol messages (`sqs`, falling back to `default`). */
  messageStructure?: string;
  messageAttributes?: SqsMessageAttributes;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

/** The local SNS service plus the direct API the runtime uses to declare topics and subscriptions. */
export interface SnsEmulator extends AwsService {
  /** Creates the topic, or returns the existing one of that name. */
  createTopic(definition: TopicDefinition): { arn: string };
  /** Subscribes a queue; subscribing the same queue again updates the subscription's attributes. */
  subscribe(definition: SubscriptionDefinition): { subscriptionArn: string };
  /** Publishes as Publish does and delivers to the matching subscriptions before returning. */
  publish(input: PublishInput): { messageId: string; sequenceNumber?: string };
}

export interface SnsEmulatorOptions {
  /** Where deliveries go; only `send` is used. */
  sqs: Pick<SqsEmulator, 'send'>;
  /** Reports a delivery SQS refused (missing queue, too many attributes …); console.warn unless given. */
  onDeliveryError?: (subscriptionArn: string, error: unknown) => void;
}

interface Topic {
  arn: string;
  name: string;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  displayName: string;
  sequence: number;
  subscriptions: Subscription[];
}

interface Subscription {
  arn: string;
  topicArn: string;
  endpoint: string;
  rawMessageDelivery: boolean;
  filterPolicy?: FilterPolicy;
  filterPolicyScope: FilterPolicyScope;
}

const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
const MAX_MESSAGE_BYTES = 262_144;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const SIGNING_CERT_URL = `https://sns.${LOCAL_REGION}.amazonaws.com/SimpleNotificationService-local.pem`;

/** Creates the local SNS emulator delivering to `options.sqs`. */
export function createSnsEmulator(options: SnsEmulatorOptions): SnsEmulator {
  const topics = new Map<string, Topic>();
  const reportDeliveryError =
    options.onDeliveryError ??
    ((subscriptionArn: string, error: unknown) =>
      console.warn(`[sns] delivery to ${subscriptionArn} failed:`, error instanceof Error ? error.message : error));

  function requireTopic(arn: string | undefined): Topic {
    const topic = arn === undefined ? undefined : topics.get(arn);
    if (!topic) throw new AwsServiceError('NotFound', 'Topic does not exist', { statusCode: 404 });
    return topic;
  }

  function createTopic(definition: TopicDefinition): { arn: string } {
    const fifo = definition.fifo ?? definition.name.endsWith('.fifo');
    const baseName = fifo ? definition.name.replace(/\.fifo$/, '') : definition.name;
    if (!TOPIC_NAME.test(baseName) || fifo !== definition.name.endsWith('.fifo')) {
      throw invalidParameter(`Invalid parameter: Topic Name (${definition.name})`);
    }
    const arn = `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${definition.name}`;
    if (!topics.has(arn)) {
      topics.set(arn, {
        arn,
        name: definition.name,
        fifo,
        contentBasedDeduplication: definition.contentBasedDeduplication ?? false,
        displayName: definition.displayName ?? '',
        sequence: 0,
        subscriptions: [],
      });
    }
    return { arn };
  }

  function subscribe(definition: SubscriptionDefinition): { subscriptionArn: string } {
    const topic = requireTopic(definition.topicArn);
    if (definition.protocol !== 'sqs') {
      throw invalidParameter(`Invalid parameter: The local SNS emulator only delivers to sqs, not ${String(definition.protocol)}`);
    }
    if (!definition.endpoint.startsWith('arn:aws:sqs:')) {
      throw invalidParameter('Invalid parameter: SQS endpoint ARN');
    }
    const filterPolicyScope = definition.filterPolicyScope ?? 'MessageAttributes';
    if (definition.filterPolicy !== undefined) {
      try {
        validateFilterPolicy(definition.filterPolicy, filterPolicyScope);
      } catch (error) {
        throw invalidParameter(`Invalid parameter: FilterPolicy: ${(error as Error).message}`);
      }
    }
    const settings = {
      endpoint: definition.endpoint,
      rawMessageDelivery: definition.rawMessageDelivery ?? false,
      filterPolicy: definition.filterPolicy,
      filterPolicyScope,
    };
    const existing = topic.subscriptions.find((s) => s.endpoint === definition.endpoint);
    if (existing) {
      Object.assign(existing, settings);
      return { subscriptionArn: existing.arn };
    }
    const subscription: Subscription = { arn: `${topic.arn}:${randomUUID()}`, topicArn: topic.arn, ...settings };
    topic.subscriptions.push(subscription);
    return { subscriptionArn: subscription.arn };
  }

  function publish(input: PublishInput): { messageId: string; sequenceNumber?: string } {
    const topic = requireTopic(input.topicArn);
    const attributes = input.messageAttributes ?? {};
    validatePublish(input, attributes);
    const sqsMessage = input.messageStructure === 'json' ? protocolMessage(input.message) : input.message;

    let deduplicationId = input.messageDeduplicationId;
    let sequenceNumber: string | undefined;
    if (topic.fifo) {
      if (!input.messageGroupId) {
        throw invalidParameter('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
      }
      if (!deduplicationId) {
        if (!topic.contentBasedDeduplication) {
          throw invalidParameter(
            'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        }
        deduplicationId = createHash('sha256').update(input.message, 'utf8').digest('hex');
      }
      topic.sequence += 1;
      sequenceNumber = String(topic.sequence).padStart(20, '0');
    }

    const messageId = randomUUID();
    const timestamp = new Date().toISOString();
    for (const subscription of topic.subscriptions) {
      const passes =
        subscription.filterPolicy === undefined ||
        matchesFilterPolicy(subscription.filterPolicy, { attributes, body: sqsMessage }, subscription.filterPolicyScope);
      if (!passes) continue;
      try {
        options.sqs.send(subscription.endpoint, {
          body: subscription.rawMessageDelivery
            ? sqsMessage
            : notificationEnvelope({ topic, subscription, messageId, timestamp, input, message: sqsMessage, attributes, sequenceNumber }),
          messageAttributes: subscription.rawMessageDelivery ? attributes : undefined,
          messageGroupId: topic.fifo ? input.messageGroupId : undefined,
          messageDeduplicationId: topic.fifo ? deduplicationId : undefined,
        });
      } catch (error) {
        reportDeliveryError(subscription.arn, error);
      }
    }
    return { messageId, sequenceNumber };
  }

  const wire = createWireActions({ topics, requireTopic, createTopic, subscribe, publish });

  return {
    name: 'sns',
    matches: isSnsQueryRequest,
    async handle(_req: IncomingMessage, body: Buffer, res: ServerResponse) {
      const params = new QueryParams(new URLSearchParams(body.toString('utf8')));
      const action = params.get('Action') ?? '';
      try {
        const run = wire[action];
        if (!run) throw new AwsServiceError('InvalidAction', `The action ${action} is not valid for this web service.`);
        writeQueryResult(res, NAMESPACE, action, run(params));
      } catch (error) {
        if (!(error instanceof AwsServiceError)) throw error;
        writeQueryError(res, NAMESPACE, error);
      }
    },
    createTopic,
    subscribe,
    publish,
  };
}

/** Form-encoded and signed for SNS (or unsigned): the awsQuery requests the SNS client sends. */
function isSnsQueryRequest(req: IncomingMessage): boolean {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return false;
  const signingService = /Credential=[^/]*\/[^/]*\/[^/]*\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
  return signingService === undefined || signingService === 'sns';
}

interface WireInternals {
  topics: Map<string, Topic>;
  requireTopic(arn: string | undefined): Topic;
  createTopic(definition: TopicDefinition): { arn: string };
  subscribe(definition: SubscriptionDefinition): { subscriptionArn: string };
  publish(input: PublishInput): { messageId: string; sequenceNumber?: string };
}

/** The awsQuery actions; each returns the inner XML of its `<{Action}Result>`. */
function createWireActions(sns: WireInternals): Record<string, (params: QueryParams) => string> {
  const publishInput = (params: QueryParams, topicArn: string | undefined): PublishInput => ({
    topicArn: sns.requireTopic(topicArn).arn,
    message: params.get('Message') ?? '',
    subject: params.get('Subject'),
    messageStructure: params.get('MessageStructure'),
    messageAttributes: params.messageAttributes('MessageAttributes'),
    messageGroupId: params.get('MessageGroupId'),
    messageDeduplicationId: params.get('MessageDeduplicationId'),
  });

  return {
    CreateTopic(params) {
      const attributes = params.map('Attributes');
      const { arn } = sns.createTopic({
        name: required(params, 'Name'),
        fifo: attributes.FifoTopic === 'true',
        contentBasedDeduplication: attributes.ContentBasedDeduplication === 'true',
        displayName: attributes.DisplayName,
      });
      return element('TopicArn', arn);
    },

    Subscribe(params) {
      const attributes = params.map('Attributes');
      let filterPolicy: FilterPolicy | undefined;
      if (attributes.FilterPolicy !== undefined) {
        try {
          filterPolicy = JSON.parse(attributes.FilterPolicy) as FilterPolicy;
        } catch {
          throw invalidParameter('Invalid parameter: FilterPolicy: failed to parse JSON');
        }
      }
      const scope = attributes.FilterPolicyScope;
      if (scope !== undefined && scope !== 'MessageAttributes' && scope !== 'MessageBody') {
        throw invalidParameter('Invalid parameter: FilterPolicyScope must be MessageAttributes or MessageBody');
      }
      const protocol = required(params, 'Protocol');
      if (protocol !== 'sqs') {
        throw invalidParameter(`Invalid parameter: The local SNS emulator only delivers to sqs, not ${protocol}`);
      }
      const { subscriptionArn } = sns.subscribe({
        topicArn: required(params, 'TopicArn'),
        protocol,
        endpoint: required(params, 'Endpoint'),
        rawMessageDelivery: attributes.RawMessageDelivery === 'true',
        filterPolicy,
        filterPolicyScope: scope,
      });
      return element('SubscriptionArn', subscriptionArn);
    },

    Publish(params) {
      if (params.get('PhoneNumber') !== undefined) {
        throw invalidParameter('Invalid parameter: The local SNS emulator does not send SMS');
      }
      const result = sns.publish(publishInput(params, params.get('TopicArn') ?? params.get('TargetArn')));
      return element('MessageId', result.messageId) + optionalElement('SequenceNumber', result.sequenceNumber);
    },

    PublishBatch(params) {
      const topicArn = sns.requireTopic(params.get('TopicArn')).arn;
      const entries = params.members('PublishBatchRequestEntries');
      validateBatch(entries);
      let successful = '';
      let failed = '';
      for (const entry of entries) {
        const id = entry.get('Id') ?? '';
        try {
          const result = sns.publish(publishInput(entry, topicArn));
          successful += `<member>${element('Id', id)}${element('MessageId', result.messageId)}${optionalElement('SequenceNumber', result.sequenceNumber)}</member>`;
        } catch (error) {
          if (!(error instanceof AwsServiceError)) throw error;
          failed +=
            `<member>${element('Id', id)}${element('Code', error.queryCode)}${element('Message', error.message)}` +
            `${element('SenderFault', String(error.fault === 'Sender'))}</member>`;
        }
      }
      return `<Successful>${successful}</Successful><Failed>${failed}</Failed>`;
    },

    GetTopicAttributes(params) {
      const topic = sns.requireTopic(params.get('TopicArn'));
      const attributes: Record<string, string> = {
        TopicArn: topic.arn,
        Owner: LOCAL_ACCOUNT_ID,
        DisplayName: topic.displayName,
        Policy: JSON.stringify(defaultTopicPolicy(topic.arn)),
        SubscriptionsConfirmed: String(topic.subscriptions.length),
        SubscriptionsPending: '0',
        SubscriptionsDeleted: '0',
        EffectiveDeliveryPolicy: JSON.stringify({
          http: { defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' }, disableSubscriptionOverrides: false },
        }),
      };
      if (topic.fifo) {
        attributes.FifoTopic = 'true';
        attributes.ContentBasedDeduplication = String(topic.contentBasedDeduplication);
      }
      const entries = Object.entries(attributes)
        .map(([key, value]) => `<entry>${element('key', key)}${element('value', value)}</entry>`)
        .join('');
      return `<Attributes>${entries}</Attributes>`;
    },

    ListTopics() {
      const members = [...sns.topics.values()].map((t) => `<member>${element('TopicArn', t.arn)}</member>`).join('');
      return `<Topics>${members}</Topics>`;
    },

    ListSubscriptionsByTopic(params) {
      const topic = sns.requireTopic(params.get('TopicArn'));
      const members = topic.subscriptions
        .map(
          (s) =>
            `<member>${element('SubscriptionArn', s.arn)}${element('Owner', LOCAL_ACCOUNT_ID)}${element('Protocol', 'sqs')}` +
            `${element('Endpoint', s.endpoint)}${element('TopicArn', s.topicArn)}</member>`,
        )
        .join('');
      return `<Subscriptions>${members}</Subscriptions>`;
    },
  };
}

interface EnvelopeInput {
  topic: Topic;
  subscription: Subscription;
  messageId: string;
  timestamp: string;
  input: PublishInput;
  message: string;
  attributes: SqsMessageAttributes;
  sequenceNumber?: string;
}

/** The JSON SNS puts in an SQS message when raw delivery is off. The signature is a placeholder, not verifiable. */
function notificationEnvelope(e: EnvelopeInput): string {
  const messageAttributes: Record<string, { Type: string; Value: string }> = {};
  for (const [name, attribute] of Object.entries(e.attributes)) {
    messageAttributes[name] = { Type: attribute.DataType, Value: attribute.StringValue ?? attribute.BinaryValue ?? '' };
  }
  const envelope: Record<string, unknown> = {
    Type: 'Notification',
    MessageId: e.messageId,
    SequenceNumber: e.sequenceNumber,
    TopicArn: e.topic.arn,
    Subject: e.input.subject,
    Message: e.message,
    Timestamp: e.timestamp,
    SignatureVersion: '1',
    Signature: createHash('sha256').update(`${e.messageId}\n${e.message}\n${e.timestamp}`).digest('base64'),
    SigningCertURL: SIGNING_CERT_URL,
    UnsubscribeURL: `https://sns.${LOCAL_REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${e.subscription.arn}`,
  };
  if (Object.keys(messageAttributes).length > 0) envelope.MessageAttributes = messageAttributes;
  return JSON.stringify(envelope, null, 2);
}

function protocolMessage(message: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  const messages = parsed as Record<string, unknown> | null;
  if (typeof messages?.default !== 'string') {
    throw invalidParameter('Invalid parameter: Message Structure - No default entry in JSON message body');
  }
  return typeof messages.sqs === 'string' ? messages.sqs : messages.default;
}

function validatePublish(input: PublishInput, attributes: SqsMessageAttributes): void {
  if (input.message === '') throw invalidParameter('Invalid parameter: Empty message');
  if (input.subject !== undefined && (input.subject.length === 0 || input.subject.length > 100)) {
    throw invalidParameter('Invalid parameter: Subject');
  }
  let size = Buffer.byteLength(input.message);
  for (const [name, attribute] of Object.entries(attributes)) {
    const value = attribute.StringValue ?? attribute.BinaryValue;
    const invalid = (reason: string) =>
      new AwsServiceError('ParameterValueInvalid', `The message attribute '${name}' ${reason}`);
    if (!/^(String|String\.Array|Number|Binary)$/.test(attribute.DataType)) {
      throw invalid(`has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (value === undefined || value === '') throw invalid('must contain non-empty message attribute value');
    if (attribute.DataType === 'Number' && !Number.isFinite(Number(value))) throw invalid('has an invalid Number value');
    if (attribute.DataType === 'String.Array') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) throw invalid('has an invalid String.Array value: it must be a JSON array');
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType) + Buffer.byteLength(value);
  }
  if (size > MAX_MESSAGE_BYTES) {
    throw invalidParameter(`Invalid parameter: Message too long (more than ${MAX_MESSAGE_BYTES} bytes)`);
  }
}

function validateBatch(entries: QueryParams[]): void {
  if (entries.length === 0) {
    throw new AwsServiceError('EmptyBatchRequest', 'The batch request does not contain any entries.');
  }
  if (entries.length > 10) {
    throw new AwsServiceError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
  }
  const ids = entries.map((e) => e.get('Id') ?? '');
  if (ids.some((id) => !BATCH_ENTRY_ID.test(id))) {
    throw new AwsServiceError('InvalidBatchEntryId', 'The Id of a batch entry in a batch request does not abide by the specification.');
  }
  if (new Set(ids).size !== ids.length) {
    throw new AwsServiceError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
  }
}

function defaultTopicPolicy(topicArn: string) {
  return {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:Publish', 'SNS:Subscribe', 'SNS:GetTopicAttributes', 'SNS:ListSubscriptionsByTopic'],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': LOCAL_ACCOUNT_ID } },
      },
    ],
  };
}

function invalidParameter(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameter', message);
}

function required(params: QueryParams, key: string): string {
  const value = params.get(key);
  if (value === undefined || value === '') throw invalidParameter(`Invalid parameter: ${key}`);
  return value;
}

function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

function optionalElement(name: string, value: string | undefined): string {
  return value === undefined ? '' : element(name, value);
}

/** awsQuery parameters, with the flattened list (`X.member.N.…`) and map (`X.entry.N.…`) encodings. */
class QueryParams {
  constructor(private readonly params: URLSearchParams) {}

  get(key: string): string | undefined {
    return this.params.get(key) ?? undefined;
  }

  /** `prefix.member.N.*` as one QueryParams per N, in N order. */
  members(prefix: string): QueryParams[] {
    return this.indexed(`${prefix}.member.`).map(
      ([, entries]) => new QueryParams(new URLSearchParams(entries)),
    );
  }

  /** A string map sent as `prefix.entry.N.key` / `prefix.entry.N.value`. */
  map(prefix: string): Record<string, string> {
    const map: Record<string, string> = {};
    for (const [, entries] of this.indexed(`${prefix}.entry.`)) {
      const fields = Object.fromEntries(entries);
      if (fields.key !== undefined) map[fields.key] = fields.value ?? '';
    }
    return map;
  }

  /** Message attributes sent as `prefix.entry.N.Name` / `.Value.DataType` / `.Value.StringValue|BinaryValue`. */
  messageAttributes(prefix: string): SqsMessageAttributes | undefined {
    const groups = this.indexed(`${prefix}.entry.`);
    if (groups.length === 0) return undefined;
    const attributes: SqsMessageAttributes = {};
    for (const [, entries] of groups) {
      const fields = Object.fromEntries(entries);
      if (fields.Name === undefined) continue;
      attributes[fields.Name] = {
        DataType: fields['Value.DataType'] ?? '',
        StringValue: fields['Value.StringValue'],
        BinaryValue: fields['Value.BinaryValue'],
      };
    }
    return attributes;
  }

  /** Groups `<prefix><N>.<rest>` parameters by N (ascending) into `[rest, value]` pairs. */
  private indexed(prefix: string): [number, [string, string][]][] {
    const groups = new Map<number, [string, string][]>();
    for (const [key, value] of this.params) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const dot = rest.indexOf('.');
      const index = Number(rest.slice(0, dot));
      if (dot < 0 || !Number.isInteger(index)) continue;
      const group = groups.get(index) ?? [];
      group.push([rest.slice(dot + 1), value]);
      groups.set(index, group);
    }
    return [...groups.entries()].sort(([a], [b]) => a - b);
  }
}
