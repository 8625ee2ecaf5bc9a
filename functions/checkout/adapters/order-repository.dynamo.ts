import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ConcurrentUpdateError, ConflictError } from '../../_platform/errors';
import { moneySchema } from '../../_platform/money';
import { PAYMENT_FAILURE_CODES } from '../../payments/domain/model';
import { PAYMENT_METHODS, SHIPPING_SERVICE_LEVELS } from '../domain/model';
import { ORDER_EVENTS, ORDER_STATUSES, type Order } from '../domain/order';
import type { NewPaymentAttempt, OrderDetails, OrderRepository, PaymentSummary } from '../domain/ports';

/*
 * Orders table (ORDERS_TABLE): an order and everything that happens to it form one item collection under
 * pk = ORDER#<orderId>, so one Query reads it all.
 *   sk = ORDER                the order: orderId, status, buyer, items [{ sku, title, sellerId, quantity, unitPrice,
 *                             weightGrams, dimensionsCm }], amount, shipping { serviceLevel }, paymentMethod,
 *                             currentPaymentId, paymentAttempts, reservation ('held'|'released'|'committed'),
 *                             refunds [{ refundId, paymentId, amount, reason, status, requestedAt,
 *                             submittedAt?, settledAt?, gatewayReference?, gatewayStatus? }], timeline [{ at, status, event, cause? }], version (1 on creation, +1 per transition:
 *                             the condition of every write), createdAt, updatedAt
 *   sk = PAYMENT#<paymentId>  a payment attempt, shared with the payment saga (payments/adapters/payment-attempts.dynamo.ts
 *                             owns orderId, paymentId, status, taskToken, awaitingUntil, transactionId, failureCode,
 *                             updatedAt, version); checkout adds method, gateway, gatewayReference, amount, redirectUrl,
 *                             storeReturnUrl, createdAt
 * Refunds live in the order item (`refunds`), so the cap on what a payment can give back is checked on the version
 * every refund request writes conditionally.
 *   sk = SHIPMENT#<shipmentId> a shipment, owned by the shipping capability; read here for the order's view only
 * No transactions (the local DynamoDB has none): every write is one conditional single-item write.
 */

const ORDER_SK = 'ORDER';
const PAYMENT_SK_PREFIX = 'PAYMENT#';
const SHIPMENT_SK_PREFIX = 'SHIPMENT#';
const partitionOf = (orderId: string) => `ORDER#${orderId}`;

const timelineEntrySchema = z.object({
  at: z.string(),
  status: z.enum(ORDER_STATUSES),
  event: z.enum(ORDER_EVENTS),
  cause: z.optional(z.string()),
});

const refundSchema = z.object({
  refundId: z.string(),
  paymentId: z.string(),
  amount: moneySchema,
  reason: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  requestedAt: z.string(),
  submittedAt: z.optional(z.string()),
  settledAt: z.optional(z.string()),
  gatewayReference: z.optional(z.string()),
  gatewayStatus: z.optional(z.string()),
});

