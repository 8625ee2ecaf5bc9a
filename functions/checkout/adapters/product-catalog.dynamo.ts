import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { RuleViolationError, ValidationError } from '../../_platform/errors';
import type { Product, ProductPage } from '../domain/model';
import type { ProductCatalog, ProductListQuery, StockChange } from '../domain/ports';
// A stored product has exactly the attributes the API shows (plus its keys, which parsing drops).
import { productSchema } from '../product-schema';

/*
 * Catalog table (CATALOG_TABLE), one item per product:
 *   pk = PRODUCT#<sku>        sk = PRODUCT
 *   gsi1pk = SELLER#<sellerId>  gsi1sk = PRODUCT#<sku>    (index gsi1: a seller's products in SKU order)
 *   sku, title, sellerId, prices [{ value, currency }], stock, weightGrams, dimensionsCm { l, w, h }
 * Listing by seller queries gsi1; listing everything scans the table (fine for a catalog of this size; a
 * "by category" index would replace the scan when that listing exists).
 */


// LastEvaluatedKey shapes: a table scan gives the table key; a gsi1 query adds the index key.
const tableKeySchema = z.strictObject({ pk: z.string().check(z.startsWith('PRODUCT#')), sk: z.literal('PRODUCT') });
const sellerKeySchema = z.strictObject({
  pk: z.string().check(z.startsWith('PRODUCT#')),
  sk: z.literal('PRODUCT'),
  gsi1pk: z.string().check(z.startsWith('SELLER#')),
  gsi1sk: z.string().check(z.startsWith('PRODUCT#')),
});
type StartKey = Record<string, string>;

const invalidCursor = (cause?: unknown) =>
  new ValidationError('invalid cursor', [{ path: 'query.cursor', message: 'not a cursor issued for this listing' }], { cause });

/** The cursor is the page's LastEvaluatedKey as base64url JSON. */
const encodeCursor = (key: Record<string, unknown> | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;

const decodeCursor = (cursor: string, sellerId: string | undefined): StartKey => {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalidCursor(cause);
  }
  if (sellerId === undefined) {
    const key = z.safeParse(tableKeySchema, json);
    if (!key.success) throw invalidCursor(key.error);
    return key.data;
  }
  const key = z.safeParse(sellerKeySchema, json);
  if (!key.success) throw invalidCursor(key.error);
  if (key.data.gsi1pk !== `SELLER#${sellerId}`) throw invalidCursor();
  return key.data;
};

const toProduct = (item: Record<string, unknown>): Product => z.parse(productSchema, item);

// BatchGetItem takes at most 100 keys and may leave some unprocessed under load; those are asked again after a
// short, growing pause, as AWS advises, a bounded number of times.
const BATCH_GET_MAX_KEYS = 100;
const BATCH_GET_ROUNDS = 5;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const batchGet = async (client: DynamoDBDocumentClient, tableName: string, keys: Record<string, string>[]): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let pending = keys;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round === BATCH_GET_ROUNDS) throw new Error(`BatchGetItem left ${pending.length} keys of ${tableName} unprocessed`);
    if (round > 0) await pause(25 * 2 ** round);
    const { Responses, UnprocessedKeys } = await client.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    items.push(...(Responses?.[tableName] ?? []));
    pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, string>[];
  }
  return items;
};

/** The ProductCatalog on DynamoDB (key design above). */
export const dynamoProductCatalog = (client: DynamoDBDocumentClient, tableName: string): ProductCatalog => ({
  async list({ sellerId, cursor, limit }: ProductListQuery): Promise<ProductPage> {
    const ExclusiveStartKey = cursor === undefined ? undefined : decodeCursor(cursor, sellerId);
    const page =
      sellerId === undefined
        ? await client.send(new ScanCommand({ TableName: tableName, Limit: limit, ExclusiveStartKey }))
        : await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :seller',
              ExpressionAttributeValues: { ':seller': `SELLER#${sellerId}` },
              Limit: limit,
              ExclusiveStartKey,
            }),
          );
    return { items: (page.Items ?? []).map(toProduct), nextCursor: encodeCursor(page.LastEvaluatedKey) };
  },

  async upsert(details: Omit<Product, 'stock'>, stock: StockChange) {
    const stockUpdate = 'set' in stock ? 'stock = :stock' : 'delta' in stock ? 'stock = if_not_exists(stock, :zero) + :delta' : 'stock = if_not_exists(stock, :zero)';
    // DynamoDB conditions cannot add, so a decrease checks the current stock against the amount taken away.
    const decrease = 'delta' in stock && stock.delta < 0;
    const now = new Date().toISOString();
    try {
      const { Attributes } = await client.send(new UpdateCommand({
        TableName: tableName,
        Key: { pk: `PRODUCT#${details.sku}`, sk: 'PRODUCT' },
        UpdateExpression: `SET sku = :sku, title = :title, sellerId = :seller, prices = :prices, weightGrams = :weight, dimensionsCm = :dims, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), ${stockUpdate}`,
        ConditionExpression: decrease ? 'stock >= :taken' : undefined,
        ExpressionAttributeValues: {
          ':sku': details.sku, ':title': details.title, ':seller': details.sellerId, ':prices': details.prices,
          ':weight': details.weightGrams, ':dims': details.dimensionsCm, ':gsi1pk': `SELLER#${details.sellerId}`,
          ':gsi1sk': `PRODUCT#${details.sku}`, ':now': now,
          ...('set' in stock ? { ':stock': stock.set } : { ':zero': 0 }),
          ...('delta' in stock ? { ':delta': stock.delta } : {}),
          ...(decrease ? { ':taken': -(stock as { delta: number }).delta } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }));
      return { product: toProduct(Attributes ?? {}), created: Attributes?.createdAt === now };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new RuleViolationError('STOCK_BELOW_ZERO', `stock of ${details.sku} cannot go below zero`, { sku: details.sku });
      }
      throw err;
    }
  },

  async getMany(skus: readonly string[]): Promise<Product[]> {
    const keys = [...new Set(skus)].map((sku) => ({ pk: `PRODUCT#${sku}`, sk: 'PRODUCT' }));
    const items: Record<string, unknown>[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_MAX_KEYS) {
      items.push(...(await batchGet(client, tableName, keys.slice(start, start + BATCH_GET_MAX_KEYS))));
    }
    return items.map(toProduct);
  },
});
