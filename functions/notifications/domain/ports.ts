import type { Channel, DeliveryStatus, Language, MessageRecord, MessageType, Preferences, Recipient, Role, StatusChange, Suppression } from './model';

/** Messaging providers Commerce Hub speaks to (one adapter file each under functions/notifications/channels/). */
export type MessagingProviderId = 'ses' | 'twilio' | 'sslwireless' | 'esms' | 'zalo' | 'hifpt';

/** One message as a channel sends it, already rendered. */
export interface OutboundMessage {
  /** Our id; sent as the provider's dedupe key where it has one (eSMS RequestId, SSL csms_id, Zalo tracking_id). */
  readonly messageId: string;
  /** E-mail address, E.164 phone number, or the messaging platform's user id (in-app). */
  readonly to: string;
  readonly subject?: string;
  readonly text: string;
  readonly html?: string;
  /** Extra e-mail headers (List-Unsubscribe, List-Unsubscribe-Post). */
  readonly headers?: Readonly<Record<string, string>>;
  /** A Zalo ZNS message: the approved template and its parameters (ZNS sends no free text). */
  readonly zns?: { readonly templateId: string; readonly params: Readonly<Record<string, string>> };
}

/** What a provider said when it took a message. */
export interface SendReceipt {
  readonly providerMessageId: string;
  /** `queued`: accepted, not yet handed on; `sent`: handed to the network (no later receipt may come). */
  readonly status: 'queued' | 'sent';
}

/**
 * One provider of one channel. `send` throws:
 * - RecipientRejectedError when the address itself is refused (invalid number, STOP, blocked): no other provider of
 *   the channel is tried;
 * - ProviderTerminalError when this provider refuses (credentials, template, quota): the next provider is tried;
 * - ProviderRetryableError when it certainly did not send (down, breaker open): the next provider is tried;
 * - ProviderIndeterminateError when it may have sent: nothing else is tried, so nothing is sent twice.
 */
export interface MessageChannel {
  readonly provider: MessagingProviderId;
  readonly channel: Channel;
  send(message: OutboundMessage): Promise<SendReceipt>;
}

/** A provider's webhook call as it arrived. */
export interface RawWebhook {
  readonly method: string;
  /** The URL exactly as the provider called it (what Twilio signs). */
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One delivery report, in our vocabulary. */
export interface DeliveryReceipt {
  readonly provider: MessagingProviderId;
  readonly providerMessageId: string;
  readonly status: DeliveryStatus;
  readonly at: string;
  /** The provider's error code or bounce type, for the record. */
  readonly detail?: string;
  /** Engagement, kept apart from the status. */
  readonly engagement?: 'opened' | 'clicked';
}

/** Reads a provider's delivery webhook. Throws UnauthorizedError when it cannot be verified, before anything changes. */
export interface ReceiptParser {
  parse(request: RawWebhook): Promise<DeliveryReceipt[]>;
}

/** The providers of this deployment. */
export interface ChannelRegistry {
  /** The providers to try for `channel`, in order, for this address (SMS chains depend on the number's country). */
  chain(channel: Channel, to: string): MessageChannel[];
  receipts(provider: MessagingProviderId): ReceiptParser;
}

/** The result of claiming a message for sending. */
export type Claim = { claimed: true; record: MessageRecord } | { claimed: false; record: MessageRecord };

/** Where messages, preferences, contacts and suppressions live. */
export interface NotificationStore {
  /**
   * Creates `record` (status `sending`) unless a message with its id exists; an existing one that every provider
   * failed to take (`retryable`) is claimed again. One conditional write: two racing consumers cannot both win.
   */
  claimMessage(record: MessageRecord): Promise<Claim>;
  /** Writes `record` if the stored one is at `record.version - 1`. Throws ConcurrentUpdateError otherwise. */
  saveMessage(record: MessageRecord): Promise<void>;
  getMessage(messageId: string): Promise<MessageRecord | undefined>;
  findByProviderMessageId(provider: string, providerMessageId: string): Promise<MessageRecord | undefined>;
  getPreferences(recipientId: string): Promise<Preferences | undefined>;
  putPreferences(preferences: Preferences): Promise<void>;
  getContact(recipientId: string): Promise<Recipient | undefined>;
  putContact(contact: Recipient): Promise<void>;
  getSuppression(addressHash: string): Promise<Suppression | undefined>;
  putSuppression(suppression: Suppression): Promise<void>;
}

/** A stored template overriding the repository's default of the same key. */
export interface StoredTemplate {
  readonly type: MessageType;
  readonly role: Role;
  readonly language: Language;
  readonly channel: Channel;
  readonly version: number;
  readonly subject?: string;
  readonly body: string;
  readonly znsTemplateId?: string;
}

/** Templates kept in DynamoDB (operators' edits); the versioned defaults are in the repository. */
export interface TemplateStore {
  find(key: { type: MessageType; role: Role; language: Language; channel: Channel }): Promise<StoredTemplate | undefined>;
}

/** The order a notification is about, as far as messages need it (read from checkout's orders). */
export interface OrderSummary {
  orderId: string;
  buyer: { name: string; email: string; phone: string; country: string };
  amount: { value: number; currency: string };
  items: Array<{ sku: string; title: string; sellerId: string; quantity: number; unitPrice: { value: number; currency: string } }>;
  paymentMethod: string;
}

export interface OrderReader {
  get(orderId: string): Promise<OrderSummary | undefined>;
}

/** One seller's paid orders and their revenue (their items only) in one currency over some days. */
export interface SellerSales {
  sellerId: string;
  orders: number;
  revenue: { value: number; currency: string };
}

/** A seller's paid orders since they started selling, as the weekly job counts them, and the milestones already congratulated. */
export interface SellerTotals {
  paidOrders: number;
  congratulated: number[];
}

/**
 * Per-seller sales counters kept by notifications from `order.paid` (the weekly summary and milestones read these,
 * never the orders themselves).
 */
export interface SalesLedger {
  /** Counts one paid order for its seller on `day` (YYYY-MM-DD, business time). Once per order: a repeat changes nothing. */
  recordPaidOrder(entry: { sellerId: string; orderId: string; day: string; revenue: { value: number; currency: string } }): Promise<void>;
  /** Every seller with paid orders on these days, summed per seller and currency. */
  salesOn(days: readonly string[]): Promise<SellerSales[]>;
  /** Adds a week's paid orders to the seller's total, once per week (a repeat returns the totals unchanged). */
  addWeek(sellerId: string, week: string, orders: number): Promise<SellerTotals>;
  /** Records milestones as congratulated, so none is congratulated twice. */
  markCongratulated(sellerId: string, milestones: readonly number[]): Promise<void>;
}

/** Signs and checks tokens (unsubscribe links, password-reset and verification links) with the capability's key. */
export interface TokenSigner {
  sign(payload: Readonly<Record<string, string | number>>): Promise<string>;
  /** The payload, or undefined when the signature does not match or the token is malformed. */
  verify(token: string): Promise<Record<string, string | number> | undefined>;
}

/** Where links in messages point. */
export interface LinkSettings {
  /** The public API base URL, ending in /v1. */
  readonly apiUrl: string;
  /** The sender's postal address (CAN-SPAM footer of marketing e-mail). */
  readonly postalAddress: string;
  readonly companyName: string;
}

export type { StatusChange };
