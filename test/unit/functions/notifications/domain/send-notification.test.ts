import { ProviderRetryableError } from '../../../../../functions/_platform/errors';
import { verifyAccountLink } from '../../../../../functions/notifications/domain/account-links';
import { sendAccountMessage } from '../../../../../functions/notifications/domain/account-messages';
import { addressHashOf } from '../../../../../functions/notifications/domain/identity';
import type { Recipient } from '../../../../../functions/notifications/domain/model';
import { recordDelivery } from '../../../../../functions/notifications/domain/record-delivery';
import { type SendDeps, sendNotification } from '../../../../../functions/notifications/domain/send-notification';
import { FakeProvider, fakeRegistry, fakeSigner, InMemoryNotificationStore, noStoredTemplates } from '../../../../support/in-memory/notifications';

const clock = { now: () => new Date('2026-03-01T10:00:00Z') };
const buyer: Recipient = { recipientId: 'rcp_1', role: 'buyer', language: 'en', name: 'Rahim', email: 'rahim@example.com', phone: '+8801712345678' };
const confirmation = { source: 'evt_1', type: 'order_confirmation' as const, recipient: buyer, data: { orderId: 'ord_1', amount: { value: 240000, currency: 'BDT' }, itemCount: 2, paymentMethod: 'bkash' } };

const setup = () => {
  const store = new InMemoryNotificationStore();
  const ses = new FakeProvider('ses', 'email');
  const ssl = new FakeProvider('sslwireless', 'sms');
  const twilio = new FakeProvider('twilio', 'sms');
  const deps: SendDeps = {
    store, templates: noStoredTemplates, channels: fakeRegistry({ email: [ses], sms: [ssl, twilio] }), signer: fakeSigner, clock,
    links: { apiUrl: 'https://api.example/v1', companyName: 'Shop', postalAddress: 'House 12, Dhaka' },
  };
  return { store, ses, ssl, twilio, deps };
};

