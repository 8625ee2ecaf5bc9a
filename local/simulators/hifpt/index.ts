import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { type MessagingProtocol, type MessagingSimulator, nowIso, startMessagingSimulator } from '../messaging-kit';

/*
 * A local in-app messaging platform (HiFPT-style). [weak] The platform's real protocol is internal; this is the
 * protocol the project defines (functions/notifications/channels/hifpt.ts): POST /api/v1/notifications, signed
 * X-HiFPT-Signature = hex(HMAC-SHA256(secret, timestamp + "." + body)), `requestId` deduplicated, code 404 for a user
 * the platform does not know; receipts `delivered` (or `failed` in `bounce`) POSTed to callbackUrl, signed alike.
 */
const CLIENT_ID = 'commerce-hub';
const SIGNING_SECRET = 'simulated-hifpt-signing-secret-0001';

const sign = (timestamp: string, body: string) => createHmac('sha256', SIGNING_SECRET).update(`${timestamp}.${body}`).digest('hex');

const createProtocol = (): MessagingProtocol => {
  const byRequest = new Map<string, string>();
  return {
    reset: () => byRequest.clear(),
    handle(call, tools) {
      if (call.method !== 'POST' || call.path !== '/api/v1/notifications') return { status: 404, body: { code: 404, message: 'not found' } };
      const timestamp = String(call.headers['x-hifpt-timestamp'] ?? '');
      const given = Buffer.from(String(call.headers['x-hifpt-signature'] ?? ''));
      const expected = Buffer.from(sign(timestamp, call.body));
      if (call.headers['x-hifpt-client-id'] !== CLIENT_ID || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { status: 401, body: { code: 401, message: 'bad signature' } };
      }
      const request = JSON.parse(call.body) as Record<string, unknown>;
      const requestId = String(request.requestId ?? '');
      const known = byRequest.get(requestId);
      if (known) return { status: 200, body: { code: 0, data: { notificationId: known } } };
      const fate = tools.fate();
      if (fate === 'invalid-number' || !/^[A-Za-z0-9_.-]{1,64}$/.test(String(request.userId))) return { status: 200, body: { code: 404, message: 'user not found' } };
      const notificationId = randomUUID();
      byRequest.set(requestId, notificationId);
      tools.accept({ id: notificationId, at: nowIso(), to: String(request.userId), text: `${String(request.title)}: ${String(request.body)}` });
      if (typeof request.callbackUrl === 'string') {
        const body = JSON.stringify({ notificationId, requestId, status: fate === 'bounce' ? 'failed' : 'delivered', at: nowIso() });
        const ts = String(Math.floor(Date.now() / 1000));
        tools.sendReceipt(request.callbackUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hifpt-client-id': CLIENT_ID, 'x-hifpt-timestamp': ts, 'x-hifpt-signature': sign(ts, body) },
          body,
        });
      }
      return { status: 200, body: { code: 0, data: { notificationId } } };
    },
  };
};

export const startHifptSimulator = (options: { host?: string; port?: number } = {}): Promise<MessagingSimulator> =>
  startMessagingSimulator('hifpt', createProtocol(), (baseUrl) => ({ baseUrl, clientId: CLIENT_ID, signingSecret: SIGNING_SECRET }), options);
