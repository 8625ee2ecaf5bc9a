import * as z from 'zod/mini';
import { systemClock } from '../../_platform/clock';
import { loadConfig } from '../../_platform/config';
import { httpHandler } from '../../_platform/http-handler';
import { dynamoIntegrationMonitor } from '../adapters/integration-monitor.dynamo';
import { integrationHealth } from '../domain/integration-health';
import { getIntegrationHealthRoute } from '../routes';

const config = loadConfig(z.object({
  INTEGRATION_STATE_TABLE: z.string().check(z.minLength(1)),
  AUDIT_TABLE: z.string().check(z.minLength(1)),
  /** Comma-separated provider ids to report on. */
  PROVIDER_IDS: z.string().check(z.minLength(1)),
}));
const deps = { monitor: dynamoIntegrationMonitor({ integrationState: config.INTEGRATION_STATE_TABLE, audit: config.AUDIT_TABLE }, systemClock), clock: systemClock };
const providers = config.PROVIDER_IDS.split(',').map((id) => id.trim()).filter(Boolean);

export const handler = httpHandler(getIntegrationHealthRoute, async () => ({
  status: 200,
  headers: { 'cache-control': 'no-store' },
  body: await integrationHealth(deps, providers),
}));
