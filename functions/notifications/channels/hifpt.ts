import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { ProviderTerminalError } from '../../_platform/errors';
import type { HttpClient } from '../../_platform/http-client';
import { RecipientRejectedError, UnverifiedRequestError } from '../domain/errors';
import type { DeliveryStatus } from '../domain/model';
import type { DeliveryReceipt, MessageChannel, RawWebhook, ReceiptParser } from '../domain/ports';
import { jsonOf } from './wire';

/*
 * In-app push through the company's messaging platform (HiFPT-style). [weak] The platform is internal and publishes
 * no protocol; this is the one this project defines for it, and the simulator speaks: a JSON POST /api/v1/notifications
 * {requestId, userId, title, body, callbackUrl} with X-HiFPT-Client-Id, X-HiFPT-Timestamp (epoch seconds) and
 * X-HiFPT-Signature = hex(HMAC-SHA256(signing secret, timestamp + "." + raw body)); `requestId` dedupes, so a repeat
 * is safe. Receipts come back to callbackUrl signed the same way: {notificationId, requestId, status, at}, with
 * status delivered | read | failed. A signature older than five minutes is refused (replays).
 */
export const hifptConfig = z.object({
  baseUrl: z.url(),
  clientId: z.string().check(z.minLength(1)),
  signingSecret: z.string().check(z.minLength(16)),
});
export type HifptConfig = z.output<typeof hifptConfig>;

const MAX_SKEW_SECONDS = 300;
const USER_NOT_FOUND = 404;
const STATUS: Readonly<Record<string, DeliveryStatus>> = { delivered: 'delivered', read: 'read', failed: 'undelivered' };

export const hifptSignature = (secret: string, timestamp: string, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export const createHifptChannel = (config: HifptConfig, http: HttpClient, callbackUrl: string, now: () => number = Date.now): MessageChannel & ReceiptParser => ({
  provider: 'hifpt',
  channel: 'inapp',
  async send(message) {
    const body = JSON.stringify({ requestId: message.messageId, userId: message.to, title: message.subject ?? '', body: message.text, callbackUrl });
    const timestamp = String(Math.floor(now() / 1000));
    const response = await http.send({
      provider: 'hifpt',
      operation: 'push',
      method: 'POST',
      url: `${config.baseUrl}/api/v1/notifications`,
      headers: {
        'content-type': 'application/json',
        'x-hifpt-client-id': config.clientId,
        'x-hifpt-timestamp': timestamp,
        'x-hifpt-signature': hifptSignature(config.signingSecret, timestamp, body),
      },
      body,
      retry: 'safe',
    });
    const answer = jsonOf('hifpt', response);
    if (Number(answer.code) === 0) {
      const data = (answer.data ?? {}) as Record<string, unknown>;
      return { providerMessageId: String(data.notificationId), status: 'sent' };
    }
    if (Number(answer.code) === USER_NOT_FOUND) throw new RecipientRejectedError('hifpt', 'invalid_address', 'hifpt does not know the user');
    throw new ProviderTerminalError('hifpt', 'messaging', `hifpt answered code ${String(answer.code)}`);
  },
  async parse(request: RawWebhook): Promise<DeliveryReceipt[]> {
    const timestamp = request.headers['x-hifpt-timestamp'] ?? '';
    const given = Buffer.from(request.headers['x-hifpt-signature'] ?? '');
    const expected = Buffer.from(hifptSignature(config.signingSecret, timestamp, request.body));
    const fresh = Math.abs(now() / 1000 - Number(timestamp)) <= MAX_SKEW_SECONDS;
    if (!fresh || given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnverifiedRequestError('the hifpt signature does not match');
    const receipt = JSON.parse(request.body) as Record<string, unknown>;
    const status = STATUS[String(receipt.status)];
    if (typeof receipt.notificationId !== 'string' || !status) return [];
    return [{ provider: 'hifpt', providerMessageId: receipt.notificationId, status, at: String(receipt.at ?? new Date(now()).toISOString()) }];
  },
});
