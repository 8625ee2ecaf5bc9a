import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { ProviderTerminalError } from '../../_platform/errors';
import type { HttpClient } from '../../_platform/http-client';
import { RecipientRejectedError, UnverifiedRequestError } from '../domain/errors';
import type { DeliveryStatus } from '../domain/model';
import type { DeliveryReceipt, MessageChannel, RawWebhook, ReceiptParser } from '../domain/ports';
import { formOf, jsonOf } from './wire';

/*
 * Twilio Programmable Messaging (providers/shipping-and-messaging.md B1 [official]): a form POST to
 * /2010-04-01/Accounts/{AccountSid}/Messages.json with Basic auth; status callbacks are form POSTs signed with
 * X-Twilio-Signature = base64(HMAC-SHA1(auth token, the URL as called + every POST parameter name and value, sorted
 * by name)). Error code meanings (21211 …) are from memory [weak].
 */
export const twilioConfig = z.object({
  baseUrl: z.url(),
  accountSid: z.string().check(z.minLength(1)),
  authToken: z.string().check(z.minLength(1)),
  /** Our sender number (E.164) or alphanumeric sender id. */
  from: z.string().check(z.minLength(1)),
});
export type TwilioConfig = z.output<typeof twilioConfig>;

// Address problems: invalid To (21211), not a mobile number (21614), recipient sent STOP (21610), blocked (21612).
const RECIPIENT_ERRORS: Readonly<Record<number, RecipientRejectedError['reason']>> = {
  21211: 'invalid_address', 21614: 'invalid_address', 21610: 'unsubscribed', 21612: 'blocked',
};

const STATUS: Readonly<Record<string, DeliveryStatus>> = {
  accepted: 'queued', scheduled: 'queued', queued: 'queued', sending: 'queued', sent: 'sent', delivered: 'delivered',
  read: 'read', undelivered: 'undelivered', failed: 'failed', canceled: 'failed',
};

/** X-Twilio-Signature of a form POST to `url` with `params`. */
export const twilioSignature = (authToken: string, url: string, params: Readonly<Record<string, string>>): string => {
  const data = Object.keys(params).sort().reduce((text, name) => text + name + params[name], url);
  return createHmac('sha1', authToken).update(data).digest('base64');
};

export const createTwilioChannel = (config: TwilioConfig, http: HttpClient, callbackUrl: string): MessageChannel & ReceiptParser => ({
  provider: 'twilio',
  channel: 'sms',
  async send(message) {
    const response = await http.send({
      provider: 'twilio',
      operation: 'send-sms',
      method: 'POST',
      url: `${config.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`,
      headers: {
        authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: formOf({ To: message.to, From: config.from, Body: message.text, StatusCallback: callbackUrl }),
      // Twilio has no idempotency key: a repeat could send twice, so the client never repeats a sent request.
      retry: 'never',
      sensitiveFields: ['Body'],
    });
    const body = jsonOf('twilio', response);
    if (response.status === 201 || response.status === 200) {
      return { providerMessageId: String(body.sid), status: 'queued' };
    }
    const code = Number(body.code);
    const reason = RECIPIENT_ERRORS[code];
    if (reason) throw new RecipientRejectedError('twilio', reason, `twilio refused the number (${code})`);
    throw new ProviderTerminalError('twilio', 'messaging', `twilio answered ${response.status} (${code || 'no code'})`);
  },
  async parse(request: RawWebhook): Promise<DeliveryReceipt[]> {
    const params = Object.fromEntries(new URLSearchParams(request.body));
    const given = Buffer.from(request.headers['x-twilio-signature'] ?? '');
    const expected = Buffer.from(twilioSignature(config.authToken, request.url, params));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnverifiedRequestError('the twilio signature does not match');
    const sid = params.MessageSid ?? params.SmsSid;
    const status = STATUS[params.MessageStatus ?? params.SmsStatus ?? ''];
    if (!sid || !status) return [];
    return [{
      provider: 'twilio', providerMessageId: sid, status, at: new Date().toISOString(),
      ...(params.ErrorCode !== undefined && { detail: `error ${params.ErrorCode}` }),
    }];
  },
});
