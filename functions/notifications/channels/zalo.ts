import { createHash, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { ProviderRetryableError, ProviderTerminalError, ValidationError } from '../../_platform/errors';
import type { HttpClient } from '../../_platform/http-client';
import type { TokenCache } from '../../_platform/token-cache';
import { RecipientRejectedError, UnverifiedRequestError } from '../domain/errors';
import type { DeliveryReceipt, MessageChannel, RawWebhook, ReceiptParser } from '../domain/ports';
import { formOf, jsonOf, withoutPlus } from './wire';

/*
 * Zalo ZNS (providers/shipping-and-messaging.md B4 [lib]): POST /message/template with the OA access token in an
 * `access_token` header and {phone: "84…", template_id, template_data, tracking_id}; `error` 0 is success, -108 an
 * invalid phone. The token comes from OAuth v4 (POST /v4/oa/access_token, `secret_key` header, refresh_token grant);
 * [weak, not confirmed] it lives ~25 h and each refresh rotates the refresh token, so the newest one is always kept
 * (in the shared token cache) and an old one is never reused. -124 (invalid token) [observed] forces one refresh.
 * Webhook: X-ZEvent-Signature = "mac=" + hex(SHA-256(app_id + raw body + timestamp + OA secret key)) [lib: Chatwoot];
 * `user_received_message` with `message.delivery_time` means a ZNS reached the phone.
 */
export const zaloConfig = z.object({
  baseUrl: z.url(),
  oauthBaseUrl: z.url(),
  appId: z.string().check(z.minLength(1)),
  /** The app's secret key (OAuth `secret_key` header). */
  secretKey: z.string().check(z.minLength(1)),
  /** The first refresh token, from the OA authorization; later ones are kept in the token cache. */
  refreshToken: z.string().check(z.minLength(1)),
  /** The OA secret key that signs webhooks. */
  oaSecretKey: z.string().check(z.minLength(1)),
});
export type ZaloConfig = z.output<typeof zaloConfig>;

const TOKEN_KEY = 'zalo';
/** Refresh this long before the access token's end, so a call never carries one that expires on the way. */
const REFRESH_MARGIN_MS = 60 * 60 * 1000;
const INVALID_TOKEN = -124;
const RECIPIENT_ERRORS: Readonly<Record<number, RecipientRejectedError['reason']>> = { [-108]: 'invalid_address' };

export const zaloSignature = (appId: string, body: string, timestamp: string, oaSecretKey: string): string =>
  `mac=${createHash('sha256').update(appId + body + timestamp + oaSecretKey).digest('hex')}`;

export const createZaloChannel = (config: ZaloConfig, http: HttpClient, tokens: TokenCache, now: () => number = Date.now): MessageChannel & ReceiptParser => {
  const refresh = async (): Promise<string> => {
    const cached = await tokens.get(TOKEN_KEY);
    const response = await http.send({
      provider: 'zalo',
      operation: 'token-refresh',
      method: 'POST',
      url: `${config.oauthBaseUrl}/v4/oa/access_token`,
      headers: { secret_key: config.secretKey, 'content-type': 'application/x-www-form-urlencoded' },
      body: formOf({ app_id: config.appId, grant_type: 'refresh_token', refresh_token: cached?.refreshToken ?? config.refreshToken }),
      // A refresh rotates the refresh token: repeating one whose answer was lost would use a dead token.
      retry: 'never',
    });
    const body = jsonOf('zalo', response);
    if (typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string') {
      throw new ProviderTerminalError('zalo', 'messaging', `zalo refused the token refresh (${String(body.error ?? response.status)})`);
    }
    const expiresInMs = Number(body.expires_in ?? 90_000) * 1000;
    await tokens.put(TOKEN_KEY, { accessToken: body.access_token, expiresAt: now() + expiresInMs, refreshToken: body.refresh_token });
    return body.access_token;
  };
  const accessToken = async (): Promise<string> => {
    const cached = await tokens.get(TOKEN_KEY);
    return cached && cached.expiresAt - REFRESH_MARGIN_MS > now() ? cached.accessToken : refresh();
  };
  const post = async (token: string, message: Parameters<MessageChannel['send']>[0]) => {
    if (!message.zns) throw new ValidationError('a Zalo message needs a ZNS template', [{ path: 'zns', message: 'missing' }]);
    const response = await http.send({
      provider: 'zalo',
      operation: 'send-zns',
      method: 'POST',
      url: `${config.baseUrl}/message/template`,
      headers: { access_token: token },
      body: { phone: withoutPlus(message.to), template_id: message.zns.templateId, template_data: message.zns.params, tracking_id: message.messageId },
      retry: 'never',
      sensitiveFields: ['template_data'],
    });
    return jsonOf('zalo', response);
  };

  return {
    provider: 'zalo',
    channel: 'zalo',
    async send(message) {
      let body = await post(await accessToken(), message);
      if (Number(body.error) === INVALID_TOKEN) body = await post(await refresh(), message);
      const error = Number(body.error);
      if (error === 0) {
        const data = (body.data ?? {}) as Record<string, unknown>;
        return { providerMessageId: String(data.msg_id), status: 'sent' };
      }
      const reason = RECIPIENT_ERRORS[error];
      if (reason) throw new RecipientRejectedError('zalo', reason, `zalo refused the number (${error})`);
      if (error === INVALID_TOKEN) throw new ProviderRetryableError('zalo', 'zalo rejected a freshly refreshed token');
      throw new ProviderTerminalError('zalo', 'messaging', `zalo answered error ${error} (${String(body.message ?? '')})`);
    },
    async parse(request: RawWebhook): Promise<DeliveryReceipt[]> {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(request.body) as Record<string, unknown>;
      } catch {
        throw new UnverifiedRequestError('the zalo webhook body is not JSON');
      }
      const expected = Buffer.from(zaloSignature(String(event.app_id ?? ''), request.body, String(event.timestamp ?? ''), config.oaSecretKey));
      const given = Buffer.from(request.headers['x-zevent-signature'] ?? '');
      if (event.app_id !== config.appId || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new UnverifiedRequestError('the zalo signature does not match');
      }
      const message = (event.message ?? {}) as Record<string, unknown>;
      if (typeof message.msg_id !== 'string') return [];
      const at = new Date(Number(event.timestamp) || now()).toISOString();
      if (event.event_name === 'user_received_message' && message.delivery_time !== undefined) {
        return [{ provider: 'zalo', providerMessageId: message.msg_id, status: 'delivered', at }];
      }
      if (event.event_name === 'user_seen_message') return [{ provider: 'zalo', providerMessageId: message.msg_id, status: 'read', at }];
      return [];
    },
  };
};
