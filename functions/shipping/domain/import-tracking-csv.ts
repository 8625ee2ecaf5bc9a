import * as z from 'zod/mini';
import { ValidationError } from '../../_platform/errors';
import { applyTracking } from './apply-tracking';
import { parseCsv } from './csv';
import type { ShippingDeps } from './deps';
import { SHIPMENT_STATUSES, type ShipmentStatus } from './model';

/** Columns a tracking CSV must have (any order; more are ignored). */
export const TRACKING_CSV_COLUMNS = ['tracking_number', 'status', 'occurred_at'] as const;
/** Columns it may have. */
export const OPTIONAL_TRACKING_CSV_COLUMNS = ['description', 'estimated_delivery_date'] as const;

export interface ImportReport {
  applied: Array<{ line: number; trackingNumber: string; status: ShipmentStatus; changed: boolean }>;
  rejected: Array<{ line: number; reason: string }>;
}

const MAX_ROWS = 5_000;

const rowSchema = z.object({
  tracking_number: z.string().check(z.minLength(1, 'tracking_number is empty')),
  status: z.enum(SHIPMENT_STATUSES, `status must be one of ${SHIPMENT_STATUSES.join(', ')}`),
  occurred_at: z.iso.datetime({ offset: true, message: 'occurred_at must be an ISO 8601 date-time with a zone' }),
  description: z.optional(z.string().check(z.maxLength(500))),
  estimated_delivery_date: z.optional(z.iso.date('estimated_delivery_date must be YYYY-MM-DD')),
});

/**
 * Imports a legacy carrier's tracking CSV (header row, then one update per row), row by row: a row is applied when
 * it is well-formed and names a shipment booked with this carrier; every other row is reported with its line and
 * why, and does not stop the others. Updates go through applyTracking, so an old row never moves a shipment back.
 * Throws ValidationError when the file itself is unusable (not CSV, missing columns, too many rows).
 */
export const importTrackingCsv = async (
  deps: Pick<ShippingDeps, 'shipments' | 'orders' | 'events' | 'clock' | 'settings' | 'log'>,
  carrier: string,
  text: string,
): Promise<ImportReport> => {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    throw new ValidationError('the body is not CSV', [{ path: 'body', message: (error as Error).message }]);
  }
  const [header, ...rows] = records;
  const columns = header?.fields.map((name) => name.trim().toLowerCase()) ?? [];
  const missing = TRACKING_CSV_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) throw new ValidationError('the CSV lacks columns', missing.map((name) => ({ path: `body.header.${name}`, message: 'missing column' })));
  if (rows.length > MAX_ROWS) throw new ValidationError(`at most ${MAX_ROWS} rows per file`, [{ path: 'body', message: `${rows.length} rows` }]);

  const report: ImportReport = { applied: [], rejected: [] };
  for (const { line, fields } of rows) {
    const raw = Object.fromEntries(
      columns.map((name, index) => [name, fields[index]?.trim()]).filter(([, value]) => value !== undefined && value !== ''),
    );
    const parsed = z.safeParse(rowSchema, raw);
    if (!parsed.success) {
      report.rejected.push({ line, reason: parsed.error.issues.map((issue) => issue.message).join('; ') });
      continue;
    }
    const row = parsed.data;
    const shipment = await deps.shipments.findByTrackingNumber(carrier, row.tracking_number);
    if (!shipment) {
      report.rejected.push({ line, reason: `no ${carrier} shipment with tracking number ${row.tracking_number}` });
      continue;
    }
    const outcome = await applyTracking(deps, shipment, {
      status: row.status,
      carrierStatus: row.status,
      at: row.occurred_at,
      source: 'csv',
      ...(row.description !== undefined && { description: row.description }),
      ...(row.estimated_delivery_date !== undefined && { estimatedDeliveryDate: row.estimated_delivery_date }),
    });
    report.applied.push({ line, trackingNumber: row.tracking_number, status: row.status, changed: outcome.statusChanged !== undefined });
  }
  return report;
};
