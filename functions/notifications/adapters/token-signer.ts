import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TokenSigner } from '../domain/ports';

const encode = (buffer: Buffer) => buffer.toString('base64url');

/**
 * Tokens `<base64url JSON payload>.<base64url HMAC-SHA256 of it>` under the capability's signing key (a Secrets
 * Manager secret, read through `keyOf`). The payload is readable by anyone holding the token: it carries ids and
 * an expiry, never personal data or a secret.
 */
export const hmacTokenSigner = (keyOf: () => Promise<string>): TokenSigner => {
  const mac = async (payload: string) => createHmac('sha256', await keyOf()).update(payload).digest();
  return {
    async sign(payload) {
      const body = encode(Buffer.from(JSON.stringify(payload)));
      return `${body}.${encode(await mac(body))}`;
    },
    async verify(token) {
      const [body, signature, extra] = token.split('.');
      if (!body || !signature || extra !== undefined) return undefined;
      // Compared as text, not decoded: base64url's last character carries unused bits, so decoding would accept
      // several spellings of one signature (a token with its last character changed could still pass).
      const expected = Buffer.from(encode(await mac(body)));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
        return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, string | number>) : undefined;
      } catch {
        return undefined;
      }
    },
  };
};
