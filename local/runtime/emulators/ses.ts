/**
 * Amazon SES v2 on the local AWS endpoint: SendEmail (restJson1, `POST /v2/email/outbound-emails`) keeps every
 * message in a mailbox, readable in a browser at `/_mailbox` (and as JSON at `/_mailbox/messages`). Like SES, a
 * message sent under a configuration set with an SNS event destination publishes its events (Send, then Delivery,
 * Bounce or Complaint) to that topic on the local SNS, so the template's topology (configuration set → topic →
 * queue → consumer) runs as deployed. Outcomes follow SES's mailbox simulator addresses [official]:
 * bounce@ → Permanent/General bounce, complaint@ → delivery then complaint, suppressionlist@ → Permanent/
 * OnAccountSuppressionList bounce [weak: sub-type from memory], ooto@ and success@ (and any other address) → delivery.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT_ID, type AwsService } from '../contracts';
import { AwsServiceError, parseJsonBody, writeAwsJson, writeAwsJsonError } from './aws-protocol';
import { mailboxPage, messagePage } from './ses-mailbox';

export interface StoredEmail {
  readonly messageId: string;
  readonly at: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly headers: ReadonlyArray<{ name: string; value: string }>;
  readonly configurationSet?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SesEmulator extends AwsService {
  createConfigurationSet(name: string): void;
  /** SES publishes `eventTypes` (CloudFormation's lower-camel names) of messages sent under `configurationSet` to `topicArn`. */
  addEventDestination(configurationSet: string, destination: { topicArn: string; eventTypes: readonly string[] }): void;
  readonly messages: readonly StoredEmail[];
}

export interface SesEmulatorOptions {
  /** Where event destinations publish. */
  publish: (input: { topicArn: string; message: string }) => void;
  onPublishError?: (error: unknown) => void;
}

const ERROR_STYLE = { contentType: 'application/json' };
const SIMULATOR_DOMAIN = '@simulator.amazonses.com';

type SesEventType = 'Send' | 'Delivery' | 'Bounce' | 'Complaint';
const DESTINATION_NAME: Readonly<Record<SesEventType, string>> = { Send: 'send', Delivery: 'delivery', Bounce: 'bounce', Complaint: 'complaint' };

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

/** What happens to a message to `address`, as SES's mailbox simulator does it. */
const outcomesFor = (address: string): Array<{ type: SesEventType; detail?: Record<string, unknown> }> => {
  const lower = address.toLowerCase();
  const local = lower.endsWith(SIMULATOR_DOMAIN) ? lower.slice(0, -SIMULATOR_DOMAIN.length).split('+')[0] : undefined;
  const bounced = (bounceSubType: string) => ({
    type: 'Bounce' as const,
    detail: { bounce: { bounceType: 'Permanent', bounceSubType, bouncedRecipients: [{ emailAddress: address, action: 'failed', status: '5.1.1' }], reportingMTA: 'dns; local' } },
  });
  if (local === 'bounce') return [bounced('General')];
  if (local === 'suppressionlist') return [bounced('OnAccountSuppressionList')];
  const delivered = { type: 'Delivery' as const, detail: { delivery: { recipients: [address], smtpResponse: '250 2.0.0 OK', reportingMTA: 'local', processingTimeMillis: 1 } } };
  if (local === 'complaint') return [delivered, { type: 'Complaint', detail: { complaint: { complainedRecipients: [{ emailAddress: address }], complaintFeedbackType: 'abuse' } } }];
  return [delivered];
};

