import type { Clock } from '../../_platform/clock';
import { ProviderIndeterminateError, ProviderRetryableError, ProviderTerminalError } from '../../_platform/errors';
import { maskPii } from '../../_platform/pii';
import { RecipientRejectedError } from './errors';
import { addressHashOf, messageIdOf, notificationIdOf } from './identity';
import {
  blocks, type Channel, DEFAULT_CHANNELS, type Language, type DeliveryStatus, MESSAGE_TYPES, type MessageRecord, type MessageType,
  type Preferences, type ProviderAttempt, type Recipient,
} from './model';
import type { ChannelRegistry, LinkSettings, NotificationStore, OutboundMessage, TemplateStore, TokenSigner } from './ports';
import { htmlLayout, renderMessage, type RenderedMessage, typeSupports } from './render';

export interface SendDeps {
  store: NotificationStore;
  templates: TemplateStore;
  channels: ChannelRegistry;
  signer: TokenSigner;
  links: LinkSettings;
  clock: Clock;
}

export interface NotificationRequest {
  /** What caused it, unique per occasion: an event id, a request's idempotency key. */
  source: string;
  type: MessageType;
  recipient: Recipient;
  data: Readonly<Record<string, unknown>>;
}

export interface NotificationOutcome {
  notificationId: string;
  /** The message that went out (or was already out), if one did. */
  sent?: { messageId: string; channel: Channel; provider?: string; status: DeliveryStatus };
  /** Every message record this notification touched, in the order tried. */
  messages: MessageRecord[];
}

const VIETNAM = /^\+84/;

/** Seller messages that must be seen at once go by SMS first; the rest (low stock, payouts, summaries) by e-mail. */
const URGENT_FOR_SELLERS: ReadonlySet<MessageType> = new Set(['seller_new_order']);

/** The channels a type is sent on for a recipient, in order of preference (each one a fallback for the previous). */
export const channelPlan = (recipient: Recipient, type: MessageType): Channel[] => {
  const app: Channel[] = recipient.appUserId ? ['inapp'] : [];
  switch (recipient.role) {
    case 'buyer':
      return recipient.phone && VIETNAM.test(recipient.phone) ? ['zalo', 'email', 'sms'] : ['email', 'sms'];
    case 'seller':
      return URGENT_FOR_SELLERS.has(type) ? [...app, 'sms', 'email'] : [...app, 'email', 'sms'];
    default:
      return [...app, 'email', 'sms'];
  }
};

const addressOf = (recipient: Recipient, channel: Channel): string | undefined => {
  switch (channel) {
    case 'email':
      return recipient.email;
    case 'inapp':
      return recipient.appUserId;
    case 'zalo':
      return recipient.phone && VIETNAM.test(recipient.phone) ? recipient.phone : undefined;
    default:
      return recipient.phone;
  }
};

/**
 * The channels to try: the plan, without channels the type cannot use or the recipient has no address for, and
 * without those the recipient switched off. Marketing stops there (maybe at none); a transactional or security
 * message falls back to the whole plan when the recipient allowed none of it (it is always sent).
 */
const channelsFor = (type: MessageType, recipient: Recipient, preferences: Preferences | undefined): Channel[] => {
  const usable = channelPlan(recipient, type).filter((channel) => typeSupports(type, channel) && addressOf(recipient, channel) !== undefined);
  const allowed = preferences?.channels ?? DEFAULT_CHANNELS;
  const chosen = usable.filter((channel) => channel === 'inapp' || allowed[channel]);
  return MESSAGE_TYPES[type] === 'marketing' || chosen.length > 0 ? chosen : usable;
};

const UNSUBSCRIBE_POST = 'List-Unsubscribe=One-Click';

