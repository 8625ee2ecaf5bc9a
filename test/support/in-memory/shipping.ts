import { ConcurrentUpdateError, ProviderRetryableError } from '../../../functions/_platform/errors';
import { money } from '../../../functions/_platform/money';
import { type BookedShipment, isBooked, type SellerCarrierPreferences, type Shipment } from '../../../functions/shipping/domain/model';
import type { ApiCarrierId } from '../../../functions/shipping/domain/model';
import type { Booking, BookingRequest, CancelOutcome, Carrier, CarrierPreferenceRepository, CarrierRegistry, ShipmentRepository } from '../../../functions/shipping/domain/ports';
import { createOrder, markPaid } from '../../../functions/checkout/domain/order';
import { InMemoryEventPublisher } from './events';
import { InMemoryOrders } from './orders';

const copy = <T>(value: T): T => structuredClone(value);

/** ShipmentRepository in memory, with the DynamoDB adapter's conditions. */
export class InMemoryShipments implements ShipmentRepository {
  readonly items = new Map<string, Shipment>();

  async listByOrder(orderId: string) {
    return [...this.items.values()].filter((each) => each.orderId === orderId).map(copy);
  }
  async get(_orderId: string, shipmentId: string) {
    const found = this.items.get(shipmentId);
    return found && copy(found);
  }
  async findByTrackingNumber(carrier: string, trackingNumber: string) {
    const found = [...this.items.values()].find((each) => each.carrier === carrier && each.trackingNumber === trackingNumber);
    return found && isBooked(found) ? copy(found) : undefined;
  }
  async listByCarrierAndDay(carrier: string, day: string) {
    return [...this.items.values()].filter((each): each is BookedShipment => isBooked(each) && each.carrier === carrier && (each.events[0]?.at ?? '').startsWith(day)).map(copy);
  }
  async claim(shipment: Shipment) {
    if (this.items.has(shipment.shipmentId)) return false;
    this.items.set(shipment.shipmentId, copy(shipment));
    return true;
  }
  async save(shipment: Shipment) {
    if (this.items.get(shipment.shipmentId)?.version !== shipment.version - 1) throw new ConcurrentUpdateError(`shipment ${shipment.shipmentId} changed`);
    this.items.set(shipment.shipmentId, copy(shipment));
  }
}

export class InMemoryCarrierPreferences implements CarrierPreferenceRepository {
  readonly items = new Map<string, SellerCarrierPreferences>();
  async get(sellerId: string) {
    return this.items.get(sellerId);
  }
  async put(preferences: SellerCarrierPreferences) {
    this.items.set(preferences.sellerId, copy(preferences));
  }
}

/**
 * A scriptable Carrier: books parcels in memory; `failNext` makes the next book throw; `quoteDelayMs` slows quotes.
 * Counts every book call (`bookCalls`). Cancels parcels (`cancelled`, every call counted in `cancelCalls`) unless
 * `cancelFailure` is set (thrown) or `cancelSupported` is false.
 */
export class FakeCarrier implements Carrier {
  readonly bookings = new Map<string, Booking>();
  bookCalls = 0;
  failNext: Error | undefined;
  quoteDelayMs = 0;
  /** When set, book applies and then throws it (an answer lost after the carrier booked). */
  loseAnswer: Error | undefined;
  readonly cancelled = new Set<string>();
  cancelCalls = 0;
  cancelFailure: Error | undefined;
  cancelSupported = true;

  constructor(readonly id: ApiCarrierId, private readonly countries: string[] = ['BD']) {}