const storedOrderSchema = z.object({
  orderId: z.string(),
  status: z.enum(ORDER_STATUSES),
  buyer: z.object({
    name: z.string(),
    email: z.string(),
    phone: z.string(),
    address: z.object({ line1: z.string(), city: z.string(), postalCode: z.string(), country: z.string() }),
  }),
  items: z.array(
    z.object({
      sku: z.string(),
      title: z.string(),
      sellerId: z.string(),
      quantity: z.int(),
      unitPrice: moneySchema,
      weightGrams: z.int(),
      dimensionsCm: z.object({ l: z.number(), w: z.number(), h: z.number() }),
    }),
  ),
  amount: moneySchema,
  shipping: z.object({ serviceLevel: z.enum(SHIPPING_SERVICE_LEVELS) }),
  paymentMethod: z.enum(PAYMENT_METHODS),
  currentPaymentId: z.string(),
  paymentAttempts: z.int(),
  reservation: z.enum(['held', 'released', 'committed']),
  // Orders written before refunds existed have none.
  refunds: z._default(z.array(refundSchema), []),
  timeline: z.array(timelineEntrySchema),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const storedPaymentSchema = z.object({
  paymentId: z.string(),
  method: z.enum(PAYMENT_METHODS),
  status: z.enum(['pending', 'authorized', 'succeeded', 'failed', 'refunded']),
  failureCode: z.optional(z.enum(PAYMENT_FAILURE_CODES)),
  amount: moneySchema,
  createdAt: z.string(),
});

// What the order shows of a shipment (functions/shipping/adapters/shipment-repository.dynamo.ts writes it); one that
// is not booked at a carrier yet has no tracking number and is left out.
const storedShipmentSchema = z.object({
  shipmentId: z.string(),
  carrier: z.string(),
  trackingNumber: z.string(),
  status: z.string(),
  createdAt: z.string(),
  events: z.array(z.object({ at: z.string(), status: z.string() })),
});

const toSummary = (item: Record<string, unknown>): PaymentSummary & { createdAt: string } => z.parse(storedPaymentSchema, item);

/** The OrderRepository on DynamoDB (key design above). */
export const dynamoOrderRepository = (client: DynamoDBDocumentClient, tableName: string): OrderRepository => {
  const read = async (pk: string, sk: string) =>
    (await client.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;

  return {
    async create(order: Order): Promise<void> {
      const pk = partitionOf(order.orderId);
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk, sk: ORDER_SK, ...order },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Order ids are unique per placement, so an order already there is our own earlier write unless it differs.
        const stored = await read(pk, ORDER_SK);
        if (stored?.version === 1 && stored.currentPaymentId === order.currentPaymentId && stored.createdAt === order.createdAt) return;
        throw new ConflictError(`order ${order.orderId} already exists`, { cause: error });
      }
    },

    async describePaymentAttempt(attempt: NewPaymentAttempt): Promise<void> {
      const key = { pk: partitionOf(attempt.orderId), sk: `${PAYMENT_SK_PREFIX}${attempt.paymentId}` };
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            // The saga may have created the attempt already (status, task token, version 1): keep those, add ours.
            UpdateExpression:
              'SET #orderId = :orderId, #paymentId = :paymentId, #method = :method, #gateway = :gateway, #reference = :reference, ' +
              '#amount = :amount, #redirectUrl = :redirectUrl, #storeReturnUrl = :storeReturnUrl, #createdAt = :createdAt, ' +
              '#status = if_not_exists(#status, :pending), #version = if_not_exists(#version, :one), #updatedAt = if_not_exists(#updatedAt, :createdAt)',
            ConditionExpression: 'attribute_not_exists(#reference)',
            ExpressionAttributeNames: {
              '#orderId': 'orderId',
              '#paymentId': 'paymentId',
              '#method': 'method',
              '#gateway': 'gateway',
              '#reference': 'gatewayReference',
              '#amount': 'amount',
              '#redirectUrl': 'redirectUrl',
              '#storeReturnUrl': 'storeReturnUrl',
              '#createdAt': 'createdAt',
              '#status': 'status',
              '#version': 'version',
              '#updatedAt': 'updatedAt',
            },
            ExpressionAttributeValues: {
              ':orderId': attempt.orderId,
              ':paymentId': attempt.paymentId,
              ':method': attempt.method,
              ':gateway': attempt.gateway,
              ':reference': attempt.gatewayReference,
              ':amount': attempt.amount,
              ':redirectUrl': attempt.redirectUrl,
              ':storeReturnUrl': attempt.storeReturnUrl,
              ':createdAt': attempt.createdAt,
              ':pending': 'pending',
              ':one': 1,
            },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const stored = await read(key.pk, key.sk);
        if (stored?.gatewayReference === attempt.gatewayReference) return;
        throw new ConflictError(`payment ${attempt.paymentId} is already described`, { cause: error });
      }
    },

    async saveTransition(order: Order): Promise<void> {
      const appended = order.timeline.slice(-1);
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: partitionOf(order.orderId), sk: ORDER_SK },
            UpdateExpression:
              'SET #status = :status, #reservation = :reservation, #currentPaymentId = :currentPaymentId, #paymentMethod = :paymentMethod, ' +
              '#paymentAttempts = :paymentAttempts, #refunds = :refunds, #updatedAt = :updatedAt, #version = :version, ' +
              '#timeline = list_append(#timeline, :appended)',
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: {
              '#status': 'status',
              '#reservation': 'reservation',
              '#currentPaymentId': 'currentPaymentId',
              '#paymentAttempts': 'paymentAttempts',
              '#paymentMethod': 'paymentMethod',
              '#refunds': 'refunds',
              '#updatedAt': 'updatedAt',
              '#version': 'version',
              '#timeline': 'timeline',
            },
            ExpressionAttributeValues: {
              ':status': order.status,
              ':reservation': order.reservation,
              ':currentPaymentId': order.currentPaymentId,
              ':paymentAttempts': order.paymentAttempts,
              ':paymentMethod': order.paymentMethod,
              ':refunds': order.refunds,
              ':updatedAt': order.updatedAt,
              ':version': order.version,
              ':appended': appended,
              ':expected': order.version - 1,
            },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          throw new ConcurrentUpdateError(`order ${order.orderId} changed concurrently`, { cause: error });
        }
        throw error;
      }
    },

    async get(orderId: string): Promise<OrderDetails | undefined> {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': partitionOf(orderId) },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);

      const orderItem = items.find((item) => item.sk === ORDER_SK);
      if (!orderItem) return undefined;
      const payments = items
        .filter((item) => typeof item.sk === 'string' && item.sk.startsWith(PAYMENT_SK_PREFIX))
        .map(toSummary)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map(({ createdAt: _createdAt, ...summary }) => summary);
      const shipments = items
        .filter((item) => typeof item.sk === 'string' && item.sk.startsWith(SHIPMENT_SK_PREFIX) && typeof item.trackingNumber === 'string')
        .map((item) => z.parse(storedShipmentSchema, item))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map(({ shipmentId, carrier, trackingNumber, status, events }) => ({
          shipmentId, carrier, trackingNumber, status, events: events.map(({ at, status: eventStatus }) => ({ at, status: eventStatus })),
        }));
      return { order: z.parse(storedOrderSchema, orderItem), payments, shipments };
    },
  };
};
