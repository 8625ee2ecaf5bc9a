import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ProviderIndeterminateError, ProviderRetryableError, ProviderTerminalError } from '../../_platform/errors';
import { RecipientRejectedError } from '../domain/errors';
import type { DeliveryStatus } from '../domain/model';
import type { DeliveryReceipt, MessageChannel } from '../domain/ports';

/*
 * E-mail through Amazon SES v2 SendEmail (providers/shipping-and-messaging.md B5 [official]): simple content (text
 * and HTML parts, custom headers such as List-Unsubscribe) sent under a configuration set whose event destination
 * publishes Send, Delivery, Bounce, Complaint … to an SNS topic, which feeds our email-events queue (parseSesEvent).
 */
export interface SesSettings {
  readonly from: string;
  readonly configurationSet: string;
}

// Refusals that are SES's own (account, sending paused, sender not verified): another e-mail provider could send.
const PROVIDER_REFUSALS = new Set(['AccountSuspendedException', 'SendingPausedException', 'MailFromDomainNotVerifiedException', 'NotFoundException', 'BadRequestException']);
const THROTTLED = new Set(['TooManyRequestsException', 'LimitExceededException']);

export const createSesChannel = (settings: SesSettings, ses: SESv2Client): MessageChannel => ({
  provider: 'ses',
  channel: 'email',
  async send(message) {
    try {
      const answer = await ses.send(new SendEmailCommand({
        FromEmailAddress: settings.from,
        Destination: { ToAddresses: [message.to] },
        ConfigurationSetName: settings.configurationSet,
        EmailTags: [{ Name: 'messageId', Value: message.messageId }],
        Content: {
          Simple: {
            Subject: { Data: message.subject ?? '', Charset: 'UTF-8' },
            Body: {
              Text: { Data: message.text, Charset: 'UTF-8' },
              ...(message.html !== undefined && { Html: { Data: message.html, Charset: 'UTF-8' } }),
            },
            ...(message.headers && { Headers: Object.entries(message.headers).map(([Name, Value]) => ({ Name, Value })) }),
          },
        },
      }));
      return { providerMessageId: String(answer.MessageId), status: 'queued' };
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (name === 'MessageRejected') throw new RecipientRejectedError('ses', 'invalid_address', 'SES rejected the message', { cause: error });
      if (PROVIDER_REFUSALS.has(name)) throw new ProviderTerminalError('ses', 'messaging', `SES refused: ${name}`, { cause: error });
      // The SDK retried throttling already; the call was refused, not applied.
      if (THROTTLED.has(name)) throw new ProviderRetryableError('ses', `SES throttled the send (${name})`, { cause: error });
      throw new ProviderIndeterminateError('ses', `SES send failed (${name || 'network'}); it may have been sent`, { cause: error });
    }
  },
});

const statusOfEvent = (event: Record<string, unknown>): { status: DeliveryStatus; detail?: string } | { engagement: 'opened' | 'clicked' } | undefined => {
  switch (event.eventType ?? event.notificationType) {
    case 'Send':
      return { status: 'queued' };
    case 'Delivery':
      return { status: 'delivered' };
    case 'DeliveryDelay':
      return { status: 'deferred' };
    case 'Reject':
      return { status: 'rejected' };
    case 'Rendering Failure':
      return { status: 'failed' };
    case 'Complaint':
      return { status: 'complained' };
    case 'Bounce': {
      const bounce = (event.bounce ?? {}) as Record<string, unknown>;
      const detail = `${String(bounce.bounceType)}/${String(bounce.bounceSubType)}`;
      return { status: bounce.bounceType === 'Permanent' ? 'bounced_hard' : 'bounced_soft', detail };
    }
    case 'Open':
      return { engagement: 'opened' };
    case 'Click':
      return { engagement: 'clicked' };
    default:
      return undefined;
  }
};

/**
 * Reads one SES event (configuration-set event publishing, `eventType`; or identity feedback, `notificationType`) as
 * receipts of the message `mail.messageId`. Trust comes from the path: SES → our SNS topic → our queue, which only
 * SES may publish to; nothing here is a public webhook.
 */
export const parseSesEvent = (event: Record<string, unknown>): DeliveryReceipt[] => {
  const mail = (event.mail ?? {}) as Record<string, unknown>;
  const outcome = statusOfEvent(event);
  if (typeof mail.messageId !== 'string' || !outcome) return [];
  const at = typeof mail.timestamp === 'string' ? mail.timestamp : new Date().toISOString();
  const base = { provider: 'ses' as const, providerMessageId: mail.messageId, at };
  if ('engagement' in outcome) return [{ ...base, status: 'delivered', engagement: outcome.engagement }];
  return [{ ...base, status: outcome.status, ...(outcome.detail !== undefined && { detail: outcome.detail }) }];
};
