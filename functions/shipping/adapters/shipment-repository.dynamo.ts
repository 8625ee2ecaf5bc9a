import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { moneySchema } from '../../_platform/money';
import { SHIPPING_SERVICE_LEVELS } from '../../checkout/domain/model';
import { ConcurrentUpdateError } from '../../_platform/errors';
import { type BookedShipment, CANCELLATION_OUTCOMES, isBooked, SHIPMENT_STATUSES, type Shipment, TRACKING_SOURCES } from '../domain/model';
import type { ShipmentRepository } from '../domain/ports';

/*
 * Shipments join their order's item collection in the orders table (ORDERS_TABLE), so GET /v1/orders/{id} and its
 * shipments are one Query:
 *   pk = ORDER#<orderId>  sk = SHIPMENT#<shipmentId>   the Shipment (model.ts), version = the condition of every write
 *   gsi1pk = TRACKING#<carrier>#<trackingNumber>, gsi1sk = SHIPMENT   once booked: webhooks and CSV rows find it
 * The shipping table (SHIPPING_TABLE) keeps a day book per carrier, for manifests and polling:
 *   pk = CARRIER#<carrier>#<YYYY-MM-DD booked>  sk = <shipmentId>   { orderId, shipmentId }  (re-put on every save: idempotent)
 * No transactions (the local DynamoDB has none): one conditional write per item, each repeatable.
 */

const SK_PREFIX = 'SHIPMENT#';
const partitionOf = (orderId: string) => `ORDER#${orderId}`;
const trackingKey = (carrier: string, trackingNumber: string) => `TRACKING#${carrier}#${trackingNumber}`;
const dayBook = (carrier: string, day: string) => `CARRIER#${carrier}#${day}`;

const storedSchema = z.object({
  shipmentId: z.string(),
  orderId: z.string(),
  sellerId: z.string(),
  serviceLevel: z.enum(SHIPPING_SERVICE_LEVELS),
  parcel: z.object({ weightGrams: z.number(), dimensionsCm: z.object({ l: z.number(), w: z.number(), h: z.number() }) }),
  carrier: z.optional(z.string()),
  integration: z.optional(z.enum(['api', 'csv'])),
  trackingNumber: z.optional(z.string()),
  carrierReference: z.optional(z.string()),
  status: z.enum(SHIPMENT_STATUSES),
  statusAt: z.string(),
  cost: z.optional(moneySchema),
  estimatedDeliveryDate: z.optional(z.string()),
  promisedDeliveryDate: z.optional(z.string()),
  delayNotifiedFor: z.optional(z.string()),
  attemptedCarriers: z.array(z.string()),
  cancellation: z.optional(z.object({ outcome: z.enum(CANCELLATION_OUTCOMES), reason: z.string(), at: z.string() })),
  events: z.array(
    z.object({
      at: z.string(),
      status: z.enum(SHIPMENT_STATUSES),
      carrierStatus: z.string(),
      source: z.enum(TRACKING_SOURCES),
      description: z.optional(z.string()),
    }),
  ),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const toShipment = (item: Record<string, unknown>): Shipment => z.parse(storedSchema, item);

/** The ShipmentRepository on DynamoDB (key design above). */
export const dynamoShipmentRepository = (client: DynamoDBDocumentClient, tables: { orders: string; shipping: string }): ShipmentRepository => {
  const itemOf = (shipment: Shipment) => ({
    pk: partitionOf(shipment.orderId),
    sk: `${SK_PREFIX}${shipment.shipmentId}`,
    ...shipment,
    ...(isBooked(shipment) && { gsi1pk: trackingKey(shipment.carrier, shipment.trackingNumber), gsi1sk: 'SHIPMENT' }),
  });

  const get = async (orderId: string, shipmentId: string): Promise<Shipment | undefined> => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tables.orders, Key: { pk: partitionOf(orderId), sk: `${SK_PREFIX}${shipmentId}` }, ConsistentRead: true }),
    );
    return Item ? toShipment(Item) : undefined;
  };

  return {
    get,

    async listByOrder(orderId) {
      const { Items } = await client.send(
        new QueryCommand({
          TableName: tables.orders,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': partitionOf(orderId), ':prefix': SK_PREFIX },
          ConsistentRead: true,
        }),
      );
      return (Items ?? []).map(toShipment).sort((a, b) => a.shipmentId.localeCompare(b.shipmentId));
    },

    async findByTrackingNumber(carrier, trackingNumber) {
      const { Items } = await client.send(
        new QueryCommand({
          TableName: tables.orders,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :key',
          ExpressionAttributeValues: { ':key': trackingKey(carrier, trackingNumber) },
        }),
      );
      const found = Items?.[0];
      if (!found) return undefined;
      // The index is eventually consistent: read the item itself.
      const shipment = await get(String(found.orderId), String(found.shipmentId));
      return shipment && isBooked(shipment) ? shipment : undefined;
    },

    async listByCarrierAndDay(carrier, day) {
      const pointers: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tables.shipping,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': dayBook(carrier, day) },
            ExclusiveStartKey: startKey,
          }),
        );
        pointers.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      const shipments = await Promise.all(pointers.map((pointer) => get(String(pointer.orderId), String(pointer.shipmentId))));
      return shipments.filter((shipment): shipment is BookedShipment => shipment !== undefined && isBooked(shipment) && shipment.carrier === carrier);
    },

    async claim(shipment) {
      try {
        await client.send(new PutCommand({ TableName: tables.orders, Item: itemOf(shipment), ConditionExpression: 'attribute_not_exists(pk)' }));
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async save(shipment) {
      if (isBooked(shipment)) {
        const day = (shipment.events[0]?.at ?? shipment.createdAt).slice(0, 10);
        await client.send(
          new PutCommand({
            TableName: tables.shipping,
            Item: { pk: dayBook(shipment.carrier, day), sk: shipment.shipmentId, orderId: shipment.orderId, shipmentId: shipment.shipmentId },
          }),
        );
      }
      try {
        await client.send(
          new PutCommand({
            TableName: tables.orders,
            Item: itemOf(shipment),
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': shipment.version - 1 },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          throw new ConcurrentUpdateError(`shipment ${shipment.shipmentId} changed concurrently`, { cause: error });
        }
        throw error;
      }
    },
  };
};
