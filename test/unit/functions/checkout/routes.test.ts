import Ajv2020 from 'ajv/dist/2020';
import { buildOpenApiDocument } from '../../../../functions/_platform/openapi';
import { createCheckoutRoute, getOrderRoute } from '../../../../functions/checkout/routes';
import { aCheckoutBody } from '../../../support/in-memory/checkout';

// The published contract of the two routes, checked against what API.md shows and what the handlers send.
const document = buildOpenApiDocument([createCheckoutRoute, getOrderRoute]);
const ajv = new Ajv2020({ strict: false, allErrors: true });
const operation = (path: string, method: string): any => (document.paths[path] as Record<string, unknown>)[method];
const schemaOf = (path: string, method: string, status: string) => operation(path, method).responses[status].content['application/json'].schema;

const checkoutAnswer = {
  orderId: 'ord_01jd5q7y2x3w4v5u6t7s8r9q0p',
  status: 'pending_payment',
  amount: { value: 240000, currency: 'BDT' },
  payment: { paymentId: 'pay_01jd5q7y2x3w4v5u6t7s8r9q0p_1', method: 'bkash', status: 'pending', action: { type: 'redirect', url: 'https://sandbox.bka.sh/pay/1' } },
};

describe('the checkout and order routes', () => {
  it('publish POST /checkouts as an idempotent store route whose request body is API.md’s example', () => {
    const create = operation('/checkouts', 'post');

    expect(create.security).toEqual([{ apiKey: [] }]);
    expect(create.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(ajv.validate(create.requestBody.content['application/json'].schema, aCheckoutBody())).toBe(true);
  });

  it('publish the 201 answer of API.md, and refuse a float amount in it', () => {
    const answer = ajv.compile(schemaOf('/checkouts', 'post', '201'));

    expect(answer(checkoutAnswer)).toBe(true);
    expect(answer({ ...checkoutAnswer, amount: { value: 2400.5, currency: 'BDT' } })).toBe(false);
  });

  it('publish GET /orders/{orderId} for stores with the order id as a path parameter', () => {
    const get = operation('/orders/{orderId}', 'get');

    expect(get.security).toEqual([{ apiKey: [] }]);
    expect(get.parameters).toContainEqual(expect.objectContaining({ name: 'orderId', in: 'path', required: true }));
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '404', 'default']));
  });

  it('publish the order as GET answers it: payments, refunds, shipments and the timeline with causes', () => {
    const answer = ajv.compile(schemaOf('/orders/{orderId}', 'get', '200'));
    const order = {
      orderId: checkoutAnswer.orderId,
      status: 'payment_failed',
      buyer: aCheckoutBody().buyer,
      items: [{ sku: 'TSHIRT-RED-M', title: 'T-shirt', sellerId: 'seller-1', quantity: 2, unitPrice: { value: 120000, currency: 'BDT' } }],
      amount: checkoutAnswer.amount,
      shipping: { serviceLevel: 'standard' },
      payments: [{ paymentId: checkoutAnswer.payment.paymentId, method: 'bkash', status: 'failed', failureCode: 'EXPIRED', amount: checkoutAnswer.amount }],
      refunds: [],
      shipments: [],
      timeline: [
        { at: '2026-03-01T10:00:00.000Z', status: 'pending_payment', event: 'order.created' },
        { at: '2026-03-01T10:16:00.000Z', status: 'payment_failed', event: 'payment.failed', cause: 'EXPIRED' },
      ],
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:16:00.000Z',
    };

    expect(answer(order)).toBe(true);
    expect(answer({ ...order, timeline: [{ at: order.createdAt, status: 'lost', event: 'order.created' }] })).toBe(false);
  });
});
