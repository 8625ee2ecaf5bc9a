import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { ProviderTerminalError } from '../../_platform/errors';
import type { HttpClient } from '../../_platform/http-client';
import { RecipientRejectedError, UnverifiedRequestError } from '../domain/errors';
import type { DeliveryStatus } from '../domain/model';
import type { DeliveryReceipt, MessageChannel, RawWebhook, ReceiptParser } from '../domain/ports';
import { jsonOf, needsUnicode } from './wire';

/*
 * eSMS (ViHAT, Vietnam; providers/shipping-and-messaging.md B3 [official gitbook mirror]): JSON POST to
 * SendMultipleMessage_V4_post_json with ApiKey/SecretKey, SmsType "2" (customer care) and our RequestId, which eSMS
 * dedupes (code 124), so a repeat is safe. CodeResult 100 = accepted. The delivery callback is an unsigned GET to our
 * CallbackUrl, so the URL carries a secret token (`callbackToken`) that the webhook checks.
 */
export const esmsConfig = z.object({
  baseUrl: z.url(),
  apiKey: z.string().check(z.minLength(1)),
  secretKey: z.string().check(z.minLength(1)),
  brandname: z.string().check(z.minLength(1)),
  callbackToken: z.string().check(z.minLength(16)),
});
export type EsmsConfig = z.output<typeof esmsConfig>;

const ACCEPTED = '100';
const DUPLICATE_REQUEST = '124';
// 99: number blocked; 108: phone format.
const RECIPIENT_CODES: Readonly<Record<string, RecipientRejectedError['reason']>> = { '99': 'blocked', '108': 'invalid_address' };

/** `+84901234567` → `0901234567`, the national form eSMS documents. */
const nationalNumber = (e164: string): string => e164.replace(/^\+84/, '0');

const statusOf = (query: Readonly<Record<string, string>>): DeliveryStatus | undefined => {
  switch (query.SendStatus) {
    case '1':
    case '2':
      return 'queued';
    case '4':
      return 'rejected';
    case '7':
      return 'sent';
    case '5':
      return Number(query.SendFailed ?? 0) > 0 && Number(query.SendSuccess ?? 0) === 0 ? 'undelivered' : 'delivered';
    default:
      return undefined;
  }
};

export const createEsmsChannel = (config: EsmsConfig, http: HttpClient, callbackUrl: string): MessageChannel & ReceiptParser => ({
  provider: 'esms',
  channel: 'sms',
  async send(message) {
    const response = await http.send({
      provider: 'esms',
      operation: 'send-sms',
      method: 'POST',
      url: `${config.baseUrl}/MainService.svc/json/SendMultipleMessage_V4_post_json/`,
      body: {
        ApiKey: config.apiKey, SecretKey: config.secretKey, Phone: nationalNumber(message.to), Content: message.text,
        Brandname: config.brandname, SmsType: '2', IsUnicode: needsUnicode(message.text) ? '1' : '0', RequestId: message.messageId,
        CallbackUrl: `${callbackUrl}?token=${encodeURIComponent(config.callbackToken)}`,
      },
      retry: 'safe',
      sensitiveFields: ['Content', 'CallbackUrl'],
    });
    const body = jsonOf('esms', response);
    const code = String(body.CodeResult ?? '');
    if (code === ACCEPTED) return { providerMessageId: String(body.SMSID), status: 'queued' };
    // [weak] eSMS does not say whether a duplicate answer carries the first SMSID; the receipts then match by it if so.
    if (code === DUPLICATE_REQUEST) return { providerMessageId: String(body.SMSID ?? message.messageId), status: 'queued' };
    const reason = RECIPIENT_CODES[code];
    if (reason) throw new RecipientRejectedError('esms', reason, `esms refused the number (${code})`);
    throw new ProviderTerminalError('esms', 'messaging', `esms answered CodeResult ${code} (${String(body.ErrorMessage ?? '')})`);
  },
  async parse(request: RawWebhook): Promise<DeliveryReceipt[]> {
    const given = Buffer.from(request.query.token ?? '');
    const expected = Buffer.from(config.callbackToken);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnverifiedRequestError('the esms callback token does not match');
    const status = statusOf(request.query);
    if (!request.query.SMSID || !status) return [];
    return [{ provider: 'esms', providerMessageId: request.query.SMSID, status, at: new Date().toISOString(), detail: `SendStatus ${request.query.SendStatus}` }];
  },
});
