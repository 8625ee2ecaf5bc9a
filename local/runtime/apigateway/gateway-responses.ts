/**
 * API Gateway's gateway responses: the answers the gateway itself gives (missing route, bad key, throttled,
 * integration failure …), with the API's customizations (AWS::ApiGateway::GatewayResponse) applied the way AWS
 * applies them: a specific type first, then DEFAULT_4XX / DEFAULT_5XX by status class, then AWS's defaults.
 */

/** Default status of each gateway response type (AWS "Gateway response types" table). */
const DEFAULT_STATUS = {
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  QUOTA_EXCEEDED: 429,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  THROTTLED: 429,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WAF_FILTERED: 403,
} as const;

export type GatewayResponseType = keyof typeof DEFAULT_STATUS | 'DEFAULT_4XX' | 'DEFAULT_5XX';

/** One AWS::ApiGateway::GatewayResponse of the API. */
export interface GatewayResponseDefinition {
  responseType: string;
  statusCode?: string;
  responseTemplates?: Record<string, string>;
  responseParameters?: Record<string, string>;
}

/** A request the gateway answers itself; `errorType` becomes the x-amzn-ErrorType header. */
export class GatewayError extends Error {
  constructor(
    readonly responseType: GatewayResponseType,
    message: string,
    readonly errorType?: string,
    /** Only for DEFAULT_4XX/5XX, which have no status of their own (a Lambda failure is a 502). */
    readonly defaultStatus?: number,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** API Gateway's answer when a Lambda proxy integration fails or returns a malformed response: 502. */
export function integrationFailure(): GatewayError {
  return new GatewayError('DEFAULT_5XX', 'Internal server error', 'InternalServerErrorException', 502);
}

/** What templates and response parameters can refer to. */
export interface GatewayResponseRequest {
  /** $context variables without the `context.` prefix: requestId, extendedRequestId, stage, identity.sourceIp … */
  context: Record<string, string | number>;
  /** Request headers with lowercase names. */
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  pathParameters: Record<string, string>;
}

export interface RenderedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

function statusOf(error: GatewayError): number {
  if (error.responseType === 'DEFAULT_4XX' || error.responseType === 'DEFAULT_5XX') {
    return error.defaultStatus ?? (error.responseType === 'DEFAULT_4XX' ? 400 : 500);
  }
  return DEFAULT_STATUS[error.responseType];
}

function findCustomization(error: GatewayError, definitions: readonly GatewayResponseDefinition[], status: number) {
  const byType = (type: string) => definitions.find((d) => d.responseType === type);
  return byType(error.responseType) ?? byType(status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
}

/** Renders `$context.x.y` / `${context.x.y}` references; unknown ones stay as written, as in VTL (`$!` → empty). */
function renderTemplate(template: string, context: Record<string, string | number>): string {
  return template.replace(
    /\$(!?)\{context\.([\w.]+?)\}|\$(!?)context\.(\w+(?:\.\w+)*)/g,
    (whole, quietBraced: string, braced: string | undefined, quiet: string, plain: string | undefined) => {
      const name = (braced ?? plain) as string;
      const value = context[name];
      if (value !== undefined) return String(value);
      return quietBraced || quiet ? '' : whole;
    },
  );
}

/** Resolves a responseParameters value: `'static'`, method.request.header|querystring|path.X or context.X. */
function resolveParameter(source: string, request: GatewayResponseRequest): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const [, kind, name] = /^method\.request\.(header|multivalueheader|querystring|path)\.(.+)$/.exec(source) ?? [];
  if (kind === 'header' || kind === 'multivalueheader') {
    const value = request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(',') : value;
  }
  if (kind === 'querystring') return request.query[name];
  if (kind === 'path') return request.pathParameters[name];
  const contextValue = /^context\.(.+)$/.exec(source);
  return contextValue ? request.context[contextValue[1]]?.toString() : undefined;
}

/** Builds the gateway's own response for `error`, applying the API's gateway responses. */
export function renderGatewayResponse(
  error: GatewayError,
  definitions: readonly GatewayResponseDefinition[],
  request: GatewayResponseRequest,
): RenderedResponse {
  const defaultStatus = statusOf(error);
  const custom = findCustomization(error, definitions, defaultStatus);
  const statusCode = custom?.statusCode ? Number(custom.statusCode) : defaultStatus;
  const templates = custom?.responseTemplates ?? {};
  const contentType = 'application/json' in templates ? 'application/json' : (Object.keys(templates)[0] ?? 'application/json');
  const template = templates[contentType] ?? DEFAULT_TEMPLATE;
  const context = {
    ...request.context,
    'error.message': error.message,
    'error.messageString': JSON.stringify(error.message),
    'error.responseType': error.responseType,
    'error.validationErrorString': '',
  };
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (error.errorType) headers['x-amzn-ErrorType'] = error.errorType;
  for (const [target, source] of Object.entries(custom?.responseParameters ?? {})) {
    const header = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
    const value = header ? resolveParameter(source, { ...request, context }) : undefined;
    if (header && value !== undefined) headers[header] = value;
  }
  return { statusCode, headers, body: renderTemplate(template, context) };
}
