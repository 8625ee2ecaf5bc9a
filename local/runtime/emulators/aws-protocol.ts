/**
 * Wire helpers shared by the AWS emulators: the error type services throw, and writers for the awsJson
 * (SQS, Step Functions, Secrets Manager) and awsQuery/XML (SNS) response shapes the SDK v3 parses.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface AwsServiceErrorOptions {
  /** HTTP status; 400 unless given. */
  statusCode?: number;
  /**
   * The awsQuery error code when it differs from `code`: SQS answers `x-amzn-query-error:
   * AWS.SimpleQueueService.NonExistentQueue;Sender` for the `QueueDoesNotExist` shape, and SNS puts `NotFound` in
   * `<Code>` for the `NotFoundException` shape.
   */
  queryCode?: string;
}

/** An error the client is meant to see; the service that throws it renders it in its own protocol. */
export class AwsServiceError extends Error {
  readonly statusCode: number;
  readonly queryCode: string;

  constructor(
    readonly code: string,
    message: string,
    options: AwsServiceErrorOptions = {},
  ) {
    super(message);
    this.name = 'AwsServiceError';
    this.statusCode = options.statusCode ?? 400;
    this.queryCode = options.queryCode ?? code;
  }

  /** `Sender` for 4xx, `Receiver` for 5xx, as in awsQuery `<Type>` and the query-compat header. */
  get fault(): 'Sender' | 'Receiver' {
    return this.statusCode >= 500 ? 'Receiver' : 'Sender';
  }
}

/** The action named by an awsJson `X-Amz-Target: <prefix>.<Action>` header, or undefined for another service. */
export function targetAction(req: IncomingMessage, prefix: string): string | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(`${prefix}.`)) return undefined;
  return target.slice(prefix.length + 1);
}

/** Parses an awsJson request body (the SDK sends `{}` for empty input); malformed JSON is a client error. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsServiceError('SerializationException', 'Request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsServiceError('SerializationException', 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Writes an awsJson success response. */
export function writeAwsJson(res: ServerResponse, contentType: string, body: unknown, statusCode = 200): void {
  const payload = JSON.stringify(body ?? {});
  res.writeHead(statusCode, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(payload);
}

export interface AwsJsonErrorStyle {
  /** `application/x-amz-json-1.0` or `-1.1`. */
  contentType: string;
  /** Smithy namespace prefixed to `__type` (`com.amazonaws.sqs`); omit for services that send the bare name. */
  namespace?: string;
  /** awsQueryCompatible services (SQS) also send `x-amzn-query-error: <queryCode>;<Sender|Receiver>`. */
  queryCompatible?: boolean;
}

/** Writes an awsJson error: `{"__type": "...", "message": "..."}` plus the headers the SDK reads the code from. */
export function writeAwsJsonError(res: ServerResponse, error: AwsServiceError, style: AwsJsonErrorStyle): void {
  const type = style.namespace ? `${style.namespace}#${error.code}` : error.code;
  const payload = JSON.stringify({ __type: type, message: error.message });
  const headers: Record<string, string | number> = {
    'content-type': style.contentType,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  };
  if (style.queryCompatible) headers['x-amzn-query-error'] = `${error.queryCode};${error.fault}`;
  res.writeHead(error.statusCode, headers);
  res.end(payload);
}

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#xD;');
}

/** Writes an XML document (awsQuery responses). */
function writeXml(res: ServerResponse, xml: string, statusCode = 200): void {
  const payload = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
  res.writeHead(statusCode, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(payload);
}

/**
 * Writes an awsQuery success document: `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result>
 * <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Action}Response>`.
 */
export function writeQueryResult(res: ServerResponse, namespace: string, action: string, resultXml: string): void {
  writeXml(
    res,
    `<${action}Response xmlns="${namespace}"><${action}Result>${resultXml}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

/** Writes an awsQuery error document: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. */
export function writeQueryError(res: ServerResponse, namespace: string, error: AwsServiceError): void {
  writeXml(
    res,
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.fault}</Type>` +
      `<Code>${escapeXml(error.queryCode)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
      `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    error.statusCode,
  );
}

/** One awsJson action: the request's JSON members in, the response's out. `signal` aborts when the client leaves. */
export type AwsJsonAction = (params: Record<string, unknown>, signal: AbortSignal) => unknown;

export interface AwsJsonService {
  /** The X-Amz-Target prefix (`AmazonSQS`, `secretsmanager` …). */
  readonly targetPrefix: string;
  readonly errorStyle: AwsJsonErrorStyle;
  readonly actions: Readonly<Record<string, AwsJsonAction>>;
  /** The service's own error for an action it does not implement. */
  readonly unsupported: (action: string) => AwsServiceError;
}

/**
 * Answers one awsJson request: runs the action its X-Amz-Target names and writes the result, or the service's error
 * for an AwsServiceError. Anything else propagates, and the shared endpoint answers 500.
 */
export async function serveAwsJsonAction(req: IncomingMessage, body: Buffer, res: ServerResponse, service: AwsJsonService): Promise<void> {
  const action = targetAction(req, service.targetPrefix) ?? '';
  try {
    const run = service.actions[action];
    if (!run) throw service.unsupported(action);
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    writeAwsJson(res, service.errorStyle.contentType, await run(parseJsonBody(body), abort.signal));
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    writeAwsJsonError(res, error, service.errorStyle);
  }
}
