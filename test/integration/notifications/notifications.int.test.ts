import { addressHashOf, messageIdOf, notificationIdOf, recipientIdOfEmail } from '../../../functions/notifications/domain/identity';
import { storeApi as storeOf } from '../../support/store-api';
import { eventually } from '../../support/local-stack';
import {
  aPaidOrder, anEvent, atLeast, closeClients, endpoints, mailTo, messageRecord, operator, publish, putSeller, scenario, settle, smsTo,
  storeApi, suppression, unique,
} from './local-notifications';

afterAll(closeClients);

/** The e-mail message id of the order confirmation an event causes. */
const confirmationEmailOf = (eventId: string, email: string) =>
  messageIdOf(notificationIdOf(eventId, 'order_confirmation', recipientIdOfEmail(email)), 'email');
const statusOf = (messageId: string, status: string) =>
  eventually(async () => {
    const record = await messageRecord(messageId);
    return record?.status === status ? record : undefined;
  }, `message ${messageId} to become ${status}`, 20_000);

describe('order.paid', () => {
  it('puts a confirmation e-mail in the local mailbox and sends the seller a new-order SMS (Twilio), once each', async () => {
    const buyer = `buyer-${unique()}@example.com`;
    const seller = `seller-${unique()}`;
    const sellerPhone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    await putSeller(seller, { phone: sellerPhone });
    const orderId = await aPaidOrder({ email: buyer }, seller);
    const event = anEvent('order.paid', orderId);

    await publish(event);
    const [email] = await atLeast(1, () => mailTo(buyer), 'the confirmation e-mail');
    const [sms] = await atLeast(1, () => smsTo('twilio', sellerPhone), 'the seller SMS');

    expect(email.subject).toBe(`Order ${orderId} confirmed`);
    expect(email.text).toContain('2400.00 BDT');
    expect(email.headers.map((h) => h.name)).not.toContain('List-Unsubscribe');
    expect(sms.text).toContain(`New order ${orderId}`);
    // SES's Delivery event comes back through SNS → queue → consumer; Twilio's signed callbacks through the webhook.
    const record = await statusOf(confirmationEmailOf(event.id, buyer), 'delivered');
    expect(record).toMatchObject({ channel: 'email', provider: 'ses', category: 'transactional' });
    expect(JSON.stringify(record)).not.toContain(buyer);

    await publish(event); // a redelivered event
    await settle();
    expect(await mailTo(buyer)).toHaveLength(1);
    expect(await smsTo('twilio', sellerPhone)).toHaveLength(1);
  });

  it('stops e-mailing an address after a hard bounce and reaches the buyer by SMS instead', async () => {
    const buyer = `bounce+${unique()}@simulator.amazonses.com`;
    const phone = `+1415666${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    const first = anEvent('order.paid', await aPaidOrder({ email: buyer, phone }, `seller-${unique()}`));
    await publish(first);

    const bounced = await statusOf(confirmationEmailOf(first.id, buyer), 'bounced_hard');
    expect(bounced.history.map((h) => h.status)).toEqual(expect.arrayContaining(['sending', 'queued', 'bounced_hard']));
    await eventually(async () => (await suppression(addressHashOf(buyer)))?.reason === 'hard_bounce' || undefined, 'the suppression');

    const second = anEvent('order.paid', await aPaidOrder({ email: buyer, phone }, `seller-${unique()}`));
    await publish(second);
    await atLeast(1, () => smsTo('twilio', phone), 'the SMS fallback');
    expect(await messageRecord(confirmationEmailOf(second.id, buyer))).toMatchObject({ status: 'skipped', history: [expect.objectContaining({ detail: 'address_suppressed' })] });
    expect(await mailTo(buyer)).toHaveLength(1);
  });
});

describe('SMS failover', () => {
  afterEach(() => scenario('sslwireless', { mode: 'normal' }));

  it('sends through the next provider, once, when the first SMS provider is down', async () => {
    const seller = `seller-${unique()}`;
    const phone = `+88017${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await putSeller(seller, { phone });
    await scenario('sslwireless', { mode: 'down' });
    const event = anEvent('order.paid', await aPaidOrder({ email: `buyer-${unique()}@example.com` }, seller));

    await publish(event);
    await atLeast(1, () => smsTo('twilio', phone), 'the SMS through Twilio');
    await settle();

    expect(await smsTo('twilio', phone)).toHaveLength(1);
    expect(await smsTo('sslwireless', phone)).toHaveLength(0);
    const record = await messageRecord(messageIdOf(notificationIdOf(event.id, 'seller_new_order', seller), 'sms'));
    expect(record?.attempts.map((a) => [a.provider, a.outcome])).toEqual([['sslwireless', 'unavailable'], ['twilio', 'accepted']]);
  });
});

describe('preferences and marketing', () => {
  const promotion = (email: string, key = unique()) => operator('/messages', {
    method: 'POST',
    headers: { 'idempotency-key': key },
    body: { type: 'promotion', recipient: { role: 'buyer', email, name: 'Rahim', language: 'en' }, data: { headline: 'Eid sale', details: '20% off' } },
  });

  it('sends no marketing without opt-in while transactional messages still go; opted in, marketing carries RFC 8058 headers and a working one-click unsubscribe', async () => {
    const email = `fan-${unique()}@example.com`;
    const recipientId = recipientIdOfEmail(email);
    expect((await storeApi(`/recipients/${recipientId}/preferences`, { method: 'PUT', body: { marketing: false } })).status).toBe(200);

    expect((await promotion(email)).status).toBe(202);
    const order = anEvent('order.paid', await aPaidOrder({ email }, `seller-${unique()}`));
    await publish(order);
    await atLeast(1, () => mailTo(email), 'the transactional e-mail');
    expect((await mailTo(email)).map((m) => m.subject)).toEqual([expect.stringContaining('confirmed')]);

    await storeApi(`/recipients/${recipientId}/preferences`, { method: 'PUT', body: { marketing: true } });
    expect((await promotion(email)).status).toBe(202);
    const [, offer] = await atLeast(2, () => mailTo(email), 'the marketing e-mail');
    const header = (name: string) => offer.headers.find((h) => h.name === name)?.value;
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(offer.text).toContain('House 12, Road 5');
    const url = /^<(.+)>$/.exec(header('List-Unsubscribe') ?? '')?.[1] ?? '';
    expect(url.startsWith(`${endpoints.api.url}/unsubscribe/`)).toBe(true);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    const oneClick = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    const after = await storeApi(`/recipients/${recipientId}/preferences`, { method: 'PUT', body: {} });
    expect(await after.json()).toMatchObject({ marketing: false });

    const forged = await fetch(url.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(forged.status).toBe(401);
  });
});

describe('delivery receipt webhooks', () => {
  it('reject a Twilio status callback whose signature is forged, and change nothing', async () => {
    const res = await fetch(`${endpoints.api.url}/webhooks/twilio`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' },
      body: new URLSearchParams({ MessageSid: 'SMforged', MessageStatus: 'delivered', To: '+14155550000' }).toString(),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'UNVERIFIED' } });
  });
});

describe('stock.low from checkout', () => {
  it('a checkout that takes a SKU below the low-stock level e-mails its seller, once', async () => {
    const seller = `seller-${unique()}`;
    const sellerEmail = `${seller}@example.com`;
    await putSeller(seller, { email: sellerEmail });
    const store = storeOf(seller);
    const sku = await store.aProduct(6);

    expect((await store.create('/checkouts', store.order(sku, 2, 'bkash'))).status).toBe(201);
    expect((await store.create('/checkouts', store.order(sku, 1, 'bkash'))).status).toBe(201);

    const [email] = await atLeast(1, () => mailTo(sellerEmail), 'the low-stock e-mail');
    expect(`${email.subject} ${email.text ?? ''}`).toContain(sku);
    await settle();
    expect(await mailTo(sellerEmail)).toHaveLength(1);
  });
});
