import { httpHandler } from '../../_platform/http-handler';
import { orderQueryDeps } from '../adapters/deps';
import { getOrder } from '../domain/get-order';
import type { OrderDetails } from '../domain/ports';
import { getOrderRoute } from '../routes';

const deps = orderQueryDeps();

/** The API's view of an order: no version, reservation or attempt counter. Refunds and shipments arrive with their capabilities. */
const toOrderResponse = ({ order, payments }: OrderDetails) => ({
  orderId: order.orderId,
  status: order.status,
  buyer: order.buyer,
  items: order.items.map(({ sku, title, sellerId, quantity, unitPrice }) => ({ sku, title, sellerId, quantity, unitPrice })),
  amount: order.amount,
  shipping: order.shipping,
  payments,
  refunds: [],
  shipments: [],
  timeline: order.timeline,
  createdAt: order.createdAt,
  updatedAt: order.updatedAt,
});

export const handler = httpHandler(getOrderRoute, async ({ params }) => ({
  status: 200,
  body: toOrderResponse(await getOrder(deps, params.orderId)),
}));
