import { NotFoundError, UnauthorizedError } from '../../_platform/errors';
import { applyTracking } from './apply-tracking';
import type { ShippingDeps } from './deps';
import { type BookedShipment, isBooked, orderIdOfShipment } from './model';
import type { ParcelRef, ShipmentRepository, WebhookReply, WebhookRequest } from './ports';

/** Our booked shipment at `carrier` that a webhook names, by tracking number or by our reference. */
const findShipment = async (shipments: ShipmentRepository, carrier: string, parcel: ParcelRef): Promise<BookedShipment | undefined> => {
  if ('trackingNumber' in parcel) return shipments.findByTrackingNumber(carrier, parcel.trackingNumber);
  const orderId = orderIdOfShipment(parcel.reference);
  const shipment = orderId ? await shipments.get(orderId, parcel.reference) : undefined;
  return shipment && isBooked(shipment) && shipment.carrier === carrier ? shipment : undefined;
};

/**
 * A carrier's tracking webhook (`/v1/webhooks/<carrier>`), verified before anything changes:
 * 1. the carrier's own scheme (EasyPost HMAC over the body, Steadfast's bearer token, Pathao's shared header; GHN
 *    has none): a failure is UnauthorizedError (401), nothing written;
 * 2. the parcel must be one of ours (else 401: a forged or misrouted call);
 * 3. an unsigned body is only a hint: the parcel is re-fetched from the carrier and that answer is applied;
 * 4. the update goes through applyTracking (never backwards; a repeat changes nothing).
 * Resolves with the reply the carrier expects.
 */
export const receiveTrackingWebhook = async (
  deps: Pick<ShippingDeps, 'carriers' | 'shipments' | 'orders' | 'events' | 'clock' | 'settings' | 'log'>,
  carrierId: string,
  request: WebhookRequest,
): Promise<WebhookReply> => {
  const carrier = deps.carriers.get(carrierId);
  if (!carrier) throw new NotFoundError(`no carrier ${carrierId} here`);
  const notice = await carrier.readWebhook(request);
  if (notice.kind !== 'tracking') return carrier.webhookReply(notice);
  const shipment = await findShipment(deps.shipments, carrier.id, notice.parcel);
  if (!shipment) throw new UnauthorizedError(`${carrier.id} webhook about a parcel that is not ours`);
  const snapshot = notice.snapshot ?? (await carrier.track(shipment, { orderId: shipment.orderId }));
  if (snapshot.trackingNumber !== shipment.trackingNumber) throw new UnauthorizedError(`${carrier.id} webhook names another parcel than it signs`);
  await applyTracking(deps, shipment, { ...snapshot, source: 'webhook' });
  return carrier.webhookReply(notice);
};
