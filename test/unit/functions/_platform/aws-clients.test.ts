import { dynamoDbClient, sdkClientDefaults, secretsManagerClient, snsClient } from '../../../../functions/_platform/aws-clients';
import { documentClient } from '../../../../functions/_platform/document-client';

describe('SDK clients', () => {
  beforeAll(() => {
    process.env.AWS_REGION = 'us-east-1';
  });

  it('are created once per cold start', () => {
    expect(dynamoDbClient()).toBe(dynamoDbClient());
    expect(snsClient()).toBe(snsClient());
    expect(secretsManagerClient()).toBe(secretsManagerClient());
    expect(documentClient()).toBe(documentClient());
  });

  it('are configured for 3 attempts and timeouts that throw (1 s to connect, 3 s per request)', async () => {
    expect(await dynamoDbClient().config.maxAttempts()).toBe(3);
    expect(sdkClientDefaults.requestHandler).toEqual({ connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true });
  });

  it('leave the endpoint to the SDK, which reads AWS_ENDPOINT_URL_<SERVICE> (all that local mode changes)', () => {
    expect(sdkClientDefaults).not.toHaveProperty('endpoint');
    expect(dynamoDbClient().config.endpoint).toBeUndefined();
  });
});