/** Adds what marketing e-mail must carry: RFC 8058 one-click headers and a CAN-SPAM footer (postal address, opt-out). */
const withMarketingFooter = async (deps: SendDeps, recipientId: string, rendered: RenderedMessage, language: Language) => {
  const token = await deps.signer.sign({ r: recipientId, s: 'marketing' });
  const url = `${deps.links.apiUrl}/unsubscribe/${token}`;
  const footer = `${deps.links.companyName}, ${deps.links.postalAddress}. You get this because you opted in to offers.`;
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const body = rendered.html?.match(/<body[^>]*>([\s\S]*)<\/body>/)?.[1] ?? '';
  return {
    text: `${rendered.text}\n\n--\n${footer}\nUnsubscribe: ${url}`,
    html: htmlLayout(`${body}\n<hr><p style="font-size:12px;color:#666">${escape(footer)} <a href="${escape(url)}">Unsubscribe</a></p>`, language),
    headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': UNSUBSCRIBE_POST },
  };
};

const FINISHED_WITHOUT_SENDING: ReadonlySet<DeliveryStatus> = new Set(['failed', 'rejected', 'skipped']);

type ChannelResult = 'sent' | 'unknown' | 'exhausted' | 'unavailable';

/**
 * Sends one notification, at most once per channel, falling back from channel to channel:
 * 1. marketing needs the recipient's opt-in; otherwise a `skipped` record says why nothing went out;
 * 2. for each channel in order (channelsFor): a suppressed or paused address is skipped; the message is claimed
 *    (one conditional write on its deterministic id: a redelivered event or a racing consumer finds it claimed and
 *    stops), rendered, and offered to the channel's providers in order;
 * 3. a provider that is down or whose breaker is open (ProviderRetryableError) or that refuses for its own reasons
 *    (ProviderTerminalError) passes to the next provider; a refused address (RecipientRejectedError) ends the
 *    channel; an outcome that may have been sent (ProviderIndeterminateError) ends everything: never twice;
 * 4. the first provider that takes it ends the notification.
 * Throws ProviderRetryableError when no channel was refused for good but no provider was available, so the event
 * is redelivered later; the messages stay claimable (`retryable`).
 */
export const sendNotification = async (deps: SendDeps, request: NotificationRequest): Promise<NotificationOutcome> => {
  const { type, recipient } = request;
  const category = MESSAGE_TYPES[type];
  const notificationId = notificationIdOf(request.source, type, recipient.recipientId);
  const preferences = await deps.store.getPreferences(recipient.recipientId);
  const language = preferences?.language ?? recipient.language;
  const messages: MessageRecord[] = [];
  const now = () => deps.clock.now().toISOString();

  const newRecord = (channel: Channel, address: string, status: DeliveryStatus, detail?: string): MessageRecord => {
    const at = now();
    return {
      messageId: messageIdOf(notificationId, channel), notificationId, type, category, role: recipient.role,
      recipientId: recipient.recipientId, channel, language, toMasked: maskPii(address), addressHash: addressHashOf(address),
      status, attempts: [], history: [{ status, at, ...(detail !== undefined && { detail }) }], createdAt: at, updatedAt: at, version: 1,
    };
  };
  const skip = async (channel: Channel, address: string, detail: string) => {
    const { record } = await deps.store.claimMessage(newRecord(channel, address, 'skipped', detail));
    messages.push(record);
  };

  const channels = channelsFor(type, recipient, preferences);
  if (category === 'marketing' && !preferences?.marketing) {
    const [first = channelPlan(recipient, type)[0]] = channels;
    await skip(first, addressOf(recipient, first) ?? recipient.recipientId, 'marketing_not_opted_in');
    return { notificationId, messages };
  }

  let unavailable = false;
  for (const channel of channels) {
    const address = addressOf(recipient, channel)!;
    const blocked = blocks(await deps.store.getSuppression(addressHashOf(address)), deps.clock.now());
    if (blocked) {
      await skip(channel, address, blocked === 'suppressed' ? 'address_suppressed' : 'address_paused');
      continue;
    }
    const claim = await deps.store.claimMessage(newRecord(channel, address, 'sending'));
    if (!claim.claimed) {
      messages.push(claim.record);
      if (FINISHED_WITHOUT_SENDING.has(claim.record.status)) continue;
      return { notificationId, sent: { messageId: claim.record.messageId, channel, provider: claim.record.provider, status: claim.record.status }, messages };
    }
    const rendered = await renderMessage(deps.templates, { type, role: recipient.role, language, channel }, { name: recipient.name, ...request.data });
    const extras = category === 'marketing' && channel === 'email' ? await withMarketingFooter(deps, recipient.recipientId, rendered, language) : undefined;
    const outbound: OutboundMessage = {
      messageId: claim.record.messageId, to: address, subject: rendered.subject, text: extras?.text ?? rendered.text,
      ...(rendered.html !== undefined && { html: extras?.html ?? rendered.html }),
      ...(extras && { headers: extras.headers }),
      ...(rendered.zns && { zns: rendered.zns }),
    };
    const { result, record } = await offer(deps, claim.record, outbound, address);
    messages.push(record);
    if (result === 'sent' || result === 'unknown') {
      return { notificationId, sent: { messageId: record.messageId, channel, provider: record.provider, status: record.status }, messages };
    }
    if (result === 'unavailable') unavailable = true;
  }
  if (unavailable) throw new ProviderRetryableError('notifications', `no provider could take notification ${notificationId}; it will be tried again`);
  return { notificationId, messages };
};

