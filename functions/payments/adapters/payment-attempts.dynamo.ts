import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { moneySchema } from '../../_platform/money';
import { ConcurrentUpdateError, ConflictError } from '../../_platform/errors';
import { PAYMENT_FAILURE_CODES, type PaymentAttempt, type PaymentAttemptRef } from '../domain/model';
import type { PaymentAttemptRepository, PaymentResolutions } from '../domain/ports';

/*
 * Orders table (ORDERS_TABLE): an order and everything that happens to it form one item collection under
 * pk = ORDER#<orderId>. A payment attempt is
 *   pk = ORDER#<orderId>   sk = PAYMENT#<paymentId>
 *   orderId, paymentId, status ('pending'|'succeeded'|'failed'), taskToken?, awaitingUntil?, resolution?
 *   ({ outcome, failureCode?, transactionId?, source, at }), transactionId?, capturedAt?, lateCapture?, failureCode?, stockReleased?,
 *   compensationRefund?, updatedAt (ISO), version (1 on creation, +1 per write; the condition of every read-modify-write)
 * and what checkout describes (read here, never written): method, gateway, gatewayReference, amount, storeReturnUrl.
 * Writes are UpdateItem, never PutItem, so attributes other steps add to the attempt survive.
 */

const keyOf = ({ orderId, paymentId }: PaymentAttemptRef) => ({ pk: `ORDER#${orderId}`, sk: `PAYMENT#${paymentId}` });

const storedAttemptSchema = z.object({
  orderId: z.string(),
  paymentId: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  taskToken: z.optional(z.string()),
  awaitingUntil: z.optional(z.string()),
  resolution: z.optional(
    z.object({
      outcome: z.enum(['approved', 'failed']),
      failureCode: z.optional(z.enum(PAYMENT_FAILURE_CODES)),
      transactionId: z.optional(z.string()),
      source: z.enum(['return', 'webhook', 'cancel']),
      at: z.string(),
    }),
  ),
  transactionId: z.optional(z.string()),
  capturedAt: z.optional(z.string()),
  lateCapture: z.optional(z.boolean()),
  failureCode: z.optional(z.enum(PAYMENT_FAILURE_CODES)),
  stockReleased: z.optional(z.boolean()),
  compensationRefund: z.optional(z.enum(['requested', 'succeeded'])),
  updatedAt: z.string(),
  version: z.int().check(z.positive()),
  method: z.optional(z.string()),
  gateway: z.optional(z.string()),
  gatewayReference: z.optional(z.string()),
  amount: z.optional(moneySchema),
  storeReturnUrl: z.optional(z.string()),
});

// Every attribute the saga owns, each either SET or REMOVEd on a write (checkout's description is left alone).
const ATTRIBUTES = [
  'orderId',
  'paymentId',
  'status',
  'taskToken',
  'awaitingUntil',
  'resolution',
  'transactionId',
  'capturedAt',
  'lateCapture',
  'failureCode',
  'stockReleased',
  'compensationRefund',
  'updatedAt',
  'version',
] as const satisfies ReadonlyArray<keyof PaymentAttempt>;

// DynamoDB rejects an expression attribute name or value that the expressions do not use, so each is added
// only where it is used.
const updateOf = (attempt: PaymentAttempt) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const set: string[] = [];
  const remove: string[] = [];
  ATTRIBUTES.forEach((attribute, index) => {
    names[`#a${index}`] = attribute;
    const value = attempt[attribute];
    if (value === undefined) {
      remove.push(`#a${index}`);
    } else {
      values[`:a${index}`] = value;
      set.push(`#a${index} = :a${index}`);
    }
  });
  let condition: string;
  if (attempt.version === 1) {
    names['#pk'] = 'pk';
    condition = 'attribute_not_exists(#pk)';
  } else {
    values[':expected'] = attempt.version - 1;
    condition = `#a${ATTRIBUTES.indexOf('version')} = :expected`;
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

/** The PaymentAttemptRepository on DynamoDB (key design above). */
export const dynamoPaymentAttempts = (client: DynamoDBDocumentClient, tableName: string): PaymentAttemptRepository => ({
  async get(ref) {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keyOf(ref), ConsistentRead: true }));
    return Item ? z.parse(storedAttemptSchema, Item) : undefined;
  },
  async save(attempt) {
    try {
      await client.send(new UpdateCommand({ TableName: tableName, Key: keyOf(attempt), ...updateOf(attempt) }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConcurrentUpdateError(`payment ${attempt.paymentId} changed concurrently`, { cause: error });
      }
      throw error;
    }
  },
});

/**
 * PaymentResolutions on the same items. `record`: one UpdateItem that sets `resolution` and bumps `version` on
 * condition that the attempt exists, is pending and has no resolution. `storeTaskToken`: one UpdateItem that sets the
 * token and deadline and bumps `version` (ADD creates it at 1) on condition that the attempt is absent or pending.
 * Both return the item as written (ALL_NEW), so the second of the two always sees the first.
 */
export const dynamoPaymentResolutions = (client: DynamoDBDocumentClient, tableName: string): PaymentResolutions => ({
  async storeTaskToken(ref, { taskToken, awaitingUntil }, at) {
    try {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(ref),
          UpdateExpression:
            'SET #orderId = :orderId, #paymentId = :paymentId, #status = if_not_exists(#status, :pending), ' +
            '#taskToken = :taskToken, #awaitingUntil = :awaitingUntil, #updatedAt = :at ADD #version :one',
          ConditionExpression: 'attribute_not_exists(#pk) OR #status = :pending',
          ExpressionAttributeNames: {
            '#orderId': 'orderId', '#paymentId': 'paymentId', '#status': 'status', '#taskToken': 'taskToken',
            '#awaitingUntil': 'awaitingUntil', '#updatedAt': 'updatedAt', '#version': 'version', '#pk': 'pk',
          },
          ExpressionAttributeValues: {
            ':orderId': ref.orderId, ':paymentId': ref.paymentId, ':pending': 'pending', ':taskToken': taskToken,
            ':awaitingUntil': awaitingUntil, ':at': at, ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return z.parse(storedAttemptSchema, Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keyOf(ref), ConsistentRead: true }));
      throw new ConflictError(`payment ${ref.paymentId} is already ${String(Item?.status)}`, { cause: error });
    }
  },
  async record(ref, resolution) {
    try {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(ref),
          UpdateExpression: 'SET #resolution = :resolution, #updatedAt = :at, #version = #version + :one',
          ConditionExpression: 'attribute_exists(#pk) AND #status = :pending AND attribute_not_exists(#resolution)',
          ExpressionAttributeNames: { '#resolution': 'resolution', '#updatedAt': 'updatedAt', '#version': 'version', '#pk': 'pk', '#status': 'status' },
          ExpressionAttributeValues: { ':resolution': resolution, ':at': resolution.at, ':one': 1, ':pending': 'pending' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { recorded: true, attempt: z.parse(storedAttemptSchema, Attributes) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keyOf(ref), ConsistentRead: true }));
      return { recorded: false, attempt: Item ? z.parse(storedAttemptSchema, Item) : undefined };
    }
  },
});
