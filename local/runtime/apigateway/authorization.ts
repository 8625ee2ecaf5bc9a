import type { APIGatewayEventIdentity } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../contracts';
import { GatewayError } from './gateway-responses';
import type { RestApiRoute } from './routes';
import { SignatureError, verifySigV4, type SignedRequest, type SigningCredentials } from './sigv4';

export interface Caller {
  identity: Partial<APIGatewayEventIdentity>;
  authorizer: Record<string, unknown> | null;
}

function fromSignatureError(err: SignatureError): GatewayError {
  if (err.reason === 'missing') return new GatewayError('MISSING_AUTHENTICATION_TOKEN', err.message, err.errorType);
  if (err.reason === 'unknown-key') return new GatewayError('ACCESS_DENIED', err.message, err.errorType);
  return new GatewayError('INVALID_SIGNATURE', err.message, err.errorType);
}

/** The claims of a JWT, read without verifying it; undefined when the token is not a JWT. */
function readJwtClaims(token: string): Record<string, string> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (typeof claims !== 'object' || claims === null) return undefined;
    // API Gateway hands authorizer claims to the function as strings.
    return Object.fromEntries(
      Object.entries(claims).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
    );
  } catch {
    return undefined;
  }
}

/**
 * Authenticates a request for a method's authorizationType. AWS_IAM verifies the SigV4 signature against the
 * local credentials. COGNITO_USER_POOLS and CUSTOM require an Authorization header and pass the token's JWT claims
 * on without verifying them: locally there is no user pool and no authorizer function to ask.
 */
export function authenticate(
  route: RestApiRoute,
  request: SignedRequest,
  iamCredentials: SigningCredentials | undefined,
): Caller {
  if (route.authorizationType === 'AWS_IAM') {
    try {
      const accessKeyId = verifySigV4(request, iamCredentials, { region: LOCAL_REGION, service: 'execute-api' });
      return {
        identity: {
          accessKey: accessKeyId,
          accountId: LOCAL_ACCOUNT_ID,
          caller: accessKeyId,
          user: accessKeyId,
          userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local`,
        },
        authorizer: null,
      };
    } catch (err) {
      if (err instanceof SignatureError) throw fromSignatureError(err);
      throw err;
    }
  }
  if (route.authorizationType === 'NONE') return { identity: {}, authorizer: null };

  let token: string | undefined;
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i].toLowerCase() === 'authorization') token = request.rawHeaders[i + 1].replace(/^Bearer\s+/i, '');
  }
  if (!token) throw new GatewayError('UNAUTHORIZED', 'Unauthorized', 'UnauthorizedException');
  const claims = readJwtClaims(token);
  if (route.authorizationType === 'COGNITO_USER_POOLS') {
    if (!claims) throw new GatewayError('UNAUTHORIZED', 'Unauthorized', 'UnauthorizedException');
    return { identity: {}, authorizer: { claims } };
  }
  return { identity: {}, authorizer: { principalId: claims?.sub ?? 'local', integrationLatency: 0, ...claims } };
}
