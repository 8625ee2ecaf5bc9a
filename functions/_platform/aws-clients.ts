import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';

/**
 * Settings every SDK client shares. The SDK's HTTP handler has no request timeout by default (a hung call waits for
 * the Lambda timeout) and, in this @smithy/node-http-handler, only warns when `requestTimeout` passes unless
 * `throwOnRequestTimeout` is set. These fail a hung call fast enough for the SDK's own retries (3 attempts, with
 * backoff) to help. Endpoints are never set here: the SDK reads AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>,
 * which is all local mode changes.
 */
export const sdkClientDefaults = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
};

// One client per service per cold start, created on first use; the SDK packages are side-effect free, so a bundle
// carries only the clients its handler calls. (lib-dynamodb is not, hence `document-client.ts`.)
let dynamoDb: DynamoDBClient | undefined;
let sns: SNSClient | undefined;
let secretsManager: SecretsManagerClient | undefined;
let sesv2: SESv2Client | undefined;

/** The DynamoDB client of this cold start. */
export function dynamoDbClient(): DynamoDBClient {
  return (dynamoDb ??= new DynamoDBClient(sdkClientDefaults));
}

/** The SNS client of this cold start. */
export function snsClient(): SNSClient {
  return (sns ??= new SNSClient(sdkClientDefaults));
}

/** The Secrets Manager client of this cold start. */
export function secretsManagerClient(): SecretsManagerClient {
  return (secretsManager ??= new SecretsManagerClient(sdkClientDefaults));
}

/** The SES v2 client of this cold start. */
export function sesv2Client(): SESv2Client {
  return (sesv2 ??= new SESv2Client(sdkClientDefaults));
}
