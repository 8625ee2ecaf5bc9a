import * as z from 'zod/mini';
import { ProviderTerminalError } from '../../_platform/errors';
import type { HttpClient } from '../../_platform/http-client';
import { RecipientRejectedError } from '../domain/errors';
import type { MessageChannel } from '../domain/ports';
import { jsonOf, withoutPlus } from './wire';

/*
 * SSL Wireless ISMS Plus API v3 (providers/shipping-and-messaging.md B2 [lib]): JSON POST /api/v3/send-sms with
 * {api_token, sid, msisdn: "8801XXXXXXXXX", sms, csms_id}; `csms_id` is unique per day and dedupes, so a repeat is
 * safe. SUCCESS → smsinfo[].reference_id; FAILED 4001 = unauthorized. [weak] The codes for an invalid MSISDN (4003)
 * and a duplicate csms_id (4025) and the csms_id length limit are not confirmed; SSL Wireless has no confirmed
 * delivery-report webhook, so its messages stay `sent`.
 */
export const sslWirelessConfig = z.object({
  baseUrl: z.url(),
  apiToken: z.string().check(z.minLength(1)),
  sid: z.string().check(z.minLength(1)),
});
export type SslWirelessConfig = z.output<typeof sslWirelessConfig>;

const INVALID_MSISDN = 4003;
const DUPLICATE_CSMS_ID = 4025;

export const createSslWirelessChannel = (config: SslWirelessConfig, http: HttpClient): MessageChannel => ({
  provider: 'sslwireless',
  channel: 'sms',
  async send(message) {
    const csmsId = message.messageId.slice(0, 30);
    const response = await http.send({
      provider: 'sslwireless',
      operation: 'send-sms',
      method: 'POST',
      url: `${config.baseUrl}/api/v3/send-sms`,
      body: { api_token: config.apiToken, sid: config.sid, msisdn: withoutPlus(message.to), sms: message.text, csms_id: csmsId },
      retry: 'safe',
      sensitiveFields: ['sms'],
    });
    const body = jsonOf('sslwireless', response);
    if (body.status === 'SUCCESS') {
      const [info] = Array.isArray(body.smsinfo) ? (body.smsinfo as Array<Record<string, unknown>>) : [];
      return { providerMessageId: String(info?.reference_id ?? csmsId), status: 'sent' };
    }
    const code = Number(body.status_code);
    // A repeat of a request SSL Wireless already took: it was sent once, under our csms_id.
    if (code === DUPLICATE_CSMS_ID) return { providerMessageId: csmsId, status: 'sent' };
    if (code === INVALID_MSISDN) throw new RecipientRejectedError('sslwireless', 'invalid_address', 'sslwireless refused the number');
    throw new ProviderTerminalError('sslwireless', 'messaging', `sslwireless answered ${String(body.status)} ${code} (${String(body.error_message ?? '')})`);
  },
});
