import type { Recipient } from '../../../../../functions/notifications/domain/model';
import type { OrderSummary } from '../../../../../functions/notifications/domain/ports';
import {
  businessDayOf, milestonesDue, previousWeek, recordSellerSales, sendWeeklySummaries, type WeeklySummaryDeps, weekOfLabel,
} from '../../../../../functions/notifications/domain/seller-performance';
import { FakeProvider, fakeRegistry, fakeSigner, InMemoryNotificationStore, InMemorySalesLedger, noStoredTemplates } from '../../../../support/in-memory/notifications';

const MONDAY_0900_DHAKA = new Date('2026-03-02T03:00:00Z');
const seller: Recipient = { recipientId: 'sel_dhaka_tees', role: 'seller', language: 'en', name: 'Dhaka Tees', email: 'owner@dhakatees.example', phone: '+8801811111111' };

const anOrder = (orderId: string, items: Array<{ sellerId: string; quantity: number; value: number }>): OrderSummary => ({
  orderId,
  buyer: { name: 'Rahim', email: 'rahim@example.com', phone: '+8801712345678', country: 'BD' },
  amount: { value: items.reduce((sum, item) => sum + item.quantity * item.value, 0), currency: 'BDT' },
  items: items.map(({ sellerId, quantity, value }, i) => ({ sku: `SKU-${i}`, title: 'Tee', sellerId, quantity, unitPrice: { value, currency: 'BDT' } })),
  paymentMethod: 'bkash',
});

const setup = (now = MONDAY_0900_DHAKA) => {
  const store = new InMemoryNotificationStore();
  const sales = new InMemorySalesLedger();
  const ses = new FakeProvider('ses', 'email');
  const twilio = new FakeProvider('twilio', 'sms');
  const deps: WeeklySummaryDeps = {
    store, sales, templates: noStoredTemplates, channels: fakeRegistry({ email: [ses], sms: [twilio] }), signer: fakeSigner, clock: { now: () => now },
    links: { apiUrl: 'https://api.example/v1', companyName: 'Shop', postalAddress: 'House 12, Dhaka' },
  };
  return { store, sales, ses, twilio, deps };
};

/** `count` paid orders of one seller on a day of the week before MONDAY_0900_DHAKA, 1,000.00 BDT each. */
const sell = async (sales: InMemorySalesLedger, sellerId: string, count: number, paidAt = new Date('2026-02-25T10:00:00Z'), prefix = 'ord') => {
  for (let i = 0; i < count; i += 1) await recordSellerSales(sales, anOrder(`${prefix}_${i}`, [{ sellerId, quantity: 1, value: 100000 }]), paidAt);
};

describe('business weeks (Dhaka time, ISO weeks)', () => {
  it('takes the whole week before the one a Monday-morning run falls in', () => {
    expect(previousWeek(MONDAY_0900_DHAKA)).toEqual({
      week: '2026-W09', days: ['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01'],
    });
  });

  it('turns the week at midnight in Dhaka, not in UTC', () => {
    expect(previousWeek(new Date('2026-03-01T18:30:00Z')).week).toBe('2026-W09');
    expect(previousWeek(new Date('2026-03-01T17:30:00Z')).week).toBe('2026-W08');
    expect(businessDayOf(new Date('2026-02-28T19:00:00Z'))).toBe('2026-03-01');
  });

  it('finds a week by its label, across a year boundary too', () => {
    expect(weekOfLabel('2026-W09')).toEqual(previousWeek(MONDAY_0900_DHAKA));
    expect(weekOfLabel('2026-W01').days[0]).toBe('2025-12-29');
    expect(previousWeek(new Date('2021-01-04T03:00:00Z'))).toEqual(weekOfLabel('2020-W53'));
    expect(weekOfLabel('2020-W53').days[0]).toBe('2020-12-28');
  });
});

describe('recordSellerSales', () => {
  it('counts an order once per seller, with only that seller\'s items as revenue, however often it comes', async () => {
    const { sales } = setup();
    const order = anOrder('ord_1', [{ sellerId: 'sel_a', quantity: 2, value: 120000 }, { sellerId: 'sel_b', quantity: 1, value: 50000 }, { sellerId: 'sel_a', quantity: 1, value: 10000 }]);
    await recordSellerSales(sales, order, new Date('2026-02-25T10:00:00Z'));
    await recordSellerSales(sales, order, new Date('2026-02-25T10:00:00Z'));
    expect(await sales.salesOn(['2026-02-25'])).toEqual(expect.arrayContaining([
      { sellerId: 'sel_a', orders: 1, revenue: { value: 250000, currency: 'BDT' } },
      { sellerId: 'sel_b', orders: 1, revenue: { value: 50000, currency: 'BDT' } },
    ]));
  });
});

