import { createHmac } from 'node:crypto';
import { type MessagingProtocol, type MessagingSimulator, nowIso, providerId, startMessagingSimulator } from '../messaging-kit';

/*
 * A local Twilio Programmable Messaging (providers/shipping-and-messaging.md B1 and C "Twilio sim"): form POST
 * /2010-04-01/Accounts/{sid}/Messages.json with Basic auth; E.164 check (21211); 201 with the Message resource in
 * status `queued`; then status callbacks `sent` and `delivered` (or `undelivered` with ErrorCode 30003 in `bounce`)
 * to StatusCallback, form-encoded and signed with X-Twilio-Signature (HMAC-SHA1 of the URL plus the sorted
 * parameters, base64). No callback for the initial status, as Twilio. Error code meanings are [weak].
 */
const ACCOUNT_SID = 'ACsimulated0000000000000000000000';
const AUTH_TOKEN = 'simulated-twilio-auth-token-0001';
const FROM = '+15005550006';
const E164 = /^\+[1-9]\d{7,14}$/;

const sign = (url: string, params: Record<string, string>): string =>
  createHmac('sha1', AUTH_TOKEN).update(Object.keys(params).sort().reduce((text, key) => text + key + params[key], url)).digest('base64');

const error = (status: number, code: number, message: string) => ({ status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } });

const protocol: MessagingProtocol = {
  handle(call, tools) {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(call.path);
    if (!match || call.method !== 'POST') return error(404, 20404, 'The requested resource was not found');
    const expected = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
    if (call.headers.authorization !== expected || decodeURIComponent(match[1]) !== ACCOUNT_SID) return error(401, 20003, 'Authenticate');
    const form = Object.fromEntries(new URLSearchParams(call.body));
    if (!form.To || !E164.test(form.To)) return error(400, 21211, `The 'To' number ${form.To ?? ''} is not a valid phone number.`);
    if (!form.Body) return error(400, 21602, 'Message body is required.');
    const fate = tools.fate();
    if (fate === 'invalid-number') return error(400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);
    const sid = providerId('SM');
    tools.accept({ id: sid, at: nowIso(), to: form.To, text: form.Body, from: form.From });
    if (form.StatusCallback) {
      const callback = (status: string, extra: Record<string, string> = {}) => {
        const params = { MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, AccountSid: ACCOUNT_SID, From: form.From ?? FROM, To: form.To, ApiVersion: '2010-04-01', ...extra };
        tools.sendReceipt(form.StatusCallback, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(form.StatusCallback, params) },
          body: new URLSearchParams(params).toString(),
        });
      };
      callback('sent');
      if (fate === 'bounce') callback('undelivered', { ErrorCode: '30003' });
      else callback('delivered', { RawDlrDoneDate: new Date().toISOString().replace(/\D/g, '').slice(2, 12) });
    }
    return {
      status: 201,
      body: { sid, account_sid: ACCOUNT_SID, to: form.To, from: form.From ?? FROM, body: form.Body, status: 'queued', num_segments: '1', direction: 'outbound-api', api_version: '2010-04-01', date_created: new Date().toUTCString(), error_code: null, error_message: null },
    };
  },
};

export const startTwilioSimulator = (options: { host?: string; port?: number } = {}): Promise<MessagingSimulator> =>
  startMessagingSimulator('twilio', protocol, (baseUrl) => ({ baseUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM }), options);
