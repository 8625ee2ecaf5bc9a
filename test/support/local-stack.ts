import { readFileSync } from 'node:fs';
import { Duration } from 'aws-cdk-lib';
import { ENVIRONMENTS, EnvironmentConfig } from '../../lib/config/environments';
import type { LocalEndpoints } from '../../local/runtime/runtime';

/**
 * The dev configuration with queue timings short enough to watch five redeliveries in a test. Everything else, and
 * the topology, is exactly what `npm start` and `cdk deploy -c env=dev` produce.
 */
export const INTEGRATION_CONFIG: EnvironmentConfig = {
  ...ENVIRONMENTS.dev,
  events: { ...ENVIRONMENTS.dev.events, consumerTimeout: Duration.seconds(3), visibilityTimeout: Duration.seconds(3) },
  payments: { refundStatusPollInterval: Duration.seconds(1) },
};

/** Where global setup writes the running stack's endpoints for the test files (they run in other processes). */
export const ENDPOINTS_FILE_ENV = 'COMMERCE_HUB_TEST_ENDPOINTS';

/** The running stack's endpoints, plus the provider simulators' URLs by provider id. */
export const localEndpoints = (): LocalEndpoints & { simulators: Record<string, string> } => {
  const file = process.env[ENDPOINTS_FILE_ENV];
  if (!file) throw new Error(`${ENDPOINTS_FILE_ENV} is not set: run integration tests through jest (global setup starts the stack)`);
  return JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints & { simulators: Record<string, string> };
};

/** The physical name/URL/ARN of a resource by its construct path (without the stack prefix `CommerceHub-dev-`). */
export const resource = (endpoints: LocalEndpoints, constructPath: string) => {
  const found = endpoints.resources[`CommerceHub-dev-${constructPath}`];
  if (!found) throw new Error(`No resource at ${constructPath}; known: ${Object.keys(endpoints.resources).join(', ')}`);
  return found;
};

/** SDK client settings for the local stack (the real clients, pointed at the local endpoint). */
export const awsClientConfig = (endpoints: LocalEndpoints, service: 'default' | 'dynamodb' = 'default') => ({
  endpoint: service === 'dynamodb' ? endpoints.aws.dynamodb : endpoints.aws.endpoint,
  region: endpoints.aws.region,
  credentials: { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey },
});

/** Polls until `probe` returns a value (not undefined) or the deadline passes. */
export const eventually = async <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000, intervalMs = 200): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

/**
 * Fires the scheduled rule whose name contains `nameFragment` now (the local scheduler's on-demand run) and answers
 * once its targets have returned.
 */
export const runScheduledRule = async (endpoints: LocalEndpoints, nameFragment: string): Promise<Response> => {
  const rules = (await (await fetch(`${endpoints.aws.endpoint}/_local/rules`)).json()) as Array<{ name: string }>;
  const rule = rules.find((candidate) => candidate.name.includes(nameFragment));
  if (!rule) throw new Error(`no scheduled rule named like ${nameFragment}; known: ${rules.map((r) => r.name).join(', ')}`);
  return fetch(`${endpoints.aws.endpoint}/_local/rules/${rule.name}/run`, { method: 'POST' });
};
