import { renderMessage } from '../../../../../functions/notifications/domain/render';
import { previewTemplate } from '../../../../../functions/notifications/domain/preview-template';
import { hmacTokenSigner } from '../../../../../functions/notifications/adapters/token-signer';
import { noStoredTemplates } from '../../../../support/in-memory/notifications';

describe('templates', () => {
  it('escape values in the HTML part and keep the text part as written', async () => {
    const data = { orderId: 'ord_1', name: '<script>x</script>', amount: { value: 240000, currency: 'BDT' }, itemCount: 1, paymentMethod: 'bkash' };
    const email = await renderMessage(noStoredTemplates, { type: 'order_confirmation', role: 'buyer', language: 'en', channel: 'email' }, data);
    expect(email.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.text).toContain('Hello <script>x</script>,');
    expect(email.text).toContain('2400.00 BDT');
  });

  it('keep a subject on one line whatever the data holds', async () => {
    const email = await renderMessage(noStoredTemplates, { type: 'promotion', role: 'buyer', language: 'en', channel: 'email' }, { headline: 'Sale\r\nBcc: all@example.com' });
    expect(email.subject).toBe('Sale Bcc: all@example.com');
  });

  it('exist for every type in en, bn and vi, and preview renders each with its sample data', async () => {
    for (const language of ['en', 'bn', 'vi'] as const) {
      const preview = await previewTemplate(noStoredTemplates, { type: 'payment_failed', language });
      expect(Object.keys(preview.channels)).toEqual(['email', 'sms', 'zalo', 'inapp']);
      expect(preview.channels.sms.text).toContain('ord_01JQ4D7Z8K9M2N3P4Q5R6S7T8V');
    }
    const seller = await previewTemplate(noStoredTemplates, { type: 'seller_new_order', language: 'vi' });
    expect(Object.keys(seller.channels)).toEqual(['email', 'sms', 'inapp']);
  });

  it('prefer a stored template only when its version is newer than the default', async () => {
    const stored = { find: async () => ({ type: 'promotion' as const, role: 'buyer' as const, language: 'en' as const, channel: 'sms' as const, version: 2, body: 'NEW {{headline}}' }) };
    const sms = await renderMessage(stored, { type: 'promotion', role: 'buyer', language: 'en', channel: 'sms' }, { headline: 'Eid' });
    expect(sms).toMatchObject({ text: 'NEW Eid', templateVersion: 2 });
  });
});

describe('signed tokens', () => {
  const signer = hmacTokenSigner(async () => 'k'.repeat(40));

  it('round-trip their payload and refuse any change', async () => {
    const token = await signer.sign({ r: 'rcp_1', s: 'marketing' });
    expect(await signer.verify(token)).toEqual({ r: 'rcp_1', s: 'marketing' });
    const [body, mac] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ r: 'rcp_2', s: 'marketing' })).toString('base64url')}.${mac}`;
    expect(await signer.verify(forged)).toBeUndefined();
    expect(await signer.verify(`${body}.${mac.slice(0, -2)}AA`)).toBeUndefined();
    expect(await hmacTokenSigner(async () => 'other-key'.repeat(5)).verify(token)).toBeUndefined();
  });

  it('refuse another spelling of the same signature (its last character differing only in unused bits)', async () => {
    const token = await signer.sign({ r: 'rcp_1', s: 'marketing' });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1)!);
    // A 32-byte HMAC is 43 base64url characters: the last one holds 4 bits of it and 2 unused ones.
    const respelled = `${token.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(respelled.split('.')[1], 'base64url')).toEqual(Buffer.from(token.split('.')[1], 'base64url'));

    expect(await signer.verify(respelled)).toBeUndefined();
  });
});
