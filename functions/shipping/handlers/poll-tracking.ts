import * as z from 'zod/mini';
import { logger } from '../../_platform/observability';
import { taskHandler } from '../../_platform/task-handler';
import { shippingDeps } from '../adapters/deps';
import { pollTracking } from '../domain/poll-tracking';

const deps = shippingDeps();

/** Scheduled (EventBridge rule): tracks every open shipment at its carrier, the backfill for lost webhooks. */
export const handler = taskHandler(z.object({ 'detail-type': z.optional(z.string()) }), async () => {
  const report = await pollTracking(deps);
  logger.info('tracking polled', { ...report });
  return report;
});
