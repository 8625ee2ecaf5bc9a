import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { SHIPPING_SERVICE_LEVELS } from '../../checkout/domain/model';
import type { CarrierPreferenceRepository } from '../domain/ports';

/*
 * Shipping table (SHIPPING_TABLE): a seller's carrier preferences are one item
 *   pk = SELLER#<sellerId>  sk = CARRIERS   { sellerId, carriers: [{ carrier, integration, priority, serviceLevels, destinations }], updatedAt }
 */

const keyOf = (sellerId: string) => ({ pk: `SELLER#${sellerId}`, sk: 'CARRIERS' });

const storedSchema = z.object({
  sellerId: z.string(),
  carriers: z.array(
    z.object({
      carrier: z.string(),
      integration: z.enum(['api', 'csv']),
      priority: z.number(),
      serviceLevels: z.array(z.enum(SHIPPING_SERVICE_LEVELS)),
      destinations: z.array(z.string()),
    }),
  ),
  updatedAt: z.optional(z.string()),
});

/** Carrier preferences on DynamoDB (key design above); a put replaces the seller's list. */
export const dynamoCarrierPreferences = (client: DynamoDBDocumentClient, tableName: string): CarrierPreferenceRepository => ({
  async get(sellerId) {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keyOf(sellerId), ConsistentRead: true }));
    return Item ? z.parse(storedSchema, Item) : undefined;
  },
  async put(preferences) {
    await client.send(new PutCommand({ TableName: tableName, Item: { ...keyOf(preferences.sellerId), ...preferences } }));
  },
});