export const createSesEmulator = (options: SesEmulatorOptions): SesEmulator => {
  const messages: StoredEmail[] = [];
  const destinations = new Map<string, Array<{ topicArn: string; eventTypes: readonly string[] }>>();

  const publishEvents = (email: StoredEmail) => {
    const targets = email.configurationSet ? (destinations.get(email.configurationSet) ?? []) : [];
    if (targets.length === 0) return;
    const mail = {
      timestamp: email.at, source: email.from, sendingAccountId: LOCAL_ACCOUNT_ID, messageId: email.messageId, destination: email.to,
      headersTruncated: false, headers: email.headers.map(({ name, value }) => ({ name, value })),
      commonHeaders: { from: [email.from], to: email.to, subject: email.subject },
      tags: { 'ses:configuration-set': [email.configurationSet], ...Object.fromEntries(Object.entries(email.tags).map(([k, v]) => [k, [v]])) },
    };
    const events: Array<{ type: SesEventType; detail?: Record<string, unknown> }> = [{ type: 'Send', detail: { send: {} } }, ...email.to.flatMap(outcomesFor)];
    // SES reports asynchronously, after SendEmail has answered.
    setImmediate(() => {
      for (const event of events) {
        for (const target of targets.filter((each) => each.eventTypes.includes(DESTINATION_NAME[event.type]))) {
          try {
            options.publish({ topicArn: target.topicArn, message: JSON.stringify({ eventType: event.type, mail, ...event.detail }) });
          } catch (error) {
            options.onPublishError?.(error);
          }
        }
      }
    });
  };

  const sendEmail = (params: Record<string, unknown>): { MessageId: string } => {
    const destination = record(params.Destination);
    const to = [destination.ToAddresses, destination.CcAddresses, destination.BccAddresses].flatMap((list) => (Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string') : []));
    const from = text(params.FromEmailAddress);
    if (!from) throw new AwsServiceError('BadRequestException', 'FromEmailAddress is required');
    if (to.length === 0) throw new AwsServiceError('BadRequestException', 'Destination needs at least one address');
    const simple = record(record(params.Content).Simple);
    if (Object.keys(simple).length === 0) throw new AwsServiceError('BadRequestException', 'only Content.Simple is emulated locally');
    const body = record(simple.Body);
    const configurationSet = text(params.ConfigurationSetName);
    if (configurationSet && !destinations.has(configurationSet)) throw new AwsServiceError('NotFoundException', `Configuration set ${configurationSet} does not exist`, { statusCode: 404 });
    const email: StoredEmail = {
      messageId: `${Date.now().toString(16)}-${randomUUID()}-000000`,
      at: new Date().toISOString(),
      from,
      to,
      subject: text(record(simple.Subject).Data) ?? '',
      text: text(record(body.Text).Data),
      html: text(record(body.Html).Data),
      headers: (Array.isArray(simple.Headers) ? simple.Headers : []).map((h) => ({ name: String(record(h).Name), value: String(record(h).Value) })),
      configurationSet,
      tags: Object.fromEntries((Array.isArray(params.EmailTags) ? params.EmailTags : []).map((t) => [String(record(t).Name), String(record(t).Value)])),
    };
    messages.push(email);
    publishEvents(email);
    return { MessageId: email.messageId };
  };

  const html = (res: ServerResponse, status: number, page: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  };

  return {
    name: 'ses',
    messages,
    matches: (req: IncomingMessage) => (req.url ?? '').startsWith('/v2/email/') || (req.url ?? '').startsWith('/_mailbox'),
    async handle(req, body, res) {
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      if (path === '/_mailbox' || path === '/_mailbox/') return html(res, 200, mailboxPage(messages));
      if (path === '/_mailbox/messages') return writeAwsJson(res, 'application/json', { messages });
      const shown = /^\/_mailbox\/messages\/([^/]+)$/.exec(path);
      if (shown) {
        const email = messages.find((m) => m.messageId === decodeURIComponent(shown[1]));
        return email ? html(res, 200, messagePage(email)) : html(res, 404, 'no such message');
      }
      try {
        if (req.method === 'POST' && path === '/v2/email/outbound-emails') return writeAwsJson(res, 'application/json', sendEmail(parseJsonBody(body)));
        throw new AwsServiceError('BadRequestException', `${req.method} ${path} is not emulated locally (only SendEmail)`);
      } catch (error) {
        if (error instanceof AwsServiceError) return writeAwsJsonError(res, error, ERROR_STYLE);
        throw error;
      }
    },
    createConfigurationSet(name) {
      if (!destinations.has(name)) destinations.set(name, []);
    },
    addEventDestination(configurationSet, destination) {
      const list = destinations.get(configurationSet) ?? [];
      list.push(destination);
      destinations.set(configurationSet, list);
    },
  };
};
