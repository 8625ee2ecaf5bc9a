import { NotFoundError } from '../../../../../functions/_platform/errors';
import { getOrder } from '../../../../../functions/checkout/domain/get-order';
import { placeOrder } from '../../../../../functions/checkout/domain/place-order';
import { aPlaceOrder, inMemoryCheckout } from '../../../../support/in-memory/checkout';

describe('getOrder', () => {
  it('returns a placed order with its pending payment', async () => {
    const { deps, orders } = inMemoryCheckout();
    const { order, payment } = await placeOrder(deps, aPlaceOrder());

    const details = await getOrder({ orders }, order.orderId);

    expect(details.order).toEqual(order);
    expect(details.payments).toEqual([{ paymentId: payment.paymentId, method: 'bkash', status: 'pending', amount: order.amount }]);
  });

  it('throws NotFoundError for an order that does not exist', async () => {
    const { orders } = inMemoryCheckout();

    await expect(getOrder({ orders }, 'ord_00000000000000000000000000')).rejects.toBeInstanceOf(NotFoundError);
  });
});
