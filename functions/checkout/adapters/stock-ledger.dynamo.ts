import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StockLine } from '../domain/model';
import type { StockLedger } from '../domain/ports';

/*
 * Stock lives on the product item of the catalog table (CATALOG_TABLE; key design in product-catalog.dynamo.ts):
 *   pk = PRODUCT#<sku>   sk = PRODUCT   stock (a number)
 * A take is one UpdateItem `stock = stock - :q` on condition `stock >= :q`: DynamoDB serializes writes to an item,
 * so concurrent takers can never drive the count below zero, whatever their number. A put-back is an atomic ADD,
 * on condition that the product still exists (ADD on a missing key would create a product made of a stock count).
 */

const keyOf = (sku: string) => ({ pk: `PRODUCT#${sku}`, sk: 'PRODUCT' });

/** The StockLedger on the catalog table. */
export const dynamoStockLedger = (client: DynamoDBDocumentClient, tableName: string): StockLedger => ({
  async take({ sku, quantity }: StockLine): Promise<number | undefined> {
    try {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(sku),
          UpdateExpression: 'SET stock = stock - :quantity',
          ConditionExpression: 'stock >= :quantity',
          ExpressionAttributeValues: { ':quantity': quantity },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.stock);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  },

  async putBack({ sku, quantity }: StockLine): Promise<void> {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(sku),
          UpdateExpression: 'ADD stock :quantity',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':quantity': quantity },
        }),
      );
    } catch (error) {
      // The product was deleted meanwhile: there is no shelf to put the units back on.
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  },
});
