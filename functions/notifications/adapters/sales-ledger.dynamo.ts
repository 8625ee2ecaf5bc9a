import { type DynamoDBDocumentClient, GetCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SalesLedger, SellerSales, SellerTotals } from '../domain/ports';
import { isConditionFailure } from './notification-store.dynamo';

/*
 * Sales counters in the notifications table (next to notification-store.dynamo.ts's items):
 *   pk = SALES#<sellerId>  sk = DAY#<YYYY-MM-DD>#<currency>   one seller's paid orders of one business day:
 *        orders, revenue (minor units), orderIds (string set: makes counting idempotent per order)
 *        gsi1pk = SALESDAY#<YYYY-MM-DD>, gsi1sk = <sellerId>#<currency>   (the weekly job lists a day's sellers)
 *   pk = SALES#<sellerId>  sk = TOTAL   paidOrders (counted week by week), weeks (string set), congratulated (number set)
 *
 * Why counters and not a read of the orders: the weekly job reads one small item per seller and day (7 GSI queries,
 * paged, whatever the number of orders) instead of every order of the week, and the orders table needs no
 * per-seller index. One conditional update per order and seller keeps a count exact without a transaction: the
 * order's id joins the day's set in the same write that adds to the counts, and a repeat fails the condition. A day
 * item holds up to ~10,000 order ids (400 KB); a seller selling more than that in a day needs the set sharded.
 * Every seller's first order of a day writes that day's GSI partition, one per day: enough for hundreds of paid
 * orders a second; beyond that, shard gsi1pk by a hash of the seller.
 */
const DAY_ITEM_RETENTION_DAYS = 90;

const totalsOf = (item: Record<string, unknown> | undefined): SellerTotals => ({
  paidOrders: Number(item?.paidOrders ?? 0),
  congratulated: [...((item?.congratulated as Set<number> | undefined) ?? [])].map(Number).sort((a, b) => a - b),
});

/** The SalesLedger on DynamoDB (key design above). */
export const dynamoSalesLedger = (client: DynamoDBDocumentClient, tableName: string): SalesLedger => {
  const totalKey = (sellerId: string) => ({ pk: `SALES#${sellerId}`, sk: 'TOTAL' });

  return {
    async recordPaidOrder({ sellerId, orderId, day, revenue }) {
      try {
        await client.send(new UpdateCommand({
          TableName: tableName,
          Key: { pk: `SALES#${sellerId}`, sk: `DAY#${day}#${revenue.currency}` },
          UpdateExpression: 'ADD orders :one, revenue :value, orderIds :ids SET sellerId = :seller, currency = :currency, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, expiresAt = :expiresAt',
          ConditionExpression: 'NOT contains(orderIds, :orderId)',
          ExpressionAttributeValues: {
            ':one': 1, ':value': revenue.value, ':ids': new Set([orderId]), ':orderId': orderId, ':seller': sellerId, ':currency': revenue.currency,
            ':gsi1pk': `SALESDAY#${day}`, ':gsi1sk': `${sellerId}#${revenue.currency}`,
            ':expiresAt': Math.floor(Date.parse(day) / 1000) + DAY_ITEM_RETENTION_DAYS * 86_400,
          },
        }));
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async salesOn(days) {
      const sums = new Map<string, SellerSales>();
      for (const day of days) {
        const pages = paginateQuery({ client }, {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': `SALESDAY#${day}` },
          ProjectionExpression: 'sellerId, currency, orders, revenue',
        });
        for await (const page of pages) {
          for (const item of page.Items ?? []) {
            const key = `${item.sellerId}#${item.currency}`;
            const sofar = sums.get(key) ?? { sellerId: String(item.sellerId), orders: 0, revenue: { value: 0, currency: String(item.currency) } };
            sums.set(key, { ...sofar, orders: sofar.orders + Number(item.orders), revenue: { ...sofar.revenue, value: sofar.revenue.value + Number(item.revenue) } });
          }
        }
      }
      return [...sums.values()];
    },

    async addWeek(sellerId, week, orders) {
      try {
        const { Attributes } = await client.send(new UpdateCommand({
          TableName: tableName,
          Key: totalKey(sellerId),
          UpdateExpression: 'ADD paidOrders :orders, weeks :weeks',
          ConditionExpression: 'NOT contains(weeks, :week)',
          ExpressionAttributeValues: { ':orders': orders, ':weeks': new Set([week]), ':week': week },
          ReturnValues: 'ALL_NEW',
        }));
        return totalsOf(Attributes);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: totalKey(sellerId), ConsistentRead: true }));
        return totalsOf(Item);
      }
    },

    async markCongratulated(sellerId, milestones) {
      if (milestones.length === 0) return;
      await client.send(new UpdateCommand({
        TableName: tableName,
        Key: totalKey(sellerId),
        UpdateExpression: 'ADD congratulated :milestones',
        ExpressionAttributeValues: { ':milestones': new Set(milestones) },
      }));
    },
  };
};
