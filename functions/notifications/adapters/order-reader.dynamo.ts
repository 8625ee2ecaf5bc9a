import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoOrderRepository } from '../../checkout/adapters/order-repository.dynamo';
import type { OrderReader } from '../domain/ports';

/** Orders as messages need them, read through checkout's own repository (the orders table is checkout's). */
export const dynamoOrderReader = (client: DynamoDBDocumentClient, tableName: string): OrderReader => {
  const orders = dynamoOrderRepository(client, tableName);
  return {
    async get(orderId) {
      const details = await orders.get(orderId);
      if (!details) return undefined;
      const { order } = details;
      return {
        orderId: order.orderId,
        buyer: { name: order.buyer.name, email: order.buyer.email, phone: order.buyer.phone, country: order.buyer.address.country },
        amount: order.amount,
        items: order.items.map(({ sku, title, sellerId, quantity, unitPrice }) => ({ sku, title, sellerId, quantity, unitPrice })),
        paymentMethod: order.paymentMethod,
      };
    },
  };
};
