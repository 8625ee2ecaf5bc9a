import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { dynamoDbClient } from './aws-clients';
import { type Clock, systemClock } from './clock';
import { bucketTiming, type RateLimiter, RateLimitedError, type RateLimits } from './rate-limiter';

export interface DynamoRateLimiterOptions {
  /** Longest a request waits for a token before RateLimitedError; 1 000 ms unless given. */
  readonly maxWaitMs?: number;
  readonly clock?: Clock;
  readonly client?: DynamoDBClient;
}

// A few conditional writes are enough: each failed one tells us the bucket's real state.
const MAX_WRITES = 4;
// An idle provider's bucket is full again long before this; the TTL only tidies the table.
const BUCKET_TTL_SECONDS = 86_400;

/**
 * Per-provider token buckets in the INTEGRATION_STATE_TABLE (item pk `RATE#<provider>`, sk `BUCKET`, attribute `tat`,
 * see `bucketTiming`), shared by every Lambda instance. Taking a token is one conditional UpdateItem: this instance
 * guesses from the last `tat` it saw whether the bucket is full (`tat <= now`) or partly used, and a failed guess costs
 * one consistent read. Providers without an entry in `limits` are not limited and cost nothing.
 */
export const dynamoRateLimiter = (tableName: string, limits: RateLimits, options: DynamoRateLimiterOptions = {}): RateLimiter => {
  const client = options.client ?? dynamoDbClient();
  const clock = options.clock ?? systemClock;
  const maxWaitMs = options.maxWaitMs ?? 1_000;
  const lastSeenTat = new Map<string, number>();
  const keyOf = (provider: string): Record<string, AttributeValue> => ({ pk: { S: `RATE#${provider}` }, sk: { S: 'BUCKET' } });

  /** One conditional take; the new `tat`, or undefined when the guess about the bucket was wrong. */
  const take = async (provider: string, full: boolean, now: number, intervalMs: number, toleranceMs: number) => {
    const expiresAt = { N: String(Math.floor(now / 1000) + BUCKET_TTL_SECONDS) };
    try {
      const { Attributes } = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: keyOf(provider),
          ...(full
            ? {
                UpdateExpression: 'SET tat = :next, expiresAt = :expiresAt',
                ConditionExpression: 'attribute_not_exists(tat) OR tat <= :now',
                ExpressionAttributeValues: { ':next': { N: String(now + intervalMs) }, ':now': { N: String(now) }, ':expiresAt': expiresAt },
              }
            : {
                UpdateExpression: 'SET tat = tat + :interval, expiresAt = :expiresAt',
                ConditionExpression: 'tat > :now AND tat <= :latest',
                ExpressionAttributeValues: {
                  ':interval': { N: String(intervalMs) }, ':now': { N: String(now) }, ':latest': { N: String(now + toleranceMs) }, ':expiresAt': expiresAt,
                },
              }),
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.tat?.N);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  };

  const read = async (provider: string): Promise<number | undefined> => {
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(provider), ConsistentRead: true }));
    return Item?.tat?.N === undefined ? undefined : Number(Item.tat.N);
  };

  return {
    async acquire(provider) {
      const limit = limits[provider];
      if (!limit) return;
      const { intervalMs, toleranceMs } = bucketTiming(limit);
      let waitedMs = 0;
      let tat = lastSeenTat.get(provider);
      for (let write = 0; write < MAX_WRITES; ) {
        const now = clock.now().getTime();
        if (tat !== undefined && tat > now + toleranceMs) {
          const waitMs = Math.ceil(tat - toleranceMs - now);
          if (waitedMs + waitMs > maxWaitMs) throw new RateLimitedError(provider);
          await sleep(waitMs);
          waitedMs += waitMs;
          continue;
        }
        write += 1;
        const next = await take(provider, tat === undefined || tat <= now, now, intervalMs, toleranceMs);
        if (next !== undefined) {
          lastSeenTat.set(provider, next);
          return;
        }
        tat = await read(provider);
      }
      throw new RateLimitedError(provider);
    },
  };
};
