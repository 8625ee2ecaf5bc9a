import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { dynamoDbClient } from './aws-clients';
import type { BreakerRecord, CircuitBreakerStore } from './circuit-breaker';

// Item: pk BREAKER#<provider>, sk STATE; gsi1pk BREAKERS, gsi1sk <provider> so the health endpoint lists them all
// with one Query. Attributes: provider, state (closed|open), consecutiveFailures, lastFailureAt, openedAt,
// halfOpenAt, probeId, probeUntil (times in epoch ms). No expiry: a breaker's history is small and useful.
const LIST_KEY = 'BREAKERS';
const keyOf = (provider: string): Record<string, AttributeValue> => ({ pk: { S: `BREAKER#${provider}` }, sk: { S: 'STATE' } });
const num = (value: number): AttributeValue => ({ N: String(value) });
const optionalNumber = (value: AttributeValue | undefined) => (value?.N === undefined ? undefined : Number(value.N));

const recordOf = (item: Record<string, AttributeValue>): BreakerRecord => {
  const common = {
    provider: item.provider?.S ?? '',
    consecutiveFailures: Number(item.consecutiveFailures?.N ?? '0'),
    ...(item.lastFailureAt?.N !== undefined && { lastFailureAt: Number(item.lastFailureAt.N) }),
  };
  if (item.state?.S !== 'open') return { ...common, state: 'closed' };
  const probeId = item.probeId?.S;
  const probeUntil = optionalNumber(item.probeUntil);
  return {
    ...common,
    state: 'open',
    openedAt: optionalNumber(item.openedAt) ?? 0,
    halfOpenAt: optionalNumber(item.halfOpenAt) ?? 0,
    ...(probeId !== undefined && probeUntil !== undefined && { probe: { id: probeId, until: probeUntil } }),
  };
};

/**
 * Circuit breakers in the INTEGRATION_STATE_TABLE (single-table keys pk/sk, index gsi1), one item per provider.
 * Every transition is one conditional UpdateItem, so concurrent Lambda instances agree on who tripped, probed or
 * closed a breaker. Reads are eventually consistent (half the cost; a breaker opened elsewhere is seen within about
 * a second); the conditional writes are what decide.
 */
export const dynamoCircuitBreakerStore = (tableName: string, client: DynamoDBClient = dynamoDbClient()): CircuitBreakerStore => {
  /** Runs one conditional update; false when its condition did not hold. */
  const update = async (input: Omit<UpdateItemCommandInput, 'TableName'>): Promise<boolean> => {
    try {
      await client.send(new UpdateItemCommand({ TableName: tableName, ...input }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  return {
    async get(provider) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(provider) }));
      return Item && recordOf(Item);
    },

    async recordFailure(provider, at) {
      const { Attributes } = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: keyOf(provider),
          UpdateExpression:
            'ADD consecutiveFailures :one SET lastFailureAt = :at, #state = if_not_exists(#state, :closed), #provider = :provider, gsi1pk = :list, gsi1sk = :provider',
          ExpressionAttributeNames: { '#state': 'state', '#provider': 'provider' },
          ExpressionAttributeValues: { ':one': num(1), ':at': num(at), ':closed': { S: 'closed' }, ':provider': { S: provider }, ':list': { S: LIST_KEY } },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return recordOf(Attributes ?? {});
    },

    async resetFailures(provider) {
      await update({
        Key: keyOf(provider),
        UpdateExpression: 'SET consecutiveFailures = :zero',
        ConditionExpression: '#state = :closed',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':zero': num(0), ':closed': { S: 'closed' } },
      });
    },

    trip: (provider, threshold, at, halfOpenAt) =>
      update({
        Key: keyOf(provider),
        UpdateExpression: 'SET #state = :open, openedAt = :at, halfOpenAt = :halfOpenAt REMOVE probeId, probeUntil',
        ConditionExpression: '#state = :closed AND consecutiveFailures >= :threshold',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':open': { S: 'open' }, ':closed': { S: 'closed' }, ':at': num(at), ':halfOpenAt': num(halfOpenAt), ':threshold': num(threshold),
        },
      }),

    claimProbe: (provider, lease, now) =>
      update({
        Key: keyOf(provider),
        UpdateExpression: 'SET probeId = :probeId, probeUntil = :until',
        ConditionExpression: '#state = :open AND halfOpenAt <= :now AND (attribute_not_exists(probeUntil) OR probeUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':open': { S: 'open' }, ':now': num(now), ':probeId': { S: lease.id }, ':until': num(lease.until) },
      }),

    close: (provider, probeId) =>
      update({
        Key: keyOf(provider),
        UpdateExpression: 'SET #state = :closed, consecutiveFailures = :zero REMOVE openedAt, halfOpenAt, probeId, probeUntil',
        ConditionExpression: 'probeId = :probeId',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':closed': { S: 'closed' }, ':zero': num(0), ':probeId': { S: probeId } },
      }),

    async reopen(provider, probeId, at, halfOpenAt) {
      await update({
        Key: keyOf(provider),
        UpdateExpression: 'SET openedAt = :at, halfOpenAt = :halfOpenAt, lastFailureAt = :at ADD consecutiveFailures :one REMOVE probeId, probeUntil',
        ConditionExpression: 'probeId = :probeId',
        ExpressionAttributeValues: { ':at': num(at), ':halfOpenAt': num(halfOpenAt), ':one': num(1), ':probeId': { S: probeId } },
      });
    },

    async list() {
      const records: BreakerRecord[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :list',
            ExpressionAttributeValues: { ':list': { S: LIST_KEY } },
            ExclusiveStartKey: startKey,
          }),
        );
        records.push(...(page.Items ?? []).map(recordOf));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return records;
    },
  };
};
