import { buildHttpHandler } from '../../_platform/http-handler';
import { trackingDeps } from '../adapters/deps';
import { importTrackingCsv } from '../domain/import-tracking-csv';
import { rawBodyOf } from '../raw-http';
import { importTrackingCsvRoute } from '../routes';

const deps = trackingDeps();

/** POST /v1/shipping/tracking-imports/{carrier} (text/csv): a report of applied and rejected rows. */
export const handler = buildHttpHandler(importTrackingCsvRoute, async ({ params }, _context, event) => ({
  status: 200,
  body: await importTrackingCsv(deps, params.carrier, rawBodyOf(event)),
}));
