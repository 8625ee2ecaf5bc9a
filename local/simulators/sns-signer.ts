/**
 * Signs messages the way Amazon SNS signs what it delivers to HTTP(S) subscribers, with a local RSA key and a
 * self-signed certificate (node:crypto reads certificates but cannot make one, so the few DER structures a
 * certificate needs are written here). For provider simulators that push webhooks through SNS, and for tests.
 */
import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { stringToSign, type SnsMessage } from '../../functions/_platform/sns-message';

// ---- just enough DER for one certificate ----------------------------------------------------------------------

const lengthOf = (length: number): Buffer => {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};
const tlv = (tag: number, content: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), lengthOf(content.length), content]);
const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const positiveInteger = (bytes: Buffer): Buffer => tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
const objectId = (dotted: string): Buffer => {
  const [first, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const body = [first * 40 + second];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      groups.unshift((value % 128) | (groups.length > 0 ? 0x80 : 0));
      if (value < 128) break;
    }
    body.push(...groups);
  }
  return tlv(0x06, Buffer.from(body));
};
const utf8 = (value: string): Buffer => tlv(0x0c, Buffer.from(value, 'utf8'));
/** GeneralizedTime (valid for any year, unlike UTCTime). */
const time = (at: Date): Buffer => tlv(0x18, Buffer.from(`${at.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`, 'ascii'));
const commonName = (name: string): Buffer => sequence(set(sequence(objectId('2.5.4.3'), utf8(name))));

const SHA256_WITH_RSA = sequence(objectId('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

/** A self-signed X.509 v3 certificate (PEM) for `publicKey`, signed by `privateKey`. */
export const selfSignedCertificate = (privateKey: KeyObject, publicKey: KeyObject, subject: string, validFor = { fromMs: -3600_000, toMs: 365 * 24 * 3600_000 }): string => {
  const now = Date.now();
  const tbs = sequence(
    tlv(0xa0, positiveInteger(Buffer.from([2]))), // [0] version v3
    positiveInteger(Buffer.from(randomUUID().replace(/-/g, '').slice(0, 16), 'hex')),
    SHA256_WITH_RSA,
    commonName(subject),
    sequence(time(new Date(now + validFor.fromMs)), time(new Date(now + validFor.toMs))),
    commonName(subject),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = createSign('RSA-SHA256').update(tbs).sign(privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const base64 = der.toString('base64').replace(/.{64}/g, '$&\n').trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
};

// ---- the signer -----------------------------------------------------------------------------------------------

/** An SNS message before signing: everything but Signature (SignatureVersion and SigningCertURL are set here). */
export type UnsignedSnsMessage = Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>;

export interface SnsSigner {
  /** The PEM certificate to serve at the signing certificate URL. */
  readonly certificatePem: string;
  /** `message` with SignatureVersion, SigningCertURL and the base64 signature over SNS's canonical string. */
  sign(message: UnsignedSnsMessage, signingCertUrl: string, version?: SnsMessage['SignatureVersion']): SnsMessage;
}

/** A new RSA-2048 key and its self-signed certificate (about 100 ms). */
export const createSnsSigner = (subject = 'sns.local.simulator'): SnsSigner => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificatePem = selfSignedCertificate(privateKey, publicKey, subject);
  return {
    certificatePem,
    sign(message, signingCertUrl, version = '1') {
      const unsigned: SnsMessage = { ...message, SignatureVersion: version, SigningCertURL: signingCertUrl, Signature: 'unsigned' };
      const signature = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256').update(stringToSign(unsigned), 'utf8').sign(privateKey, 'base64');
      return { ...unsigned, Signature: signature };
    },
  };
};
