import type { Shipment } from '../../../../../functions/shipping/domain/model';
import { applyTrackingUpdate, movesForward, type TrackingUpdate } from '../../../../../functions/shipping/domain/tracking';

const aShipment = (overrides: Partial<Shipment> = {}): Shipment => ({
  shipmentId: 'shp_x_1', orderId: 'ord_x', sellerId: 's', serviceLevel: 'standard', parcel: { weightGrams: 500, dimensionsCm: { l: 1, w: 1, h: 1 } },
  carrier: 'ghn', integration: 'api', trackingNumber: 'T1', status: 'label_created', statusAt: '2030-01-01T00:00:00Z',
  estimatedDeliveryDate: '2030-01-05', promisedDeliveryDate: '2030-01-05', attemptedCarriers: ['ghn'],
  events: [{ at: '2030-01-01T00:00:00Z', status: 'label_created', carrierStatus: 'ready_to_pick', source: 'booking' }],
  version: 2, createdAt: '2030-01-01T00:00:00Z', updatedAt: '2030-01-01T00:00:00Z', ...overrides,
});
const update = (status: TrackingUpdate['status'], at: string, extra: Partial<TrackingUpdate> = {}): TrackingUpdate => ({ status, carrierStatus: status, at, source: 'webhook', ...extra });
const settings = { now: '2030-01-02T00:00:00Z', delayThresholdDays: 1 };

describe('tracking updates', () => {
  it('move a shipment forward, append one event and bump the version', () => {
    const outcome = applyTrackingUpdate(aShipment(), update('in_transit', '2030-01-02T00:00:00Z'), settings);
    expect(outcome.statusChanged).toEqual({ from: 'label_created', to: 'in_transit' });
    expect(outcome.shipment).toMatchObject({ status: 'in_transit', version: 3, statusAt: '2030-01-02T00:00:00Z' });
    expect(outcome.shipment.events.map((event) => event.status)).toEqual(['label_created', 'in_transit']);
  });

  it('never move backwards, never out of a final status, and ignore unknown codes', () => {
    const delivered = aShipment({ status: 'delivered', statusAt: '2030-01-04T00:00:00Z' });
    expect(applyTrackingUpdate(delivered, update('in_transit', '2030-01-05T00:00:00Z'), settings).shipment).toBe(delivered);
    const inTransit = aShipment({ status: 'in_transit' });
    expect(applyTrackingUpdate(inTransit, update('picked_up', '2030-01-05T00:00:00Z'), settings).shipment).toBe(inTransit);
    expect(applyTrackingUpdate(inTransit, update('unknown', '2030-01-05T00:00:00Z'), settings).shipment).toBe(inTransit);
  });

  it('end in the right status whatever order they arrive in', () => {
    const updates = [update('delivered', '2030-01-04T00:00:00Z'), update('picked_up', '2030-01-02T00:00:00Z'), update('out_for_delivery', '2030-01-03T00:00:00Z')];
    const final = updates.reduce((shipment, each) => applyTrackingUpdate(shipment, each, settings).shipment, aShipment());
    expect(final.status).toBe('delivered');
  });

  it('switch between equal ranks (a failed attempt, the next one out) only for a newer update', () => {
    expect(movesForward('delivery_failed', '2030-01-03T10:00:00Z', update('out_for_delivery', '2030-01-03T12:00:00Z'))).toBe(true);
    expect(movesForward('delivery_failed', '2030-01-03T10:00:00Z', update('out_for_delivery', '2030-01-03T08:00:00Z'))).toBe(false);
  });

  it('report a slipped estimate past the threshold once per date, and keep the first as the promise', () => {
    const slipped = applyTrackingUpdate(aShipment(), update('in_transit', '2030-01-02T00:00:00Z', { estimatedDeliveryDate: '2030-01-08' }), settings);
    expect(slipped.delayed).toEqual({ promised: '2030-01-05', estimated: '2030-01-08' });
    expect(slipped.shipment).toMatchObject({ promisedDeliveryDate: '2030-01-05', estimatedDeliveryDate: '2030-01-08', delayNotifiedFor: '2030-01-08' });
    const again = applyTrackingUpdate(slipped.shipment, update('out_for_delivery', '2030-01-07T00:00:00Z', { estimatedDeliveryDate: '2030-01-08' }), settings);
    expect(again.delayed).toBeUndefined();
    const within = applyTrackingUpdate(aShipment(), update('in_transit', '2030-01-02T00:00:00Z', { estimatedDeliveryDate: '2030-01-06' }), settings);
    expect(within.delayed).toBeUndefined();
  });
});
