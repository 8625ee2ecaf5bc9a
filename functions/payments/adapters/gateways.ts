import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { secretsManagerClient } from '../../_platform/aws-clients';
import { loadConfig } from '../../_platform/config';
import { documentClient } from '../../_platform/document-client';
import { dynamoAuditLog } from '../../_platform/audit-log.dynamo';
import { dynamoCircuitBreakerStore } from '../../_platform/circuit-breaker-store.dynamo';
import type { HttpClient } from '../../_platform/http-client';
import { createHttpClient } from '../../_platform/resilient-http-client';
import type { GatewayId } from '../domain/ports';
import { GATEWAY_IDS, type GatewayRegistry, paymentGatewayRegistry } from '../gateways/registry';
import { dynamoTokenCache } from './token-cache.dynamo';

/** Secrets are re-read at most this often, so rotated credentials arrive without a redeploy. */
const SECRET_MAX_AGE_MS = 300_000;

/**
 * Reads JSON secrets through GetSecretValue and keeps each for SECRET_MAX_AGE_MS: what Powertools Parameters'
 * getSecret does, in a few lines instead of its provider layer (every payment function is within a few KB of its
 * bundle budget).
 */
const cachedJsonSecrets = () => {
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

const gatewayConfigSchema = () =>
  z.object({
    PAYMENT_GATEWAYS: z.pipe(z.string(), z.transform((raw: string) => raw.split(',').map((id) => id.trim()).filter((id) => id.length > 0))),
    /** `{"bkash": "<secret arn>", …}`: one Secrets Manager secret per gateway (base URL and credentials). */
    PAYMENT_GATEWAY_SECRETS: z.pipe(z.string(), z.transform((raw: string) => JSON.parse(raw) as Record<string, string>)),
    INTEGRATION_STATE_TABLE: z.string().check(z.minLength(1)),
    AUDIT_TABLE: z.string().check(z.minLength(1)),
  });

export interface GatewayWiring {
  /** Retries of safe calls inside one invocation; Step Functions tasks pass 0 and let the state machine retry. */
  readonly maxRetries?: number;
}

/** The gateways of this deployment, with the client and secrets they use (a webhook verifier shares both). */
export interface GatewayAccess {
  readonly registry: GatewayRegistry;
  /** The resilient client: breaker state in INTEGRATION_STATE_TABLE, audit records in AUDIT_TABLE. */
  readonly http: HttpClient;
  /** A gateway's secret as JSON, cached for SECRET_MAX_AGE_MS. */
  readonly secretOf: (gateway: GatewayId) => Promise<unknown>;
}

/**
 * The payment gateways of this deployment, each behind the resilient client (breaker state in
 * INTEGRATION_STATE_TABLE, audit records in AUDIT_TABLE) with its bKash-style tokens cached across instances.
 * Call once per cold start; nothing is fetched until a gateway is used.
 */
export const gatewayAccessFromConfig = (wiring: GatewayWiring = {}): GatewayAccess => {
  const config = loadConfig(gatewayConfigSchema());
  const enabled = config.PAYMENT_GATEWAYS.filter((id): id is GatewayId => (GATEWAY_IDS as string[]).includes(id));
  const http = createHttpClient({
    breakers: dynamoCircuitBreakerStore(config.INTEGRATION_STATE_TABLE),
    audit: dynamoAuditLog(config.AUDIT_TABLE),
    maxRetries: wiring.maxRetries,
  });
  const secretValue = cachedJsonSecrets();
  const secretOf = async (gateway: GatewayId): Promise<unknown> => {
    const arn = config.PAYMENT_GATEWAY_SECRETS[gateway];
    if (!arn) throw new Error(`no secret configured for the ${gateway} gateway (PAYMENT_GATEWAY_SECRETS)`);
    return secretValue(arn);
  };
  const registry = paymentGatewayRegistry({ enabled, http, tokens: dynamoTokenCache(documentClient(), config.INTEGRATION_STATE_TABLE), secretOf });
  return { registry, http, secretOf };
};

/** The payment gateways of this deployment (gatewayAccessFromConfig without the client and secrets). */
export const gatewayRegistryFromConfig = (wiring: GatewayWiring = {}): GatewayRegistry => gatewayAccessFromConfig(wiring).registry;
