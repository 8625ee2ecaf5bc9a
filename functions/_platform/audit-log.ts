import { maskPii } from './observability';

/** How a call to a provider ended, as the audit record keeps it. */
export type CallOutcome = 'answered' | 'retryable' | 'indeterminate';

/** Why a call got no usable answer (absent when the provider answered). */
export type CallErrorKind = 'http_status' | 'timeout' | 'connection_refused' | 'network' | 'breaker_open' | 'rate_limited';

/**
 * One call to a provider, masked: no secret, card number, PIN/OTP or personal data in clear. The bodies are masked
 * and then cut to MAX_AUDIT_BODY_CHARS. Written for every `HttpClient.send`, whatever its outcome.
 */
export interface AuditRecord {
  readonly id: string;
  /** When the call started (ISO 8601). */
  readonly at: string;
  readonly provider: string;
  readonly operation: string;
  readonly method: string;
  /** The URL without credentials and with sensitive query values masked. */
  readonly url: string;
  /** From the start of the call to its end, retries and back-off included. */
  readonly latencyMs: number;
  /** Requests that reached the wire (0 when the breaker or the rate limit stopped the call). */
  readonly attempts: number;
  readonly outcome: CallOutcome;
  /** The last HTTP status received, if any. */
  readonly status?: number;
  readonly errorKind?: CallErrorKind;
  readonly requestBody?: string;
  readonly responseBody?: string;
  readonly orderId?: string;
  readonly paymentId?: string;
  readonly refundId?: string;
}

/** Where audit records go. `append` may fail; the client logs that and never fails the call for it. */
export interface AuditLog {
  append(record: AuditRecord): Promise<void>;
}

/** Longest body kept in a record, in characters (after masking). */
export const MAX_AUDIT_BODY_CHARS = 4_096;

const REDACTED = '[redacted]';

type FieldRule = 'secret' | 'card' | 'personal';

// Field names are compared lower-case without separators: `app_secret`, `X-App-Secret` and `appSecret` are one name.
const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const SECRET_PARTS = [
  'authorization', 'password', 'passwd', 'secret', 'token', 'apikey', 'privatekey', 'signature', 'sensitivedata',
  'credential', 'cookie', 'sessionid', 'securitycode', 'passcode',
];
const SECRET_ENDINGS = ['key', 'pin', 'otp', 'cvv', 'cvv2', 'cvc', 'sign'];
const NOT_SECRET = new Set(['idempotencykey']);
const CARD_PARTS = ['cardnumber', 'cardno', 'primaryaccountnumber'];
const PERSONAL_PARTS = ['phone', 'mobile', 'msisdn', 'email', 'address'];
const PERSONAL_ENDINGS = ['name'];

/** What a field of this name holds, judged by its name alone; `extra` names are secrets too. */
const ruleFor = (name: string, extra: ReadonlySet<string>): FieldRule | undefined => {
  const key = normalize(name);
  if (extra.has(key)) return 'secret';
  if (CARD_PARTS.some((part) => key.includes(part)) || key === 'pan') return 'card';
  if (!NOT_SECRET.has(key) && (SECRET_PARTS.some((part) => key.includes(part)) || SECRET_ENDINGS.some((end) => key.endsWith(end)))) {
    return 'secret';
  }
  if (PERSONAL_PARTS.some((part) => key.includes(part)) || PERSONAL_ENDINGS.some((end) => key.endsWith(end))) return 'personal';
  return undefined;
};

