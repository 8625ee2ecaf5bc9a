import { createHash } from 'node:crypto';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The recipient id of a buyer, who has no account id here: derived from the e-mail address (trimmed, lower case),
 * so a storefront computes the same id (`rcp_` + the first 32 hex digits of its SHA-256) without us storing a
 * reverse map, and the id itself reveals no address.
 */
export const recipientIdOfEmail = (email: string): string => `rcp_${digest(email.trim().toLowerCase()).slice(0, 32)}`;

/** The key of an address's suppression: its hash, so the table keeps no address in clear. */
export const addressHashOf = (address: string): string => digest(address.trim().toLowerCase()).slice(0, 40);

/** One notification: what caused it (an event id, a request), its type and its recipient. Same inputs, same id. */
export const notificationIdOf = (source: string, type: string, recipientId: string): string =>
  `ntf_${digest(`${source}|${type}|${recipientId}`).slice(0, 26)}`;

/** One message: a notification on one channel, the unit that is never sent twice. */
export const messageIdOf = (notificationId: string, channel: string): string => `msg_${digest(`${notificationId}|${channel}`).slice(0, 26)}`;