describe('sendNotification', () => {
  it('sends on the first channel and records the message without the address in clear', async () => {
    const { deps, ses, store } = setup();
    const outcome = await sendNotification(deps, confirmation);
    expect(outcome.sent).toMatchObject({ channel: 'email', provider: 'ses', status: 'queued' });
    expect(ses.sent).toHaveLength(1);
    expect(ses.sent[0]).toMatchObject({ to: 'rahim@example.com', subject: 'Order ord_1 confirmed' });
    expect(JSON.stringify([...store.messages.values()])).not.toContain('rahim@example.com');
  });

  it('sends nothing twice when the same notification comes again', async () => {
    const { deps, ses } = setup();
    await sendNotification(deps, confirmation);
    const again = await sendNotification(deps, confirmation);
    expect(ses.sent).toHaveLength(1);
    expect(again.sent).toMatchObject({ channel: 'email', status: 'queued' });
  });

  it('fails over to the next provider of a channel when one is down, and sends once', async () => {
    const { deps, ses, ssl, twilio } = setup();
    ses.behaviour = 'reject-recipient';
    ssl.behaviour = 'down';
    const outcome = await sendNotification(deps, confirmation);
    expect(outcome.sent).toMatchObject({ channel: 'sms', provider: 'twilio' });
    expect(twilio.sent).toHaveLength(1);
    expect(outcome.messages.map((m) => [m.channel, m.status])).toEqual([['email', 'rejected'], ['sms', 'queued']]);
    expect(outcome.messages[1].attempts.map((a) => a.outcome)).toEqual(['unavailable', 'accepted']);
  });

  it('tries nothing more after an outcome that may have been sent', async () => {
    const { deps, ses, twilio } = setup();
    ses.behaviour = 'indeterminate';
    const outcome = await sendNotification(deps, confirmation);
    expect(outcome.sent).toMatchObject({ channel: 'email', status: 'unknown' });
    expect(twilio.sent).toHaveLength(0);
  });

  it('asks for a redelivery when every provider is down, and sends on the retry', async () => {
    const { deps, ses, ssl, twilio } = setup();
    for (const provider of [ses, ssl, twilio]) provider.behaviour = 'down';
    await expect(sendNotification(deps, confirmation)).rejects.toBeInstanceOf(ProviderRetryableError);
    ses.behaviour = 'accept';
    const retried = await sendNotification(deps, confirmation);
    expect(retried.sent).toMatchObject({ channel: 'email', provider: 'ses' });
    expect(ses.sent).toHaveLength(1);
  });

  it('sends no marketing without opt-in, and marketing e-mail carries RFC 8058 headers and the postal address', async () => {
    const { deps, ses, store } = setup();
    const promotion = { source: 'campaign-1', type: 'promotion' as const, recipient: buyer, data: { headline: 'Eid sale', details: '20% off' } };
    const skipped = await sendNotification(deps, promotion);
    expect(skipped.sent).toBeUndefined();
    expect(skipped.messages[0]).toMatchObject({ status: 'skipped', history: [expect.objectContaining({ detail: 'marketing_not_opted_in' })] });

    await store.putPreferences({ recipientId: 'rcp_1', channels: { email: true, sms: true, zalo: true }, marketing: true, updatedAt: clock.now().toISOString() });
    await sendNotification(deps, { ...promotion, source: 'campaign-2' });
    const [offer] = ses.sent;
    expect(offer.headers).toEqual({ 'List-Unsubscribe': expect.stringMatching(/^<https:\/\/api\.example\/v1\/unsubscribe\/signed\./), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(offer.text).toContain('House 12, Dhaka');
  });

  it('keeps sending transactional messages on the default channels when the recipient switched every channel off', async () => {
    const { deps, ses, store } = setup();
    await store.putPreferences({ recipientId: 'rcp_1', channels: { email: false, sms: false, zalo: false }, marketing: false, updatedAt: clock.now().toISOString() });
    await sendNotification(deps, confirmation);
    expect(ses.sent).toHaveLength(1);
  });

  it('skips a suppressed address after a hard bounce and reaches the recipient on the next channel', async () => {
    const { deps, ses, twilio, store } = setup();
    await sendNotification(deps, confirmation);
    expect(await recordDelivery({ store, clock }, { provider: 'ses', providerMessageId: 'ses-1', status: 'bounced_hard', at: clock.now().toISOString() })).toBe('applied');
    expect(store.suppressions.get(addressHashOf('rahim@example.com'))).toMatchObject({ reason: 'hard_bounce' });

    const next = await sendNotification(deps, { ...confirmation, source: 'evt_2' });
    expect(next.messages[0]).toMatchObject({ channel: 'email', status: 'skipped' });
    expect(next.sent).toMatchObject({ channel: 'sms', provider: 'sslwireless' });
    expect(ses.sent).toHaveLength(1);
    expect(twilio.sent).toHaveLength(0);
  });
});

describe('recordDelivery', () => {
  it('ignores a receipt that arrives after a later status, and a duplicate', async () => {
    const { deps, store } = setup();
    await sendNotification(deps, confirmation);
    const receipt = (status: 'sent' | 'delivered') => ({ provider: 'ses' as const, providerMessageId: 'ses-1', status, at: clock.now().toISOString() });
    expect(await recordDelivery({ store, clock }, receipt('delivered'))).toBe('applied');
    expect(await recordDelivery({ store, clock }, receipt('sent'))).toBe('unchanged');
    expect(await recordDelivery({ store, clock }, receipt('delivered'))).toBe('unchanged');
    expect(await recordDelivery({ store, clock }, { ...receipt('delivered'), providerMessageId: 'nope' })).toBe('unknown_message');
  });

  it('pauses an address after three soft failures in a day', async () => {
    const { deps, store } = setup();
    for (const n of [1, 2, 3]) {
      await sendNotification(deps, { ...confirmation, source: `evt_${n}` });
      await recordDelivery({ store, clock }, { provider: 'ses', providerMessageId: `ses-${n}`, status: 'bounced_soft', at: clock.now().toISOString() });
    }
    expect(store.suppressions.get(addressHashOf('rahim@example.com'))).toMatchObject({ pausedUntil: '2026-03-02T10:00:00.000Z' });
  });
});

describe('account links', () => {
  it('send a password-reset link with a signed, expiring token that verifies for its purpose only', async () => {
    const { deps, ses } = setup();
    const outcome = await sendAccountMessage(deps, {
      source: 'key-1', type: 'password_reset', userId: 'user-7', name: 'Rahim', email: 'rahim@example.com', language: 'en', linkUrl: 'https://shop.example/reset',
    });
    expect(outcome.linkExpiresAt).toBe('2026-03-01T10:30:00.000Z');
    const token = decodeURIComponent(/token=([^\s]+)/.exec(ses.sent[0].text)?.[1] ?? '');
    expect(await verifyAccountLink(deps, token, 'password_reset')).toEqual({ userId: 'user-7', purpose: 'password_reset', expiresAt: '2026-03-01T10:30:00.000Z' });
    await expect(verifyAccountLink(deps, token, 'account_verification')).rejects.toMatchObject({ code: 'UNVERIFIED' });
    await expect(verifyAccountLink({ ...deps, clock: { now: () => new Date('2026-03-01T10:31:00Z') } }, token, 'password_reset')).rejects.toMatchObject({ code: 'LINK_EXPIRED' });
  });
});