const maskCard = (digits: string) => `${'•'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;

const passesLuhn = (digits: string): boolean => {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
};

const EMAILS = /[^\s@"'<>,;:()[\]]+@[^\s@"'<>,;:()[\]]+\.[a-z]{2,}/gi;
const CARD_NUMBERS = /\b\d(?:[ -]?\d){12,18}\b/g;
// International numbers written with `+`, and Bangladeshi mobile numbers with or without the country code.
const PHONE_NUMBERS = /\+\d[\d ().-]{6,18}\d|\b(?:88)?01[3-9]\d{8}\b/g;

/** Masks personal data and card numbers found inside free text, whatever field they sit in. */
const scrubText = (text: string): string =>
  text
    .replace(EMAILS, (email) => maskPii(email))
    .replace(CARD_NUMBERS, (found) => {
      const digits = found.replace(/\D/g, '');
      return passesLuhn(digits) ? maskCard(digits) : found;
    })
    .replace(PHONE_NUMBERS, (phone) => maskPii(phone));

/** A value masked as its field's rule says; values of unknown fields are scrubbed for personal data and cards. */
const maskValue = (rule: FieldRule | undefined, value: string): string => {
  switch (rule) {
    case 'secret':
      return REDACTED;
    case 'card':
      return maskCard(value.replace(/\D/g, ''));
    case 'personal':
      return maskPii(value);
    default:
      return scrubText(value);
  }
};

const maskJson = (value: unknown, rule: FieldRule | undefined, extra: ReadonlySet<string>): unknown => {
  if (Array.isArray(value)) return value.map((item) => maskJson(item, rule, extra));
  if (value !== null && typeof value === 'object') {
    // Everything under a secret stays secret; any other field's own name decides first.
    const ruleOf = (key: string) => (rule === 'secret' ? rule : (ruleFor(key, extra) ?? rule));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskJson(item, ruleOf(key), extra)]));
  }
  if (typeof value === 'string') return maskValue(rule, value);
  if (typeof value === 'number') {
    const masked = maskValue(rule, String(value));
    return masked === String(value) ? value : masked;
  }
  return rule === 'secret' && value !== null ? REDACTED : value;
};

/** Percent-decodes, leaving malformed text as it is; in forms `+` is a space, in paths it is itself. */
const decode = (text: string, plusIsSpace = true): string => {
  try {
    return decodeURIComponent(plusIsSpace ? text.replace(/\+/g, ' ') : text);
  } catch {
    return text;
  }
};

const FORM = /^[^=&\s]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*$/;
// In text that is neither JSON nor a form: `<name>value</name>` elements (XML, SOAP) and `name=value` or
// `name: value` pairs.
const XML_LEAVES = /(<([\w:.-]+)[^>]*>)([^<]*)(<\/\2>)/g;
const TEXT_PAIRS = /([\w.-]+)(\s*[=:]\s*"?)((?:bearer\s+|basic\s+)?[^\s"&,;<]+)/gi;

const maskPairs = (text: string, extra: ReadonlySet<string>): string => {
  let masked = '';
  let copiedUpTo = 0;
  const pairs = new RegExp(TEXT_PAIRS);
  for (let pair = pairs.exec(text); pair; pair = pairs.exec(text)) {
    const [, name, separator, value] = pair;
    const rule = ruleFor(name, extra);
    if (rule) {
      masked += `${text.slice(copiedUpTo, pair.index)}${name}${separator}${maskValue(rule, value)}`;
      copiedUpTo = pairs.lastIndex;
    } else {
      // The value may itself be a pair (`error: token=…`): look again from its start.
      pairs.lastIndex = pair.index + name.length + separator.length;
    }
  }
  return masked + text.slice(copiedUpTo);
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const maskText = (text: string, extra: ReadonlySet<string>): string => {
  const json = parseJson(text);
  if (json !== undefined) return JSON.stringify(maskJson(json, undefined, extra));
  if (FORM.test(text)) {
    return text
      .split('&')
      .map((pair) => {
        const name = pair.slice(0, pair.indexOf('='));
        const value = pair.slice(name.length + 1);
        const decoded = decode(value);
        const masked = maskValue(ruleFor(decode(name), extra), decoded);
        return `${name}=${masked === decoded ? value : masked}`;
      })
      .join('&');
  }
  const elements = text.replace(XML_LEAVES, (whole: string, open: string, tag: string, content: string, close: string) => {
    const rule = ruleFor(tag.split(':').pop() ?? tag, extra);
    return rule ? `${open}${maskValue(rule, content)}${close}` : whole;
  });
  return scrubText(maskPairs(elements, extra));
};

const truncate = (text: string): string =>
  text.length <= MAX_AUDIT_BODY_CHARS ? text : `${text.slice(0, MAX_AUDIT_BODY_CHARS)}…[${text.length - MAX_AUDIT_BODY_CHARS} more chars]`;

/**
 * A request or response body as an audit record may keep it: JSON, form and free text (XML included) masked field by
 * field (secrets redacted, card numbers to their last 4 digits, personal data through `maskPii`), e-mail addresses,
 * phone and card numbers masked wherever else they appear, then cut to MAX_AUDIT_BODY_CHARS.
 * `sensitiveFields` names more fields to redact.
 */
export const maskBody = (body: string | Readonly<Record<string, unknown>> | undefined, sensitiveFields: readonly string[] = []): string | undefined => {
  if (body === undefined || body === '') return undefined;
  const extra = new Set(sensitiveFields.map(normalize));
  const masked = typeof body === 'string' ? maskText(body, extra) : JSON.stringify(maskJson(body, undefined, extra));
  return truncate(masked);
};

/** A URL as an audit record may keep it: no user info, sensitive query values masked, personal data in the path masked. */
export const maskUrl = (url: string, sensitiveFields: readonly string[] = []): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return scrubText(url.split('?')[0]);
  }
  const extra = new Set(sensitiveFields.map(normalize));
  const query = [...parsed.searchParams].map(([name, value]) => {
    const masked = maskValue(ruleFor(name, extra), value);
    return `${encodeURIComponent(name)}=${masked === value ? encodeURIComponent(value) : masked}`;
  });
  const path = scrubText(decode(parsed.pathname, false));
  return `${parsed.protocol}//${parsed.host}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
};
