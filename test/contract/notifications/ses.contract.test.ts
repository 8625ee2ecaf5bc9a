import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createSesChannel, parseSesEvent } from '../../../functions/notifications/channels/ses';
import type { MessageChannel, ReceiptParser } from '../../../functions/notifications/domain/ports';
import type { AwsService } from '../../../local/runtime/contracts';
import { AwsServiceError, writeAwsJsonError } from '../../../local/runtime/emulators/aws-protocol';
import { createSesEmulator } from '../../../local/runtime/emulators/ses';
import type { SimulatorScenario } from '../../../local/simulators/contracts';
import type { InboxMessage, MessagingMode, MessagingSimulator } from '../../../local/simulators/messaging-kit';
import { LOCAL_CLIENT_CONFIG, serveAwsService } from '../../unit/local/runtime/emulators/serve-aws-service';
import { messageChannelContract } from './message-channel.contract';

const CONFIGURATION_SET = 'contract';

/**
 * The local SES v2 emulator (the one `npm start` serves on the AWS endpoint) served alone, as the suite's simulator:
 * its configuration set publishes events to our receiver as SNS would hand them on; `down` answers 503 and
 * `invalid-number` answers MessageRejected, SES's synchronous refusal of a recipient (in the sandbox, one that is not
 * verified [weak: from SES's error list, not reproduced against the service here]).
 */
const startSes = async (): Promise<MessagingSimulator & { sendEventsTo(url: string): void }> => {
  let eventsUrl: string | undefined;
  const emulator = createSesEmulator({
    publish: ({ message }) => {
      if (eventsUrl) void fetch(eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: message });
    },
  });
  emulator.createConfigurationSet(CONFIGURATION_SET);
  emulator.addEventDestination(CONFIGURATION_SET, { topicArn: 'arn:aws:sns:us-east-1:000000000000:email-events', eventTypes: ['send', 'delivery', 'bounce', 'complaint'] });
  let scenario: SimulatorScenario<MessagingMode> = { mode: 'normal' };
  let seen = 0;
  const faulty: AwsService = {
    name: 'ses',
    matches: (req) => emulator.matches(req),
    async handle(req, body, res) {
      if (scenario.mode === 'down') return writeAwsJsonError(res, new AwsServiceError('ServiceUnavailable', 'Service Unavailable', { statusCode: 503 }), { contentType: 'application/json' });
      if (scenario.mode === 'invalid-number' && (scenario.times ?? 1) > 0) {
        scenario = { ...scenario, times: (scenario.times ?? 1) - 1 };
        return writeAwsJsonError(res, new AwsServiceError('MessageRejected', 'Email address is not verified.'), { contentType: 'application/json' });
      }
      return emulator.handle(req, body, res);
    },
  };
  const served = await serveAwsService(faulty);
  return {
    url: served.url,
    secret: {},
    sendEventsTo: (url) => {
      eventsUrl = url;
    },
    scenario: async (next) => {
      scenario = next;
    },
    reset: async () => {
      scenario = { mode: 'normal' };
      seen = emulator.messages.length;
    },
    stop: () => served.close(),
    inbox: async (): Promise<InboxMessage[]> =>
      emulator.messages.slice(seen).map((m) => ({ id: m.messageId, at: m.at, to: m.to.join(', '), text: m.text ?? '' })),
  };
};

messageChannelContract('ses', {
  to: 'success@simulator.amazonses.com',
  receiptsTrustedBy: 'path',
  start: startSes,
  create: async (simulator, _http, callbackUrl) => {
    (simulator as Awaited<ReturnType<typeof startSes>>).sendEventsTo(callbackUrl);
    // One retry instead of the SDK's default three keeps the `down` case quick; the outcome is the same.
    const client = new SESv2Client({ ...LOCAL_CLIENT_CONFIG, endpoint: simulator.url, maxAttempts: 2 });
    const channel: MessageChannel & ReceiptParser = {
      ...createSesChannel({ from: 'Commerce Hub <no-reply@commerce-hub.example>', configurationSet: CONFIGURATION_SET }, client),
      parse: async (raw) => parseSesEvent(JSON.parse(raw.body) as Record<string, unknown>),
    };
    return channel;
  },
});
