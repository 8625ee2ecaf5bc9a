import { type FieldIssue } from './errors';
import { type ApiHandler, buildHttpHandler, type HttpFn, type HttpResponse, jsonBodyOf } from './http-handler';
import { idempotentCalls } from './idempotency';
import type { IdempotencyStore } from './idempotency-store';
import { dynamoIdempotencyStore } from './idempotency-store.dynamo';
import type { RouteDefinition } from './openapi';

/** Lower-cased name of the header that makes a POST safe to repeat (API.md). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const VALID_KEY = /^[\x21-\x7E]{1,255}$/;

/** A stored answer stays replayable for a day, like the payment providers' own idempotency windows. */
export const HTTP_IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** The `Idempotency-Key` problem of a request, if any: missing, or not 1–255 visible ASCII characters. */
export const idempotencyKeyIssues = (headers: Readonly<Record<string, string>>): FieldIssue[] => {
  const key = headers[IDEMPOTENCY_KEY_HEADER];
  if (key === undefined) return [{ path: 'headers.Idempotency-Key', message: 'required on this route' }];
  if (!VALID_KEY.test(key)) return [{ path: 'headers.Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }];
  return [];
};

/**
 * What identifies a request: the key per caller (the API key id, so two stores cannot collide), and the part that
 * must match on a repeat (method, path, JSON body compared as data, so key order and whitespace do not matter).
 */
interface RequestFingerprint {
  key: { idempotencyKey: string; caller: string | null };
  request: { method: string; path: string; body: unknown };
}

const markReplayed = (response: HttpResponse): HttpResponse => ({
  ...response,
  headers: { ...response.headers, 'idempotent-replayed': 'true' },
});

/**
 * The factory for idempotent API routes (`idempotent: true`, the POSTs that create something), with the same
 * middleware order as `httpHandler`. After parsing, the handler function runs at most once per
 * `Idempotency-Key`: a repeat with the same body gets the first status and body (plus `idempotent-replayed: true`),
 * a different body gets 422 IDEMPOTENCY_KEY_REUSED, a repeat while the first runs gets 409 REQUEST_IN_PROGRESS,
 * and a request that throws leaves no record. A missing or malformed key is a 400 listed with the other fields.
 * `store` defaults to the DynamoDB table; tests pass an in-memory one.
 */
export const idempotentHttpHandler = <R extends RouteDefinition & { idempotent: true }>(
  route: R,
  fn: HttpFn<R>,
  store: IdempotencyStore = dynamoIdempotencyStore(),
): ApiHandler => {
  const once = idempotentCalls<RequestFingerprint, HttpResponse>(store, {
    scope: route.operationId,
    keyOf: (fingerprint) => fingerprint.key,
    validationOf: (fingerprint) => fingerprint.request,
    expiresAfterSeconds: HTTP_IDEMPOTENCY_TTL_SECONDS,
    onReplay: markReplayed,
  });
  return buildHttpHandler(
    route,
    (request, context, event) => {
      const fingerprint: RequestFingerprint = {
        key: { idempotencyKey: request.headers[IDEMPOTENCY_KEY_HEADER] ?? '', caller: event.requestContext?.identity?.apiKeyId ?? null },
        request: { method: event.httpMethod, path: event.path, body: jsonBodyOf(event) ?? null },
      };
      return once(fingerprint, context, () => fn(request, context));
    },
    idempotencyKeyIssues,
  );
};
