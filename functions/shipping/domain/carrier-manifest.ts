import type { ShippingDeps } from './deps';
import { toCsv } from './csv';

/** Columns of a manifest, in order. */
export const MANIFEST_COLUMNS = [
  'tracking_number', 'order_id', 'service_level', 'recipient_name', 'recipient_phone', 'address', 'city', 'postal_code',
  'country', 'weight_grams', 'length_cm', 'width_cm', 'height_cm', 'cod_amount', 'currency', 'booked_at',
] as const;

/**
 * The day's manifest of a carrier (YYYY-MM-DD, UTC): one row per shipment booked with it that day, with what the
 * courier needs to pick up and deliver (recipient from the order). Built on request; the tracking number is our
 * shipment id, printed on the label, and the key of the carrier's tracking CSV.
 */
export const carrierManifest = async (deps: Pick<ShippingDeps, 'shipments' | 'orders'>, carrier: string, day: string): Promise<{ csv: string; rows: number }> => {
  const shipments = await deps.shipments.listByCarrierAndDay(carrier, day);
  const rows: Array<Array<string | number>> = [[...MANIFEST_COLUMNS]];
  for (const shipment of shipments.sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const order = (await deps.orders.get(shipment.orderId))?.order;
    if (!order) continue;
    const { buyer } = order;
    const { l, w, h } = shipment.parcel.dimensionsCm;
    rows.push([
      shipment.trackingNumber, shipment.orderId, shipment.serviceLevel, buyer.name, buyer.phone, buyer.address.line1, buyer.address.city,
      buyer.address.postalCode, buyer.address.country, shipment.parcel.weightGrams, l, w, h, 0, order.amount.currency, shipment.events[0]?.at ?? shipment.createdAt,
    ]);
  }
  return { csv: toCsv(rows), rows: rows.length - 1 };
};
