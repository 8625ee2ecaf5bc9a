import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secretsManagerClient } from './aws-clients';

/** Secrets are re-read at most this often, so rotated credentials arrive without a redeploy. */
const SECRET_MAX_AGE_MS = 300_000;

/**
 * Reads JSON secrets through GetSecretValue and keeps each for SECRET_MAX_AGE_MS: what Powertools Parameters'
 * getSecret does, in a few lines instead of its provider layer (every payment function is within a few KB of its
 * bundle budget). Shared by the payment gateways, the carriers and the messaging channels.
 */
export const cachedJsonSecrets = () => {
  const cache = new Map<string, { value: unknown; until: number }>();
  const client = secretsManagerClient();
  return async (arn: string): Promise<unknown> => {
    const hit = cache.get(arn);
    if (hit && hit.until > Date.now()) return hit.value;
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const value: unknown = JSON.parse(SecretString ?? '{}');
    cache.set(arn, { value, until: Date.now() + SECRET_MAX_AGE_MS });
    return value;
  };
};
