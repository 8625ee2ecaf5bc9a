import * as z from 'zod/mini';
import { loadConfig } from '../../_platform/config';
import { documentClient } from '../../_platform/document-client';
import { dynamoAuditLog } from '../../_platform/audit-log.dynamo';
import { dynamoCircuitBreakerStore } from '../../_platform/circuit-breaker-store.dynamo';
import type { HttpClient } from '../../_platform/http-client';
import { cachedJsonSecrets } from '../../_platform/json-secrets';
import { createHttpClient } from '../../_platform/resilient-http-client';
import type { GatewayId } from '../domain/ports';
import { GATEWAY_IDS, type GatewayRegistry, paymentGatewayRegistry } from '../gateways/registry';
import { instanceCachedTokens } from '../../_platform/token-cache';
import { dynamoTokenCache } from '../../_platform/token-cache.dynamo';

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
  /** A gateway's secret as JSON, cached a few minutes (`cachedJsonSecrets`). */
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
  const registry = paymentGatewayRegistry({ enabled, http, tokens: instanceCachedTokens(dynamoTokenCache(documentClient(), config.INTEGRATION_STATE_TABLE)), secretOf });
  return { registry, http, secretOf };
};

/** The payment gateways of this deployment (gatewayAccessFromConfig without the client and secrets). */
export const gatewayRegistryFromConfig = (wiring: GatewayWiring = {}): GatewayRegistry => gatewayAccessFromConfig(wiring).registry;
