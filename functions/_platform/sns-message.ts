/**
 * Messages Amazon SNS delivers to an HTTP(S) subscriber (a provider that pushes its webhooks through SNS: bKash's
 * IPN). Verified as AWS documents it ("Verifying the signatures of Amazon SNS messages"): the signing certificate
 * comes only from an SNS host over HTTPS, and the signature covers the message's documented keys in a fixed order.
 */
import { createVerify, X509Certificate } from 'node:crypto';
import * as z from 'zod/mini';
import { ProviderRetryableError, UnverifiedError } from './errors';
import type { HttpClient } from './http-client';

const text = () => z.string().check(z.minLength(1));

/** The JSON body of an SNS HTTP(S) delivery (sent as `content-type: text/plain; charset=UTF-8`). */
export const snsMessageSchema = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: text(),
  TopicArn: text(),
  Message: z.string(),
  Timestamp: text(),
  /** "1": SHA1withRSA; "2": SHA256withRSA. */
  SignatureVersion: z.enum(['1', '2']),
  Signature: text(),
  SigningCertURL: text(),
  Subject: z.optional(z.string()),
  SubscribeURL: z.optional(z.string()),
  Token: z.optional(z.string()),
  UnsubscribeURL: z.optional(z.string()),
});
export type SnsMessage = z.output<typeof snsMessageSchema>;

/** The keys each message type signs, in the order they are signed; an absent optional key (Subject) is skipped. */
const SIGNED_KEYS: Readonly<Record<SnsMessage['Type'], ReadonlyArray<keyof SnsMessage>>> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};
const OPTIONAL_SIGNED_KEYS = new Set<keyof SnsMessage>(['Subject']);
const ALGORITHMS: Readonly<Record<SnsMessage['SignatureVersion'], string>> = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' };

/** The canonical string SNS signs: `Key\nValue\n` for each signed key of the message's type. Throws when one is missing. */
export const stringToSign = (message: SnsMessage): string =>
  SIGNED_KEYS[message.Type].map((key) => {
    const value = message[key];
    if (value === undefined && OPTIONAL_SIGNED_KEYS.has(key)) return '';
    if (value === undefined) throw new UnverifiedError(`the SNS ${message.Type} has no ${key}`);
    return `${key}\n${value}\n`;
  }).join('');

