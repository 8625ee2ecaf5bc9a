import * as z from 'zod/mini';
import { logger } from '../../_platform/observability';
import { taskHandler } from '../../_platform/task-handler';
import { weeklySummaryDeps } from '../adapters/deps';
import { sendWeeklySummaries, WEEK_LABEL } from '../domain/seller-performance';

const deps = weeklySummaryDeps();

/**
 * Scheduled (EventBridge rule, Monday 09:00 Dhaka): last week's summary to every seller who sold, and milestone
 * congratulations. `{"week": "2026-W09"}` as the input runs a named week (a catch-up). Throws when some seller could
 * not be written to, so the asynchronous invocation is retried; the retry sends nothing twice.
 */
export const handler = taskHandler(z.object({ week: z.optional(z.string().check(z.regex(WEEK_LABEL))) }), async (input) => {
  const report = await sendWeeklySummaries(deps, input);
  logger.info('weekly seller summaries', { ...report, failed: report.failed.length });
  if (report.failed.length > 0) throw new Error(`weekly summaries failed for ${report.failed.length} sellers: ${report.failed.map((f) => `${f.sellerId} (${f.reason})`).join(', ')}`);
  return report;
});