describe('milestonesDue', () => {
  it('lists the milestones reached and not congratulated yet', () => {
    expect(milestonesDue(0, [])).toEqual([]);
    expect(milestonesDue(12, [])).toEqual([1, 10]);
    expect(milestonesDue(12, [1])).toEqual([10]);
    expect(milestonesDue(99, [1, 10])).toEqual([]);
  });
});

describe('sendWeeklySummaries', () => {
  it('sends each seller who sold last week their orders and revenue by e-mail, once however often it runs', async () => {
    const { deps, store, sales, ses } = setup();
    await store.putContact(seller);
    await sell(sales, seller.recipientId, 3);
    await sell(sales, seller.recipientId, 2, new Date('2026-03-02T01:00:00Z'), 'this_week');
    const report = await sendWeeklySummaries(deps);
    await sendWeeklySummaries(deps);
    expect(report).toMatchObject({ week: '2026-W09', sellers: 1, summaries: 1, failed: [] });
    const summaries = ses.sent.filter((m) => m.subject?.startsWith('Your week'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ to: seller.email, subject: 'Your week 2026-W09: 3 orders' });
    expect(summaries[0].text).toContain('3 paid orders worth 3000.00 BDT');
  });

  it('writes to no seller without a contact, but still counts their orders toward milestones', async () => {
    const { deps, sales, ses } = setup();
    await sell(sales, 'sel_unknown', 2);
    expect(await sendWeeklySummaries(deps)).toMatchObject({ sellers: 1, summaries: 0, milestones: 0 });
    expect(ses.sent).toHaveLength(0);
    expect(sales.totals.get('sel_unknown')).toMatchObject({ paidOrders: 2, congratulated: new Set([1]) });
  });

  it('congratulates a milestone once, the highest when a week passes two, and counts a week once', async () => {
    const { deps, store, sales, ses } = setup();
    await store.putContact(seller);
    await store.putPreferences({ recipientId: seller.recipientId, channels: { email: true, sms: true, zalo: true }, marketing: true, updatedAt: '2026-01-01T00:00:00Z' });
    await sell(sales, seller.recipientId, 12);
    expect(await sendWeeklySummaries(deps)).toMatchObject({ milestones: 1 });
    expect(await sendWeeklySummaries(deps)).toMatchObject({ milestones: 0 });
    expect(sales.totals.get(seller.recipientId)?.paidOrders).toBe(12);
    const congratulations = ses.sent.filter((m) => m.subject?.startsWith('Congratulations'));
    expect(congratulations.map((m) => m.subject)).toEqual(['Congratulations on 10 paid orders!']);
  });

  it('says "first paid order" for the first one, and sends no congratulation to a seller who did not opt in', async () => {
    const optedIn = setup();
    await optedIn.store.putContact(seller);
    await optedIn.store.putPreferences({ recipientId: seller.recipientId, channels: { email: true, sms: true, zalo: true }, marketing: true, updatedAt: '2026-01-01T00:00:00Z' });
    await sell(optedIn.sales, seller.recipientId, 1);
    await sendWeeklySummaries(optedIn.deps);
    expect(optedIn.ses.sent.map((m) => m.subject)).toContain('Congratulations on your first paid order!');

    const notOptedIn = setup();
    await notOptedIn.store.putContact(seller);
    await sell(notOptedIn.sales, seller.recipientId, 1);
    await sendWeeklySummaries(notOptedIn.deps);
    expect(notOptedIn.ses.sent.map((m) => m.subject)).toEqual(['Your week 2026-W09: 1 orders']);
  });

  it('reports a seller it could not write to, and a new run sends them their summary once', async () => {
    const { deps, store, sales, ses, twilio } = setup();
    await store.putContact(seller);
    await sell(sales, seller.recipientId, 4);
    ses.behaviour = 'down';
    twilio.behaviour = 'down';
    const failed = await sendWeeklySummaries(deps);
    expect(failed.failed).toEqual([{ sellerId: seller.recipientId, reason: expect.stringContaining('ProviderRetryableError') }]);
    ses.behaviour = 'accept';
    expect(await sendWeeklySummaries(deps)).toMatchObject({ summaries: 1, failed: [] });
    await sendWeeklySummaries(deps);
    expect(ses.sent.filter((m) => m.subject?.startsWith('Your week'))).toHaveLength(1);
  });

  it('runs a named week when asked (a catch-up)', async () => {
    const { deps, store, sales, ses } = setup(new Date('2026-04-20T03:00:00Z'));
    await store.putContact(seller);
    await sell(sales, seller.recipientId, 2);
    expect(await sendWeeklySummaries(deps)).toMatchObject({ week: '2026-W16', sellers: 0 });
    expect(await sendWeeklySummaries(deps, { week: '2026-W09' })).toMatchObject({ week: '2026-W09', summaries: 1 });
    expect(ses.sent[0].subject).toBe('Your week 2026-W09: 2 orders');
  });
});
