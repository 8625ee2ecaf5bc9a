import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { type Clock, systemClock } from './clock';
import type { ProviderToken, TokenCache } from './token-cache';

/*
 * Integration-state table (INTEGRATION_STATE_TABLE), shared with the circuit breakers and rate limits. A cached
 * provider token is one item per provider:
 *   pk = TOKEN#<provider>   sk = TOKEN
 *   accessToken, accessTokenExpiresAt (epoch ms), refreshToken?, refreshableUntil? (epoch ms),
 *   expiresAt (epoch SECONDS: the table's TTL attribute) = the last moment the item is of any use.
 * DynamoDB deletes expired items lazily (up to days later), so a read also ignores an item past expiresAt.
 * The table is encrypted at rest; the tokens never reach logs or the audit (the HTTP client masks them).
 */

const keyOf = (provider: string) => ({ pk: `TOKEN#${provider}`, sk: 'TOKEN' });

const storedTokenSchema = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.number(),
  refreshToken: z.optional(z.string()),
  refreshableUntil: z.optional(z.number()),
  expiresAt: z.number(),
});

const usefulUntil = (token: ProviderToken): number => Math.max(token.expiresAt, token.refreshableUntil ?? 0);

/**
 * The TokenCache on DynamoDB (key design above), so every Lambda instance reuses one provider token. Two instances
 * renewing at once both write; the last write wins and both tokens stay valid at the provider until they expire.
 */
export const dynamoTokenCache = (client: DynamoDBDocumentClient, tableName: string, clock: Clock = systemClock): TokenCache => ({
  async get(provider) {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keyOf(provider), ConsistentRead: true }));
    if (!Item) return undefined;
    const stored = z.parse(storedTokenSchema, Item);
    if (stored.expiresAt * 1000 <= clock.now().getTime()) return undefined;
    return {
      accessToken: stored.accessToken,
      expiresAt: stored.accessTokenExpiresAt,
      ...(stored.refreshToken === undefined ? {} : { refreshToken: stored.refreshToken }),
      ...(stored.refreshableUntil === undefined ? {} : { refreshableUntil: stored.refreshableUntil }),
    };
  },
  async put(provider, token) {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keyOf(provider),
          accessToken: token.accessToken,
          accessTokenExpiresAt: token.expiresAt,
          ...(token.refreshToken === undefined ? {} : { refreshToken: token.refreshToken }),
          ...(token.refreshableUntil === undefined ? {} : { refreshableUntil: token.refreshableUntil }),
          expiresAt: Math.ceil(usefulUntil(token) / 1000),
        },
      }),
    );
  },
});
