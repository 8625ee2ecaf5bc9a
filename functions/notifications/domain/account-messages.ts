import { RuleViolationError } from '../../_platform/errors';
import type { LinkPurpose } from './account-links';
import { recipientIdOfEmail } from './identity';
import type { Language } from './model';
import { type NotificationOutcome, type SendDeps, sendNotification } from './send-notification';

export type AccountMessageType = LinkPurpose | 'new_device_login';

/** How long a link works: a reset link briefly, a verification link for a day. */
const LINK_LIFETIME_SECONDS: Readonly<Record<LinkPurpose, number>> = { password_reset: 30 * 60, account_verification: 24 * 60 * 60 };

export interface AccountMessage {
  /** What makes this request unique (its Idempotency-Key): a repeat sends nothing twice. */
  source: string;
  type: AccountMessageType;
  userId: string;
  name: string;
  email: string;
  phone?: string;
  language: Language;
  linkUrl?: string;
  device?: { name: string; location: string; at: string };
}

const withToken = (url: string, token: string): string => `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;

/**
 * Sends an account or security message (always sent, whatever the preferences). Verification and reset messages
 * carry `linkUrl` with a signed token (user, purpose, expiry) appended; the token is not stored and a password or
 * code never passes through here. Throws ValidationError when a link message comes without `linkUrl`.
 */
export const sendAccountMessage = async (deps: SendDeps, message: AccountMessage): Promise<NotificationOutcome & { linkExpiresAt?: string }> => {
  const recipient = {
    recipientId: recipientIdOfEmail(message.email), role: 'buyer' as const, language: message.language, name: message.name,
    email: message.email, ...(message.phone !== undefined && { phone: message.phone }),
  };
  if (message.type === 'new_device_login') {
    return sendNotification(deps, { source: message.source, type: message.type, recipient, data: { ...message.device } });
  }
  if (!message.linkUrl) throw new RuleViolationError('LINK_URL_REQUIRED', `${message.type} needs linkUrl: the page the link opens`);
  const lifetime = LINK_LIFETIME_SECONDS[message.type];
  const expiresAtSeconds = Math.floor(deps.clock.now().getTime() / 1000) + lifetime;
  const token = await deps.signer.sign({ u: message.userId, p: message.type, x: expiresAtSeconds });
  const data = { link: withToken(message.linkUrl, token), expiresInMinutes: lifetime / 60, expiresInHours: lifetime / 3600 };
  const outcome = await sendNotification(deps, { source: message.source, type: message.type, recipient, data });
  return { ...outcome, linkExpiresAt: new Date(expiresAtSeconds * 1000).toISOString() };
};
