/** The ways a message reaches someone. */
export const CHANNELS = ['email', 'sms', 'zalo', 'inapp'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Languages every default template exists in. */
export const LANGUAGES = ['en', 'bn', 'vi'] as const;
export type Language = (typeof LANGUAGES)[number];

export const ROLES = ['buyer', 'seller', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Why a message is sent, which decides whether preferences may stop it: marketing needs opt-in; transactional and
 * security messages are always sent (on the channels the recipient allows, or the default ones when none is allowed).
 */
export type MessageCategory = 'transactional' | 'security' | 'marketing';

/** Every message type, with its category. */
export const MESSAGE_TYPES = {
  order_confirmation: 'transactional',
  payment_failed: 'transactional',
  shipment_update: 'transactional',
  shipment_delivered: 'transactional',
  shipment_delayed: 'transactional',
  order_cancelled: 'transactional',
  refund_succeeded: 'transactional',
  seller_new_order: 'transactional',
  seller_low_stock: 'transactional',
  seller_payout: 'transactional',
  seller_weekly_summary: 'transactional',
  seller_milestone: 'marketing',
  account_verification: 'security',
  password_reset: 'security',
  new_device_login: 'security',
  promotion: 'marketing',
} as const satisfies Record<string, MessageCategory>;
export type MessageType = keyof typeof MESSAGE_TYPES;
export const MESSAGE_TYPE_IDS = Object.keys(MESSAGE_TYPES) as MessageType[];

export const isMessageType = (value: string): value is MessageType => Object.hasOwn(MESSAGE_TYPES, value);

/**
 * Delivery status of one message on one channel (providers/shipping-and-messaging.md D2). `skipped` is ours: the
 * message was not attempted on this channel (opted out, suppressed, paused, no address).
 */
export const DELIVERY_STATUSES = [
  'sending', 'queued', 'sent', 'deferred', 'delivered', 'read',
  'rejected', 'failed', 'undelivered', 'bounced_soft', 'bounced_hard', 'complained', 'skipped', 'unknown',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

// Receipts arrive out of order (Twilio says so; SES batches with no ordering): a status only replaces one of a
// lower rank, so a late `sent` never overwrites `delivered`. A complaint after a delivery still counts.
const RANK: Readonly<Record<DeliveryStatus, number>> = {
  sending: 0, skipped: 0, unknown: 0, queued: 1, sent: 2, deferred: 2, bounced_soft: 3,
  delivered: 4, undelivered: 4, failed: 4, rejected: 4, bounced_hard: 4, read: 5, complained: 6,
};

/** Whether a receipt saying `next` may replace `current`. */
export const supersedes = (current: DeliveryStatus, next: DeliveryStatus): boolean => RANK[next] > RANK[current];

/** Where a message goes, as the channel needs it. */
export interface Recipient {
  /** Stable id: a seller id, a staff user id, or `recipientIdOfEmail(email)` for a buyer. */
  recipientId: string;
  role: Role;
  language: Language;
  name?: string;
  email?: string;
  /** E.164. */
  phone?: string;
  /** The user id on the company's messaging platform (in-app channel). */
  appUserId?: string;
}

/** What a recipient allows (API.md `PUT /v1/recipients/{id}/preferences`). Absent = every channel, no marketing. */
export interface Preferences {
  recipientId: string;
  channels: Readonly<Record<'email' | 'sms' | 'zalo', boolean>>;
  marketing: boolean;
  language?: Language;
  updatedAt: string;
}

export const DEFAULT_CHANNELS: Preferences['channels'] = { email: true, sms: true, zalo: true };

/** One status change of a message, as its record keeps it. */
export interface StatusChange {
  status: DeliveryStatus;
  at: string;
  provider?: string;
  detail?: string;
}

/** One provider tried for a message. */
export interface ProviderAttempt {
  provider: string;
  at: string;
  outcome: 'accepted' | 'unavailable' | 'rejected' | 'indeterminate';
  detail?: string;
}

/**
 * One message of one notification on one channel: the unit of deduplication (its id derives from the notification
 * and the channel, so a failover or a redelivered event can never send it twice). Holds no message text and no
 * address in clear: the address only masked and as the hash that keys its suppression.
 */
export interface MessageRecord {
  messageId: string;
  notificationId: string;
  type: MessageType;
  category: MessageCategory;
  role: Role;
  recipientId: string;
  channel: Channel;
  language: Language;
  toMasked: string;
  addressHash: string;
  status: DeliveryStatus;
  /** True when every provider was unavailable: a redelivered event may claim the message again. */
  retryable?: boolean;
  provider?: string;
  providerMessageId?: string;
  attempts: ProviderAttempt[];
  history: StatusChange[];
  opened?: boolean;
  clicked?: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A channel's verdict on an address: suppressed for good (hard bounce, complaint, STOP) or paused for a while. */
export interface Suppression {
  addressHash: string;
  reason?: 'hard_bounce' | 'complaint' | 'unsubscribed_at_provider';
  suppressedAt?: string;
  /** Soft failures in the current window (bounced_soft, undelivered). */
  softFailures: number;
  windowStartedAt?: string;
  pausedUntil?: string;
}

/** Soft failures within SOFT_FAILURE_WINDOW_MS that pause an address, and for how long. */
export const SOFT_FAILURE_LIMIT = 3;
export const SOFT_FAILURE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const PAUSE_MS = 24 * 60 * 60 * 1000;

/** Whether `suppression` stops a send at `now`. */
export const blocks = (suppression: Suppression | undefined, now: Date): 'suppressed' | 'paused' | undefined => {
  if (!suppression) return undefined;
  if (suppression.reason) return 'suppressed';
  if (suppression.pausedUntil && Date.parse(suppression.pausedUntil) > now.getTime()) return 'paused';
  return undefined;
};

/** The suppression after one more soft failure at `now`: counted in a rolling window; the limit pauses the address. */
export const afterSoftFailure = (current: Suppression, now: Date): Suppression => {
  const windowOpen = current.windowStartedAt && now.getTime() - Date.parse(current.windowStartedAt) < SOFT_FAILURE_WINDOW_MS;
  const softFailures = windowOpen ? current.softFailures + 1 : 1;
  const windowStartedAt = windowOpen ? current.windowStartedAt : now.toISOString();
  return {
    ...current,
    softFailures: softFailures >= SOFT_FAILURE_LIMIT ? 0 : softFailures,
    windowStartedAt,
    ...(softFailures >= SOFT_FAILURE_LIMIT && { pausedUntil: new Date(now.getTime() + PAUSE_MS).toISOString() }),
  };
};
