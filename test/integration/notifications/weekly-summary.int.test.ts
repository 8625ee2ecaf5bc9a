import { businessDayOf, previousWeek } from '../../../functions/notifications/domain/seller-performance';
import { eventually, runScheduledRule } from '../../support/local-stack';
import { aPaidOrder, anEvent, atLeast, closeClients, endpoints, mailTo, publish, putSeller, salesDay, settle, unique } from './local-notifications';

afterAll(closeClients);

describe('the weekly seller summary (scheduled rule, fired on demand)', () => {
  it('e-mails a seller last week\'s paid orders and revenue, counting each order once, and sends it once', async () => {
    const sellerId = `seller-${unique()}`;
    const email = `${sellerId}@sellers.example`;
    await putSeller(sellerId, { email });
    // Paid a week ago: always in the previous business week, whatever day the test runs.
    const paidAt = new Date(Date.now() - 7 * 86_400_000);
    const orders = [await aPaidOrder({ email: `buyer-${unique()}@example.com` }, sellerId), await aPaidOrder({ email: `buyer-${unique()}@example.com` }, sellerId)];
    const paidEvent = (orderId: string) => ({ ...anEvent('order.paid', orderId), occurredAt: paidAt.toISOString() });
    for (const orderId of orders) await publish(paidEvent(orderId));
    // The same order paid again under another event id (a producer's retry) counts nothing more.
    await publish(paidEvent(orders[0]));
    await eventually(async () => ((await salesDay(sellerId, businessDayOf(paidAt)))?.orders === 2 || undefined), 'both orders counted', 20_000);
    await settle();
    expect(await salesDay(sellerId, businessDayOf(paidAt))).toMatchObject({ orders: 2, revenue: 480000 });

    expect((await runScheduledRule(endpoints, 'WeeklySummary')).status).toBe(200);
    const { week } = previousWeek(new Date());
    const summaries = await atLeast(1, async () => (await mailTo(email)).filter((m) => m.subject.startsWith('Your week')), 'the weekly summary');
    expect(summaries[0].subject).toBe(`Your week ${week}: 2 orders`);
    expect(summaries[0].text).toContain('2 paid orders worth 4800.00 BDT');

    expect((await runScheduledRule(endpoints, 'WeeklySummary')).status).toBe(200);
    expect((await mailTo(email)).filter((m) => m.subject.startsWith('Your week'))).toHaveLength(1);
  });
});