/** Offers one claimed message to its channel's providers in order; saves and returns what happened. */
const offer = async (deps: SendDeps, claimed: MessageRecord, message: OutboundMessage, address: string) => {
  const attempts: ProviderAttempt[] = [];
  let result: ChannelResult = 'exhausted';
  let accepted: { provider: string; providerMessageId?: string; status: DeliveryStatus; detail?: string } | undefined;
  let allUnavailable = true;
  for (const provider of deps.channels.chain(claimed.channel, address)) {
    const at = deps.clock.now().toISOString();
    try {
      const receipt = await provider.send(message);
      attempts.push({ provider: provider.provider, at, outcome: 'accepted' });
      accepted = { provider: provider.provider, providerMessageId: receipt.providerMessageId, status: receipt.status };
      result = 'sent';
      break;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      if (error instanceof ProviderIndeterminateError) {
        attempts.push({ provider: provider.provider, at, outcome: 'indeterminate', detail });
        accepted = { provider: provider.provider, status: 'unknown', detail };
        result = 'unknown';
        break;
      }
      if (error instanceof RecipientRejectedError) {
        attempts.push({ provider: provider.provider, at, outcome: 'rejected', detail });
        accepted = { provider: provider.provider, status: 'rejected', detail: error.reason };
        allUnavailable = false;
        break;
      }
      if (error instanceof ProviderTerminalError) {
        attempts.push({ provider: provider.provider, at, outcome: 'rejected', detail });
        allUnavailable = false;
        continue;
      }
      if (error instanceof ProviderRetryableError) {
        attempts.push({ provider: provider.provider, at, outcome: 'unavailable', detail });
        continue;
      }
      throw error;
    }
  }
  if (result === 'exhausted' && allUnavailable && attempts.length > 0) result = 'unavailable';
  const at = deps.clock.now().toISOString();
  const status: DeliveryStatus = accepted?.status ?? 'failed';
  const detail = accepted?.detail ?? (result === 'unavailable' ? 'providers_unavailable' : 'providers_refused');
  const record: MessageRecord = {
    ...claimed,
    status,
    ...(result === 'unavailable' ? { retryable: true } : { retryable: undefined }),
    ...(accepted?.provider !== undefined && { provider: accepted.provider }),
    ...(accepted?.providerMessageId !== undefined && { providerMessageId: accepted.providerMessageId }),
    attempts: [...claimed.attempts, ...attempts],
    history: [...claimed.history, { status, at, ...(accepted?.provider !== undefined && { provider: accepted.provider }), ...(status !== 'queued' && status !== 'sent' && { detail }) }],
    updatedAt: at,
    version: claimed.version + 1,
  };
  await deps.store.saveMessage(record);
  return { result, record };
};
