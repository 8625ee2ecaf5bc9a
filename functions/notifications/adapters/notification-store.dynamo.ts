import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../../_platform/errors';
import type { MessageRecord, Preferences, Recipient, Suppression } from '../domain/model';
import type { Claim, NotificationStore, StoredTemplate, TemplateStore } from '../domain/ports';

/*
 * Notifications table (NOTIFICATIONS_TABLE), single-table:
 *   pk = MSG#<messageId>          sk = MSG           a message on one channel (model.ts MessageRecord)
 *        gsi1pk = PROVIDER#<provider>#<providerMessageId>, gsi1sk = MSG   (receipts find their message by it)
 *   pk = RECIPIENT#<recipientId>  sk = PREFERENCES   what the recipient allows
 *   pk = RECIPIENT#<recipientId>  sk = CONTACT       a seller's or staff member's contact (the seller directory)
 *   pk = ADDRESS#<addressHash>    sk = SUPPRESSION   hard bounce / complaint / pause of an address (hash only)
 *   pk = TEMPLATE#<type>          sk = <role>#<language>#<channel>   an operator's template overriding the default
 * Messages expire (TTL `expiresAt`) after MESSAGE_RETENTION_DAYS; the rest is kept.
 */
const MESSAGE_RETENTION_DAYS = 400;

const messageKey = (messageId: string) => ({ pk: `MSG#${messageId}`, sk: 'MSG' });
const providerKey = (provider: string, providerMessageId: string) => `PROVIDER#${provider}#${providerMessageId}`;
const KEY_FIELDS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'expiresAt'];

const withoutKeys = <T>(item: Record<string, unknown>): T =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !KEY_FIELDS.includes(name))) as T;

const messageItem = (record: MessageRecord) => ({
  ...messageKey(record.messageId),
  ...(record.provider && record.providerMessageId && { gsi1pk: providerKey(record.provider, record.providerMessageId), gsi1sk: 'MSG' }),
  ...record,
  expiresAt: Math.floor(Date.parse(record.createdAt) / 1000) + MESSAGE_RETENTION_DAYS * 86_400,
});

/** Whether a DynamoDB write failed its condition (the SDK's class, or its name when the class came from another copy). */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';

/** The NotificationStore on DynamoDB (key design above). */
export const dynamoNotificationStore = (client: DynamoDBDocumentClient, tableName: string): NotificationStore => {
  const get = async <T>(pk: string, sk: string): Promise<T | undefined> => {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }));
    return Item ? withoutKeys<T>(Item) : undefined;
  };
  const put = async (item: Record<string, unknown>) => {
    await client.send(new PutCommand({ TableName: tableName, Item: item }));
  };

  return {
    async claimMessage(record): Promise<Claim> {
      // One update creates the message, or takes back one every provider failed to take (keeping its history).
      const { attempts, history, version: _version, retryable: _retryable, ...fields } = record;
      const item = messageItem({ ...record, attempts: [], history: [] });
      const names: Record<string, string> = { '#attempts': 'attempts', '#history': 'history', '#version': 'version', '#retryable': 'retryable', '#createdAt': 'createdAt' };
      const values: Record<string, unknown> = { ':attempts': attempts, ':history': history, ':empty': [], ':zero': 0, ':one': 1, ':true': true, ':createdAt': record.createdAt };
      const sets: string[] = [];
      for (const [name, value] of Object.entries({ ...fields, expiresAt: item.expiresAt })) {
        if (name === 'createdAt' || value === undefined) continue;
        names[`#${name}`] = name;
        values[`:${name}`] = value;
        sets.push(`#${name} = :${name}`);
      }
      try {
        const { Attributes } = await client.send(new UpdateCommand({
          TableName: tableName,
          Key: messageKey(record.messageId),
          UpdateExpression: `SET ${sets.join(', ')}, #createdAt = if_not_exists(#createdAt, :createdAt), #attempts = list_append(if_not_exists(#attempts, :empty), :attempts), #history = list_append(if_not_exists(#history, :empty), :history), #version = if_not_exists(#version, :zero) + :one REMOVE #retryable`,
          ConditionExpression: 'attribute_not_exists(pk) OR #retryable = :true',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }));
        return { claimed: true, record: withoutKeys<MessageRecord>(Attributes ?? {}) };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const existing = (error as { Item?: Record<string, unknown> }).Item;
        const stored = existing ? withoutKeys<MessageRecord>(existing) : await get<MessageRecord>(messageKey(record.messageId).pk, 'MSG');
        if (!stored) throw error;
        return { claimed: false, record: stored };
      }
    },

    async saveMessage(record) {
      try {
        await client.send(new PutCommand({
          TableName: tableName,
          Item: messageItem(record),
          ConditionExpression: '#version = :previous',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':previous': record.version - 1 },
        }));
      } catch (error) {
        if (isConditionFailure(error)) throw new ConcurrentUpdateError(`message ${record.messageId} changed meanwhile`, { cause: error });
        throw error;
      }
    },

    getMessage: (messageId) => get<MessageRecord>(`MSG#${messageId}`, 'MSG'),

    async findByProviderMessageId(provider, providerMessageId) {
      const { Items } = await client.send(new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
        ExpressionAttributeValues: { ':pk': providerKey(provider, providerMessageId), ':sk': 'MSG' },
        Limit: 1,
      }));
      return Items?.[0] ? withoutKeys<MessageRecord>(Items[0]) : undefined;
    },

    getPreferences: (recipientId) => get<Preferences>(`RECIPIENT#${recipientId}`, 'PREFERENCES'),
    putPreferences: (preferences) => put({ pk: `RECIPIENT#${preferences.recipientId}`, sk: 'PREFERENCES', ...preferences }),
    getContact: (recipientId) => get<Recipient>(`RECIPIENT#${recipientId}`, 'CONTACT'),
    putContact: (contact) => put({ pk: `RECIPIENT#${contact.recipientId}`, sk: 'CONTACT', ...contact }),
    getSuppression: (addressHash) => get<Suppression>(`ADDRESS#${addressHash}`, 'SUPPRESSION'),
    putSuppression: (suppression) => put({ pk: `ADDRESS#${suppression.addressHash}`, sk: 'SUPPRESSION', ...suppression }),
  };
};

/** Operators' templates on DynamoDB (key design above). */
export const dynamoTemplateStore = (client: DynamoDBDocumentClient, tableName: string): TemplateStore => ({
  async find({ type, role, language, channel }) {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pk: `TEMPLATE#${type}`, sk: `${role}#${language}#${channel}` } }));
    return Item ? withoutKeys<StoredTemplate>(Item) : undefined;
  },
});
