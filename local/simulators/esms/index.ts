import { type MessagingProtocol, type MessagingSimulator, nowIso, startMessagingSimulator } from '../messaging-kit';

/*
 * A local eSMS (providers/shipping-and-messaging.md B3 [official mirror]): JSON POST
 * /MainService.svc/json/SendMultipleMessage_V4_post_json/; CodeResult 100 accepted, 101 bad keys, 108 phone format,
 * 124 duplicate RequestId; the delivery callback is a GET to CallbackUrl with SMSID, SendStatus (5 = sent out),
 * SendSuccess/SendFailed, RequestId, TypeId 2, telcoid, phonenumber, retried up to 5 times.
 */
const API_KEY = 'SIMULATEDESMSAPIKEY0001';
const SECRET_KEY = 'SIMULATEDESMSSECRET0001';
const PHONE = /^(0|84)[35789]\d{8}$/;

const code = (CodeResult: string, ErrorMessage: string) => ({ status: 200, body: { CodeResult, ErrorMessage } });

/** The protocol with its own dedupe state, one per running simulator. */
const createProtocol = (): MessagingProtocol => {
  const requests = new Map<string, string>();
  return {
  reset: () => requests.clear(),
  handle(call, tools) {
    if (call.method !== 'POST' || !/^\/MainService\.svc\/json\/SendMultipleMessage_V4_post_json\/?$/.test(call.path)) return { status: 404, body: 'Endpoint not found.', contentType: 'text/plain' };
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(call.body) as Record<string, unknown>;
    } catch {
      return code('99', 'Unknown error');
    }
    if (request.ApiKey !== API_KEY || request.SecretKey !== SECRET_KEY) return code('101', 'Authorize Failed');
    const requestId = String(request.RequestId ?? '');
    const known = requestId ? requests.get(requestId) : undefined;
    if (known) return { status: 200, body: { CodeResult: '124', SMSID: known, ErrorMessage: 'Duplicate RequestId' } };
    const phone = String(request.Phone ?? '');
    const fate = tools.fate();
    if (!PHONE.test(phone) || fate === 'invalid-number') return code('108', 'Phone number is invalid');
    const smsId = crypto.randomUUID();
    if (requestId) requests.set(requestId, smsId);
    tools.accept({ id: smsId, at: nowIso(), to: phone, text: String(request.Content ?? ''), brandname: request.Brandname });
    if (typeof request.CallbackUrl === 'string' && request.CallbackUrl) {
      const url = new URL(request.CallbackUrl);
      const bounced = fate === 'bounce';
      for (const [name, value] of Object.entries({
        SMSID: smsId, SendFailed: bounced ? '1' : '0', SendStatus: '5', SendSuccess: bounced ? '0' : '1', TotalPrice: '650', TotalReceiver: '1',
        TotalSent: '1', RequestId: requestId, TypeId: '2', telcoid: '1', phonenumber: phone,
      })) url.searchParams.set(name, value);
      tools.sendReceipt(url.toString(), { method: 'GET' });
    }
    return { status: 200, body: { CodeResult: '100', CountRegenerate: 0, SMSID: smsId } };
  },
  };
};

export const startEsmsSimulator = (options: { host?: string; port?: number } = {}): Promise<MessagingSimulator> =>
  startMessagingSimulator('esms', createProtocol(), (baseUrl) => ({ baseUrl, apiKey: API_KEY, secretKey: SECRET_KEY, brandname: 'CommerceHub', callbackToken: 'simulated-esms-callback-token-0001' }), options);
