import { ProviderTerminalError } from '../../_platform/errors';
import type { HttpResponse } from '../../_platform/http-client';

/** The JSON body of a provider's answer; a body that is not JSON is the provider failing its own protocol. */
export const jsonOf = (provider: string, response: HttpResponse): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(response.body);
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ProviderTerminalError(provider, 'messaging', `${provider} answered ${response.status} with a body that is not JSON`);
};

/** Form encoding (application/x-www-form-urlencoded) of string fields. */
export const formOf = (fields: Readonly<Record<string, string | undefined>>): string =>
  new URLSearchParams(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();

/** `+8801712345678` → `8801712345678`: the international number without its plus (BD gateways, Zalo). */
export const withoutPlus = (e164: string): string => e164.replace(/^\+/, '');

/** Whether text needs a Unicode SMS (Bangla, Vietnamese diacritics): anything outside 7-bit ASCII. */
export const needsUnicode = (text: string): boolean => /[^\x00-\x7F]/.test(text);