  serves(country: string) {
    return this.countries.includes(country);
  }
  async quote(request: Parameters<Carrier['quote']>[0]) {
    if (this.quoteDelayMs) await new Promise((resolve) => setTimeout(resolve, this.quoteDelayMs));
    if (this.failNext) throw this.failNext;
    return { carrier: this.id, serviceLevel: request.serviceLevel, amount: money(6_000 + request.parcel.weightGrams, 'BDT'), estimatedDeliveryDate: '2030-01-03' };
  }
  async book(request: BookingRequest) {
    this.bookCalls += 1;
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    const booking: Booking = { trackingNumber: `${this.id.toUpperCase()}-${this.bookings.size + 1}`, status: 'label_created', carrierStatus: 'created', estimatedDeliveryDate: '2030-01-03' };
    this.bookings.set(request.reference, booking);
    if (this.loseAnswer) {
      const lost = this.loseAnswer;
      this.loseAnswer = undefined;
      throw lost;
    }
    return booking;
  }
  async findBooking(reference: string) {
    return this.bookings.get(reference);
  }
  async cancel(shipment: { trackingNumber: string }): Promise<CancelOutcome> {
    this.cancelCalls += 1;
    if (!this.cancelSupported) return { kind: 'unsupported', reason: `${this.id} has no cancel API` };
    if (this.cancelFailure) throw this.cancelFailure;
    this.cancelled.add(shipment.trackingNumber);
    return { kind: 'cancelled', carrierStatus: 'cancelled', at: '2030-01-01T01:00:00.000Z' };
  }
  async track(): Promise<never> {
    throw new ProviderRetryableError(this.id, 'not scripted');
  }
  async readWebhook(): Promise<never> {
    throw new ProviderRetryableError(this.id, 'not scripted');
  }
  webhookReply() {
    return { status: 200 };
  }
}

export const registryOf = (...carriers: Carrier[]): CarrierRegistry => {
  const byId = new Map(carriers.map((carrier) => [carrier.id as string, carrier]));
  return { get: (carrier) => byId.get(carrier) };
};

export const ORDER_ID = 'ord_01hzzzzzzzzzzzzzzzzzzzzzzz';

/**
 * Shipping's deps in memory around one paid order (ORDER_ID, Dhaka) of two sellers (seller-a: 500 g, seller-b: 2 x
 * 200 g), with two fake carriers (Pathao and Steadfast, both serving BD) and default preferences.
 */
export const aShippingWorld = async () => {
  const clock = { now: () => new Date('2030-01-01T00:00:00Z') };
  const pathao = new FakeCarrier('pathao');
  const steadfast = new FakeCarrier('steadfast');
  const orders = new InMemoryOrders();
  const placed = createOrder({
    orderId: ORDER_ID,
    buyer: { name: 'Rahim', email: 'r@example.com', phone: '+8801712345678', address: { line1: 'House 1', city: 'Dhaka', postalCode: '1205', country: 'BD' } },
    items: [
      { sku: 'A', title: 'Tee', sellerId: 'seller-b', quantity: 2, unitPrice: money(100, 'BDT'), weightGrams: 200, dimensionsCm: { l: 30, w: 20, h: 2 } },
      { sku: 'B', title: 'Tea', sellerId: 'seller-a', quantity: 1, unitPrice: money(100, 'BDT'), weightGrams: 500, dimensionsCm: { l: 20, w: 10, h: 8 } },
    ],
    amount: money(300, 'BDT'),
    shipping: { serviceLevel: 'standard' },
    paymentMethod: 'bkash',
  }, clock.now().toISOString());
  await orders.create(markPaid(placed, { paymentId: placed.currentPaymentId, at: clock.now().toISOString() }));
  const logged: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void logged.push({ level, message, fields });
  const deps = {
    carriers: registryOf(pathao, steadfast),
    shipments: new InMemoryShipments(),
    preferences: new InMemoryCarrierPreferences(),
    orders,
    events: new InMemoryEventPublisher(),
    clock,
    settings: { delayThresholdDays: 1, quoteDeadlineMs: 50, pollLookbackDays: 14 },
    log: { info: at('info'), warn: at('warn'), error: at('error') },
  };
  return { deps, pathao, steadfast, logged };
};
