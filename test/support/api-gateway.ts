import type { APIGatewayProxyEvent } from 'aws-lambda';

let requests = 0;

export interface ApiRequest {
  method?: string;
  path?: string;
  resource?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is (to test malformed bodies). */
  body?: unknown;
  apiKeyId?: string;
}

/** An API Gateway REST proxy event as the `/v1` stage delivers it; a new request id per call. */
export const anApiGatewayEvent = (request: ApiRequest = {}): APIGatewayProxyEvent => {
  requests += 1;
  const method = request.method ?? 'GET';
  const path = request.path ?? '/';
  return {
    httpMethod: method,
    path,
    resource: request.resource ?? path,
    headers: request.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: request.pathParameters ?? null,
    stageVariables: null,
    body: request.body === undefined ? null : typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: request.apiKeyId ?? null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '127.0.0.1',
        user: null,
        userAgent: 'jest',
        userArn: null,
      },
      path: `/v1${path}`,
      stage: 'v1',
      requestId: `api-request-${requests}`,
      requestTimeEpoch: 0,
      resourceId: 'resource',
      resourcePath: request.resource ?? path,
    },
  };
};
