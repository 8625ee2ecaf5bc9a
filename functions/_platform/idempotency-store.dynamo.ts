import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { dynamoDbClient } from './aws-clients';
import { loadConfig } from './config';
import type { ExistingIdempotencyRecord, IdempotencyStatus, IdempotencyStore } from './idempotency-store';

// Item, one per key, in the layout Powertools idempotency wrote, so deployed tables need no change. (Its keys hashed
// with md5, so a record it wrote is not found under the sha256 keys and simply expires.)
//   id                      S  `<scope>#<sha256 of the key part>` (the table's partition key)
//   status                  S  INPROGRESS | COMPLETED
//   expiration              N  epoch seconds; the table's TTL attribute, and void once past for the claim condition
//   in_progress_expiration  N  epoch ms until which an INPROGRESS claim holds; also tells one claim from the next
//   validation              S  hash of the part that must match on a repeat (absent when nothing is validated)
//   data                    M  the completed call's result as a DynamoDB value (a map for the handlers' results;
//                              absent when the call returned nothing)
const IN_PROGRESS: IdempotencyStatus = 'INPROGRESS';
const COMPLETED: IdempotencyStatus = 'COMPLETED';
const FREE_KEY =
  'attribute_not_exists(#id) OR #expiration < :now OR (#status = :inProgress AND #inProgressUntil < :nowMs)';
/** Claim attempts when the record found is gone or void by the time it is read (it changed between two requests). */
const CLAIM_ATTEMPTS = 3;

const num = (value: number): AttributeValue => ({ N: String(value) });
const str = (value: string): AttributeValue => ({ S: value });

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const toAttribute = (value: Json): AttributeValue => {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number') return num(value);
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  return { M: Object.fromEntries(Object.entries(value).map(([name, nested]) => [name, toAttribute(nested)])) };
};

const fromAttribute = (attribute: AttributeValue): Json => {
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return Number(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.L !== undefined) return attribute.L.map(fromAttribute);
  if (attribute.M !== undefined) {
    return Object.fromEntries(Object.entries(attribute.M).map(([name, nested]) => [name, fromAttribute(nested)]));
  }
  return null;
};

/** The live record in an item, or undefined when the item is void at `now` (expired, or a lapsed claim). */
const liveRecordOf = (item: Record<string, AttributeValue>, now: number): ExistingIdempotencyRecord | undefined => {
  if (Number(item.expiration?.N) < now / 1000) return undefined;
  const validationHash = item.validation?.S;
  const validation = validationHash === undefined ? {} : { validationHash };
  const status = item.status?.S;
  if (status === COMPLETED) return { status, data: item.data && fromAttribute(item.data), ...validation };
  if (status === IN_PROGRESS) {
    return Number(item.in_progress_expiration?.N) < now ? undefined : { status, ...validation };
  }
  throw new Error(`idempotency record ${item.id?.S} has an unknown status: ${status}`);
};

const tableFromEnv = () =>
  loadConfig(z.object({ IDEMPOTENCY_TABLE: z.string().check(z.minLength(1)) })).IDEMPOTENCY_TABLE;

/**
 * Idempotency records in the IDEMPOTENCY_TABLE table (env) unless another is named; layout above. A claim is one
 * conditional PutItem, so concurrent Lambda instances agree on who runs the work; when it fails, the record found
 * comes back with the failure (or from a consistent read where the DynamoDB implementation does not return it).
 * Call once per cold start.
 */
export const dynamoIdempotencyStore = (tableName: string = tableFromEnv(), client: DynamoDBClient = dynamoDbClient()): IdempotencyStore => {
  const keyOf = (key: string) => ({ id: str(key) });

  const existingItem = async (key: string, failure: ConditionalCheckFailedException) => {
    if (failure.Item) return failure.Item;
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(key), ConsistentRead: true }));
    return Item;
  };

  return {
    async claim(key, { validationHash, inProgressUntil, expiresAt }) {
      for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
        const now = Date.now();
        try {
          await client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: {
                ...keyOf(key),
                status: str(IN_PROGRESS),
                expiration: num(expiresAt),
                in_progress_expiration: num(inProgressUntil),
                ...(validationHash !== undefined && { validation: str(validationHash) }),
              },
              ConditionExpression: FREE_KEY,
              ExpressionAttributeNames: { '#id': 'id', '#status': 'status', '#expiration': 'expiration', '#inProgressUntil': 'in_progress_expiration' },
              ExpressionAttributeValues: { ':now': num(now / 1000), ':nowMs': num(now), ':inProgress': str(IN_PROGRESS) },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          );
          return 'claimed';
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          const item = await existingItem(key, error);
          const live = item && liveRecordOf(item, Date.now());
          if (live) return live;
        }
      }
      throw new Error(`idempotency record ${key} changed during each of ${CLAIM_ATTEMPTS} claim attempts`);
    },

    async complete(key, { data, validationHash, expiresAt }) {
      // A JSON round trip drops what JSON (and so DynamoDB) cannot hold: undefined fields, functions; dates become text.
      const json = data === undefined ? undefined : (JSON.parse(JSON.stringify(data)) as Json);
      const fields: Record<string, AttributeValue> = {
        status: str(COMPLETED),
        expiration: num(expiresAt),
        ...(json !== undefined && { data: toAttribute(json) }),
        ...(validationHash !== undefined && { validation: str(validationHash) }),
      };
      const names = Object.keys(fields);
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: keyOf(key),
          UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
          ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
        }),
      );
    },

    async release(key, inProgressUntil) {
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: keyOf(key),
            ConditionExpression: '#status = :inProgress AND #inProgressUntil = :inProgressUntil',
            ExpressionAttributeNames: { '#status': 'status', '#inProgressUntil': 'in_progress_expiration' },
            ExpressionAttributeValues: { ':inProgress': str(IN_PROGRESS), ':inProgressUntil': num(inProgressUntil) },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
};
