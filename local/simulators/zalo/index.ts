import { createHash, randomBytes } from 'node:crypto';
import { type MessagingProtocol, type MessagingSimulator, nowIso, startMessagingSimulator } from '../messaging-kit';

/*
 * A local Zalo OA: OAuth v4 (POST /v4/oa/access_token, `secret_key` header, refresh_token grant; [weak] each refresh
 * rotates the refresh token and the old one stops working; access tokens live 90000 s) and ZNS (POST
 * /message/template with an `access_token` header: phone 84…, an approved template_id, tracking_id). `error` codes:
 * -124 invalid token [observed], -108 phone, -109 template. Delivery: the OA webhook `user_received_message` with
 * message.delivery_time, signed X-ZEvent-Signature: mac=sha256(app_id + body + timestamp + OA secret key) [lib].
 * The webhook URL is the OA's setting, here `POST /__control/webhook {"url": …}`.
 */
const APP_ID = '4318901234567890';
const APP_SECRET = 'simulated-zalo-app-secret-0001';
const OA_SECRET = 'simulated-zalo-oa-secret-0001';
const OA_ID = '579745863508352884';
const FIRST_REFRESH_TOKEN = 'simulated-zalo-refresh-token-0001';
/** The ZNS templates "approved" for this OA: functions/notifications/templates/defaults.ts names them. */
const APPROVED_TEMPLATES = new Set(['231001', '231002', '231003', '231004', '231005', '231006', '231007']);
const PHONE = /^84[35789]\d{8}$/;

const createProtocol = (): MessagingProtocol => {
  let refreshToken = FIRST_REFRESH_TOKEN;
  const accessTokens = new Set<string>();
  let webhookUrl: string | undefined;
  const zns = (error: number, message: string, data?: unknown) => ({ status: 200, body: { error, message, ...(data !== undefined && { data }) } });
  return {
    // A reset clears the scenario, not the OA's authorization: tokens issued stay valid, as at Zalo.
    control(what, body) {
      if (what !== 'webhook' || typeof body.url !== 'string') return false;
      webhookUrl = body.url;
      return true;
    },
    handle(call, tools) {
      if (call.method === 'POST' && call.path === '/v4/oa/access_token') {
        const form = new URLSearchParams(call.body);
        if (call.headers.secret_key !== APP_SECRET || form.get('app_id') !== APP_ID) return { status: 200, body: { error: -14002, error_name: 'Invalid app secret' } };
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== refreshToken) return { status: 200, body: { error: -14014, error_name: 'Invalid refresh token' } };
        const accessToken = randomBytes(24).toString('base64url');
        refreshToken = randomBytes(24).toString('base64url');
        accessTokens.add(accessToken);
        return { status: 200, body: { access_token: accessToken, refresh_token: refreshToken, expires_in: '90000' } };
      }
      if (call.method !== 'POST' || call.path !== '/message/template') return { status: 404, body: { error: -106, message: 'Method unsupported' } };
      if (!accessTokens.has(String(call.headers.access_token ?? ''))) return zns(-124, 'Access token is invalid');
      const request = JSON.parse(call.body || '{}') as Record<string, unknown>;
      const phone = String(request.phone ?? '');
      const fate = tools.fate();
      if (!PHONE.test(phone) || fate === 'invalid-number') return zns(-108, 'Phone number is invalid');
      if (!APPROVED_TEMPLATES.has(String(request.template_id))) return zns(-109, 'Template ID is invalid');
      const msgId = randomBytes(16).toString('hex');
      const params = (request.template_data ?? {}) as Record<string, string>;
      tools.accept({ id: msgId, at: nowIso(), to: phone, text: `[ZNS ${String(request.template_id)}] ${Object.values(params).join(' | ')}`, trackingId: request.tracking_id });
      if (webhookUrl && fate === 'deliver') {
        const timestamp = String(Date.now());
        const body = JSON.stringify({
          app_id: APP_ID, event_name: 'user_received_message', sender: { id: OA_ID }, recipient: { id: `user-${phone}` },
          message: { msg_id: msgId, delivery_time: timestamp, tracking_id: request.tracking_id }, timestamp,
        });
        const mac = createHash('sha256').update(APP_ID + body + timestamp + OA_SECRET).digest('hex');
        tools.sendReceipt(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` }, body });
      }
      return zns(0, 'Success', { msg_id: msgId, sent_time: String(Date.now()), sending_mode: '1', quota: { dailyQuota: '1000', remainingQuota: '999' } });
    },
  };
};

export const startZaloSimulator = (options: { host?: string; port?: number } = {}): Promise<MessagingSimulator> =>
  startMessagingSimulator('zalo', createProtocol(), (baseUrl) => ({
    baseUrl, oauthBaseUrl: baseUrl, appId: APP_ID, secretKey: APP_SECRET, refreshToken: FIRST_REFRESH_TOKEN, oaSecretKey: OA_SECRET,
  }), options);
