import type { Shipment, ShipmentStatus, TrackingSource } from './model';

/** What a carrier says about a parcel now (webhook, poll or CSV row), already normalised. */
export interface TrackingUpdate {
  status: ShipmentStatus;
  carrierStatus: string;
  /** When the carrier says it happened (ISO 8601). */
  at: string;
  estimatedDeliveryDate?: string;
  description?: string;
  source: TrackingSource;
}

/** The shipment after an update, and what changed (for events). */
export interface TrackingOutcome {
  shipment: Shipment;
  /** Set when the status moved. */
  statusChanged?: { from: ShipmentStatus; to: ShipmentStatus };
  /** Set when the estimate slipped past the threshold for a date not reported yet. */
  delayed?: { promised: string; estimated: string };
}

const TERMINAL: ReadonlySet<ShipmentStatus> = new Set(['delivered', 'returned', 'cancelled']);

/**
 * How far along a parcel is. A status only replaces one of a lower rank; statuses of equal rank (a failed attempt,
 * the next attempt out for delivery, an exception) replace each other only when the update is newer.
 */
const RANK: Readonly<Record<ShipmentStatus, number>> = {
  unknown: -1,
  label_created: 0,
  picked_up: 1,
  in_transit: 2,
  out_for_delivery: 3,
  delivery_failed: 3,
  exception: 3,
  returning: 4,
  delivered: 5,
  returned: 5,
  cancelled: 5,
};

export const isTerminal = (status: ShipmentStatus): boolean => TERMINAL.has(status);

/** Whether `update` moves a shipment that is at `current` (set at `currentAt`). Never backwards, never out of a final status. */
export const movesForward = (current: ShipmentStatus, currentAt: string, update: Pick<TrackingUpdate, 'status' | 'at'>): boolean => {
  if (update.status === 'unknown' || update.status === current || isTerminal(current)) return false;
  const from = RANK[current];
  const to = RANK[update.status];
  return to > from || (to === from && Date.parse(update.at) > Date.parse(currentAt));
};

const DAY_MS = 86_400_000;

/**
 * Applies a carrier's update to a booked shipment (pure): the status moves only forward (`movesForward`), with one
 * event appended; a new delivery estimate is kept while the parcel is on its way, and one later than the first
 * estimate by more than `delayThresholdDays` is reported once per date. Returns the same object when nothing changed.
 */
export const applyTrackingUpdate = (
  shipment: Shipment,
  update: TrackingUpdate,
  { now, delayThresholdDays }: { now: string; delayThresholdDays: number },
): TrackingOutcome => {
  const moves = movesForward(shipment.status, shipment.statusAt, update);
  const estimate = !isTerminal(shipment.status) && update.estimatedDeliveryDate !== shipment.estimatedDeliveryDate ? update.estimatedDeliveryDate : undefined;
  if (!moves && estimate === undefined) return { shipment };

  let next: Shipment = { ...shipment, version: shipment.version + 1, updatedAt: now };
  let statusChanged: TrackingOutcome['statusChanged'];
  if (moves) {
    next = {
      ...next,
      status: update.status,
      statusAt: update.at,
      events: [
        ...shipment.events,
        {
          at: update.at,
          status: update.status,
          carrierStatus: update.carrierStatus,
          source: update.source,
          ...(update.description !== undefined && { description: update.description }),
        },
      ],
    };
    statusChanged = { from: shipment.status, to: update.status };
  }
  let delayed: TrackingOutcome['delayed'];
  if (estimate !== undefined) {
    const promised = shipment.promisedDeliveryDate ?? estimate;
    next = { ...next, estimatedDeliveryDate: estimate, promisedDeliveryDate: promised };
    const slipMs = Date.parse(estimate) - Date.parse(promised);
    if (slipMs > delayThresholdDays * DAY_MS && shipment.delayNotifiedFor !== estimate) {
      next = { ...next, delayNotifiedFor: estimate };
      delayed = { promised, estimated: estimate };
    }
  }
  return { shipment: next, ...(statusChanged && { statusChanged }), ...(delayed && { delayed }) };
};
