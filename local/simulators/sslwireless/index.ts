import { type MessagingProtocol, type MessagingSimulator, nowIso, startMessagingSimulator } from '../messaging-kit';

/*
 * A local SSL Wireless ISMS Plus v3 (providers/shipping-and-messaging.md B2 [lib]): JSON POST /api/v3/send-sms with
 * {api_token, sid, msisdn: 8801XXXXXXXXX, sms, csms_id}; FAILED 4001 for a wrong token. [weak] The invalid-MSISDN
 * (4003) and duplicate csms_id (4025) codes are this simulator's guesses; SSL Wireless sends no delivery reports.
 */
const API_TOKEN = 'simulated-ssl-api-token-0001';
const SID = 'COMMERCEHUB';
const MSISDN = /^8801[3-9]\d{8}$/;

const failed = (status_code: number, error_message: string) => ({ status: 200, body: { status: 'FAILED', status_code, error_message } });

/** The protocol with its own dedupe state, one per running simulator. */
const createProtocol = (): MessagingProtocol => {
  const csmsIds = new Set<string>();
  return {
  reset: () => csmsIds.clear(),
  handle(call, tools) {
    if (call.method !== 'POST' || call.path !== '/api/v3/send-sms') return { status: 404, body: { status: 'FAILED', status_code: 404, error_message: 'Not found' } };
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(call.body) as Record<string, unknown>;
    } catch {
      return failed(4000, 'Invalid request');
    }
    if (request.api_token !== API_TOKEN || request.sid !== SID) return failed(4001, 'Unauthorized');
    const msisdn = String(request.msisdn ?? '');
    const csmsId = String(request.csms_id ?? '');
    if (!csmsId || !request.sms) return failed(4000, 'Invalid request');
    if (csmsIds.has(csmsId)) return failed(4025, 'Duplicate csms_id');
    if (!MSISDN.test(msisdn) || tools.fate() === 'invalid-number') return failed(4003, 'Invalid MSISDN');
    csmsIds.add(csmsId);
    const referenceId = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
    tools.accept({ id: referenceId, at: nowIso(), to: `+${msisdn}`, text: String(request.sms), csmsId });
    return {
      status: 200,
      body: { status: 'SUCCESS', status_code: 200, error_message: '', smsinfo: [{ sms_status: 'SUCCESS', status_message: 'Success', msisdn, sms_type: 'EN', sms_body: request.sms, csms_id: csmsId, reference_id: referenceId }] },
    };
  },
  };
};

export const startSslWirelessSimulator = (options: { host?: string; port?: number } = {}): Promise<MessagingSimulator> =>
  startMessagingSimulator('sslwireless', createProtocol(), (baseUrl) => ({ baseUrl, apiToken: API_TOKEN, sid: SID }), options);
