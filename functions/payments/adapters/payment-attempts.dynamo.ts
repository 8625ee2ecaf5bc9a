import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ConcurrentUpdateError } from '../domain/errors';
import type { PaymentAttempt, PaymentAttemptRef } from '../domain/model';
import type { PaymentAttemptRepository } from '../domain/ports';

/*
 * Orders table (ORDERS_TABLE): an order and everything that happens to it form one item collection under
 * pk = ORDER#<orderId>. A payment attempt is
 *   pk = ORDER#<orderId>   sk = PAYMENT#<paymentId>
 *   orderId, paymentId, status ('pending'|'succeeded'|'failed'), taskToken?, awaitingUntil?, providerReference?,
 *   failureCode?, updatedAt (ISO), version (1 on creation, +1 per write; the condition of every write)
 * Writes are UpdateItem, never PutItem, so attributes other steps add to the attempt survive.
 */

const keyOf = ({ orderId, paymentId }: PaymentAttemptRef) => ({ pk: `ORDER#${orderId}`, sk: `PAYMENT#${paymentId}` });

const storedAttemptSchema = z.object({
  orderId: z.string(),
  paymentId: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  taskToken: z.optional(z.string()),
  awaitingUntil: z.optional(z.string()),
  providerReference: z.optional(z.string()),
  failureCode: z.optional(z.enum(['EXPIRED', 'DECLINED', 'INSUFFICIENT_FUNDS', 'CANCELLED_BY_BUYER', 'PROCESSING_ERROR'])),
  updatedAt: z.string(),
  version: z.int().check(z.positive()),
});

// Every attribute of PaymentAttempt, each either SET or REMOVEd on a write.
const ATTRIBUTES = [
  'orderId',
  'paymentId',
  'status',
  'taskToken',
  'awaitingUntil',
  'providerReference',
  'failureCode',
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
