import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The parts of an incoming request that a Signature Version 4 signature covers. */
export interface SignedRequest {
  method: string;
  /** Path and query exactly as they arrived on the wire (still percent-encoded). */
  rawPath: string;
  rawQuery: string;
  /** From IncomingMessage.rawHeaders: alternating names and values. */
  rawHeaders: readonly string[];
  body: Buffer;
}

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignatureCheckOptions {
  region: string;
  service: string;
  now?: Date;
}

/** Why a request was not authenticated; `errorType` is what AWS puts in x-amzn-ErrorType. */
export class SignatureError extends Error {
  constructor(
    readonly reason: 'missing' | 'incomplete' | 'unknown-key' | 'expired' | 'mismatch',
    message: string,
    readonly errorType: string,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS rejects a signed request whose time is more than 5 minutes away from its own clock. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Removes empty and dot segments, then URI-encodes the (already encoded) path once more, as SigV4 does for non-S3 services. */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(rawQuery: string): string {
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [escapeUri(safeDecode(key)), escapeUri(safeDecode(value))] as const;
    })
    .sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : va > vb ? 1 : 0) : ka < kb ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    values.set(name, [...(values.get(name) ?? []), rawHeaders[i + 1]]);
  }
  return values;
}

function parseAuthorization(header: string): { accessKeyId: string; scope: string[]; signedHeaders: string[]; signature: string } {
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!header.startsWith(`${ALGORITHM} `) || !credential || !signedHeaders || !signature) {
    throw new SignatureError(
      'incomplete',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters with algorithm ${ALGORITHM}.`,
      'IncompleteSignatureException',
    );
  }
  const [accessKeyId, ...scope] = credential.split('/');
  return { accessKeyId, scope, signedHeaders: signedHeaders.split(';'), signature };
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

const amzDate = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Verifies the SigV4 `Authorization` header of a request against the one set of credentials the local runtime
 * knows (none: every key is unknown). Returns the caller's access key id; throws SignatureError with AWS's message when the request is not
 * signed, signed for another key/region/service, too old, or altered after signing (path, query, signed headers
 * or body).
 */
export function verifySigV4(
  request: SignedRequest,
  credentials: SigningCredentials | undefined,
  options: SignatureCheckOptions,
): string {
  const headers = headerValues(request.rawHeaders);
  const authorization = headers.get('authorization')?.[0];
  if (!authorization) throw new SignatureError('missing', 'Missing Authentication Token', 'MissingAuthenticationTokenException');
  const auth = parseAuthorization(authorization);

  if (!credentials || auth.accessKeyId !== credentials.accessKeyId) {
    throw new SignatureError('unknown-key', 'The security token included in the request is invalid.', 'AccessDeniedException');
  }
  const [shortDate, region, service, terminator] = auth.scope;
  if (terminator !== 'aws4_request' || region !== options.region || service !== options.service) {
    throw new SignatureError(
      'incomplete',
      `Credential should be scoped to a valid region and to service '${options.service}'.`,
      'InvalidSignatureException',
    );
  }
  const dateHeader = headers.get('x-amz-date')?.[0];
  const signedAt = dateHeader ? parseAmzDate(dateHeader) : undefined;
  if (!dateHeader || !signedAt || !auth.signedHeaders.includes('host') || dateHeader.slice(0, 8) !== shortDate) {
    throw new SignatureError(
      'incomplete',
      "Authorization header requires existence of a 'X-Amz-Date' header matching its credential scope, and a signed 'host' header.",
      'IncompleteSignatureException',
    );
  }
  const now = options.now ?? new Date();
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new SignatureError(
      'expired',
      `Signature expired: ${dateHeader} is now earlier than ${amzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${amzDate(now)} - 5 min.)`,
      'InvalidSignatureException',
    );
  }

  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${(headers.get(name) ?? []).map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`)
    .join('');
  // The payload hash is always recomputed from the body, so a body changed after signing cannot pass.
  const canonicalRequest = [
    request.method,
    canonicalPath(request.rawPath),
    canonicalQuery(request.rawQuery),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    sha256Hex(request.body),
  ].join('\n');
  const scope = auth.scope.join('/');
  const stringToSign = [ALGORITHM, dateHeader, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, shortDate);
  for (const part of [region, service, terminator]) key = hmac(key, part);
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  const given = Buffer.from(auth.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new SignatureError(
      'mismatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      'InvalidSignatureException',
    );
  }
  return auth.accessKeyId;
}
