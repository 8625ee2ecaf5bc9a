import * as z from 'zod/mini';
import { dynamoDbClient, secretsManagerClient, snsClient } from '../../_platform/aws-clients';
import { systemClock } from '../../_platform/clock';
import { jsonEnv, loadConfig } from '../../_platform/config';
import { httpHandler } from '../../_platform/http-handler';
import { logger } from '../../_platform/observability';
import { dependencyProbes, healthDependenciesSchema } from '../adapters/dependency-probes.aws';
import { checkHealth } from '../domain/check-health';
import { getHealthRoute } from '../routes';

const config = loadConfig(z.object({ HEALTH_DEPENDENCIES: jsonEnv(healthDependenciesSchema) }));
const probes = dependencyProbes(config.HEALTH_DEPENDENCIES, {
  dynamoDb: dynamoDbClient(),
  sns: snsClient(),
  secretsManager: secretsManagerClient(),
});

export const handler = httpHandler(getHealthRoute, async () => {
  const report = await checkHealth({ probes, clock: systemClock, deadlineMs: 2_000 });
  const failing = report.dependencies.filter((dependency) => dependency.status === 'error');
  if (failing.length > 0) logger.warn('dependencies unhealthy', { failing });
  return { status: report.status === 'ok' ? 200 : 503, body: report, headers: { 'cache-control': 'no-store' } };
});