/** SNS's own hosts (`sns.<region>.amazonaws.com`, `.com.cn` in China), the pattern AWS's message validators use. */
const SNS_HOST = /^sns\.[a-z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Who a subscriber trusts besides AWS itself. */
export interface SnsTrust {
  /** Messages from another topic are refused (unset: any topic; a provider may not say which topic it publishes on). */
  readonly topicArn?: string;
  /**
   * An extra origin (`http://127.0.0.1:7100`) whose certificates and subscribe URLs are trusted: a provider
   * simulator on this machine. Only a loopback origin is honoured, so a setting that leaks into a deployment can
   * never make a Lambda trust a host on the network: there, only `https://sns.<region>.amazonaws.com` is.
   */
  readonly localOrigin?: string;
}

/** Whether `url` is SNS's own HTTPS host, or the configured loopback origin. */
export const isTrustedSnsUrl = (url: string, trust: SnsTrust): boolean => {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (parsed.protocol === 'https:' && SNS_HOST.test(parsed.hostname) && parsed.port === '') return true;
  if (!trust.localOrigin || !URL.canParse(trust.localOrigin)) return false;
  const local = new URL(trust.localOrigin);
  return LOOPBACK_HOSTS.has(local.hostname) && parsed.origin === local.origin;
};

/** A signing certificate URL: a trusted SNS URL of a `.pem` file, without query or fragment. */
const isTrustedCertificateUrl = (url: string, trust: SnsTrust): boolean => {
  if (!isTrustedSnsUrl(url, trust)) return false;
  const { pathname, search, hash } = new URL(url);
  return pathname.endsWith('.pem') && search === '' && hash === '';
};

/** Certificates kept per instance; SNS signs with one at a time, so a few cover a rotation. */
const MAX_CACHED_CERTIFICATES = 8;

/** The SNS side of a subscriber endpoint. */
export interface SnsSubscriber {
  /**
   * Throws UnverifiedError (401, nothing else done) unless `message` is signed by SNS: a trusted certificate URL,
   * the expected topic, a certificate valid now and a good signature over the canonical string. Throws
   * ProviderRetryableError when the certificate could not be fetched (SNS delivers again).
   */
  verify(message: SnsMessage): Promise<void>;
  /** Confirms a verified SubscriptionConfirmation by GETting its SubscribeURL (host-checked like the certificate). */
  confirmSubscription(message: SnsMessage): Promise<void>;
}

export interface SnsSubscriberOptions {
  /** The provider whose messages come through SNS: the key of its breaker and audit records for these calls. */
  readonly provider: string;
  readonly http: HttpClient;
  /** What to trust besides AWS; read on every message (it comes from the provider's cached secret). */
  readonly trust: () => Promise<SnsTrust>;
  readonly now?: () => Date;
}

/**
 * A subscriber endpoint's verifier. Certificates are fetched through the resilient client and kept per URL (the
 * last few; SNS rotates them by publishing a new URL); a failed fetch is not kept.
 * The Timestamp is not checked for age: SNS redelivers old messages on its retries, and a replayed message
 * changes nothing twice (each use is idempotent).
 */
export const snsSubscriber = ({ provider, http, trust, now = () => new Date() }: SnsSubscriberOptions): SnsSubscriber => {
  const certificates = new Map<string, Promise<X509Certificate>>();

  const fetchCertificate = async (url: string): Promise<X509Certificate> => {
    const response = await http.send({ provider, operation: 'sns-signing-certificate', method: 'GET', url, retry: 'safe' });
    if (response.status !== 200) throw new UnverifiedError(`the SNS signing certificate answered HTTP ${response.status}`);
    try {
      return new X509Certificate(response.body);
    } catch (cause) {
      throw new UnverifiedError('the SNS signing certificate is not an X.509 certificate', { cause });
    }
  };

  const certificateAt = (url: string): Promise<X509Certificate> => {
    let certificate = certificates.get(url);
    if (!certificate) {
      // Bounded: a flood of messages naming other certificate files must not grow the instance's memory.
      if (certificates.size >= MAX_CACHED_CERTIFICATES) certificates.delete(certificates.keys().next().value as string);
      certificate = fetchCertificate(url);
      certificates.set(url, certificate);
      certificate.catch(() => certificates.delete(url));
    }
    return certificate;
  };

  return {
    async verify(message) {
      const trusted = await trust();
      if (!isTrustedCertificateUrl(message.SigningCertURL, trusted)) throw new UnverifiedError('the SNS signing certificate is not a .pem on an SNS host');
      if (trusted.topicArn !== undefined && message.TopicArn !== trusted.topicArn) throw new UnverifiedError('the SNS message comes from another topic');
      const canonical = stringToSign(message);
      const certificate = await certificateAt(message.SigningCertURL);
      const at = now().getTime();
      if (at < Date.parse(certificate.validFrom) || at > Date.parse(certificate.validTo)) {
        throw new UnverifiedError('the SNS signing certificate is not valid now');
      }
      const verifier = createVerify(ALGORITHMS[message.SignatureVersion]);
      verifier.update(canonical, 'utf8');
      if (!verifier.verify(certificate.publicKey, message.Signature, 'base64')) throw new UnverifiedError('the SNS signature does not match');
    },

    async confirmSubscription(message) {
      const url = message.SubscribeURL;
      if (message.Type !== 'SubscriptionConfirmation' || !url || !isTrustedSnsUrl(url, await trust())) {
        throw new UnverifiedError('not a subscription confirmation with an SNS subscribe URL');
      }
      // The URL carries the confirmation token: the audit record masks `Token` like any secret.
      const response = await http.send({ provider, operation: 'sns-confirm-subscription', method: 'GET', url, retry: 'safe', sensitiveFields: ['Token'] });
      if (response.status !== 200) throw new ProviderRetryableError(provider, `confirming the SNS subscription answered HTTP ${response.status}`);
    },
  };
};
