import { applyTracking } from './apply-tracking';
import type { ShippingDeps } from './deps';
import { API_CARRIER_IDS } from './model';
import { isTerminal } from './tracking';

const DAY_MS = 86_400_000;

export interface PollReport {
  checked: number;
  changed: number;
  failed: number;
}

/**
 * Backfill for lost webhooks: every API carrier's shipments booked in the last `pollLookbackDays` days that are not
 * final yet are tracked at the carrier and the answer applied like a webhook's. One parcel failing (a carrier down)
 * is counted and skipped; the next run tries again.
 */
export const pollTracking = async (deps: Pick<ShippingDeps, 'carriers' | 'shipments' | 'orders' | 'events' | 'clock' | 'settings' | 'log'>): Promise<PollReport> => {
  const report: PollReport = { checked: 0, changed: 0, failed: 0 };
  const today = deps.clock.now().getTime();
  for (const carrierId of API_CARRIER_IDS) {
    const carrier = deps.carriers.get(carrierId);
    if (!carrier) continue;
    for (let back = 0; back <= deps.settings.pollLookbackDays; back += 1) {
      const day = new Date(today - back * DAY_MS).toISOString().slice(0, 10);
      for (const shipment of await deps.shipments.listByCarrierAndDay(carrierId, day)) {
        if (isTerminal(shipment.status)) continue;
        report.checked += 1;
        try {
          const snapshot = await carrier.track(shipment, { orderId: shipment.orderId });
          const outcome = await applyTracking(deps, shipment, { ...snapshot, source: 'poll' });
          if (outcome.statusChanged) report.changed += 1;
        } catch (error) {
          report.failed += 1;
          deps.log.warn('tracking poll failed', { carrier: carrierId, shipmentId: shipment.shipmentId, error: String(error) });
        }
      }
    }
  }
  return report;
};
