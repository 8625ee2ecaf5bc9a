import type { Clock } from '../../../functions/_platform/clock';
import type { DomainEvent } from '../../../functions/_platform/events';
import type { IdGenerator } from '../../../functions/_platform/ids';
import type { PaymentMethod, Product, StockLine } from '../../../functions/checkout/domain/model';
import type { PlaceOrder, PlaceOrderDeps } from '../../../functions/checkout/domain/place-order';
import type { IncidentReporter } from '../../../functions/checkout/domain/ports';
import type { PaymentGateway } from '../../../functions/payments/domain/ports';
import { InMemoryCatalog, InMemoryStockLedger } from './catalog';
import { InMemoryEventPublisher } from './events';
import { InMemoryOrders } from './orders';
import { InMemorySagaStarter } from './payment-saga';
import { FakePaymentGateway } from './payment-gateway';

export const NOW = new Date('2026-03-01T10:00:00.000Z');
export const PUBLIC_API_URL = 'https://api.shop.test/v1';

/** A catalog product (a BDT price of 1,200.00 and 10 in stock unless overridden). */
export const aProduct = (overrides: Partial<Product> = {}): Product => ({
  sku: 'TSHIRT-RED-M',
  title: 'T-shirt, red, M',
  sellerId: 'seller-dhaka-1',
  prices: [{ value: 120000, currency: 'BDT' }],
  stock: 10,
  weightGrams: 250,
  dimensionsCm: { l: 30, w: 20, h: 3 },
  ...overrides,
});

/** The body of API.md's checkout example. */
export const aCheckoutBody = () => ({
  buyer: {
    name: 'Rahim Uddin',
    email: 'rahim@example.com',
    phone: '+8801712345678',
    address: { line1: 'House 12, Road 5', city: 'Dhaka', postalCode: '1207', country: 'BD' },
  },
  items: [{ sku: 'TSHIRT-RED-M', quantity: 2 }],
  payment: { method: 'bkash' as PaymentMethod, returnUrl: 'https://shop.example/return' },
  shipping: { serviceLevel: 'standard' as const },
});

/** A store's checkout command for `placeOrder`. */
export const aPlaceOrder = (overrides: Partial<PlaceOrder> = {}): PlaceOrder => ({ caller: 'store', ...aCheckoutBody(), ...overrides });

/** Ids `<prefix>_000…0n`, counting up: predictable and valid (26 characters after the prefix). */
export const sequentialIds = (): IdGenerator => {
  let count = 0;
  return { next: (prefix) => `${prefix}_${String((count += 1)).padStart(26, '0')}` };
};

export const fixedClock: Clock = { now: () => NOW };

/** An IncidentReporter that keeps what it was told. */
export class RecordingIncidents implements IncidentReporter {
  readonly eventsNotPublished: DomainEvent[] = [];
  readonly linesNotReleased: StockLine[] = [];

  eventNotPublished(event: DomainEvent): void {
    this.eventsNotPublished.push(event);
  }

  stockNotReleased(line: StockLine): void {
    this.linesNotReleased.push(line);
  }
}

/** Every port of placeOrder in memory, with bKash enabled; the pieces are returned for arranging and asserting. */
export const inMemoryCheckout = (products: Product[] = [aProduct()]) => {
  const catalog = new InMemoryCatalog(products);
  const stock = new InMemoryStockLedger(catalog);
  const orders = new InMemoryOrders();
  const sagas = new InMemorySagaStarter();
  const gateway = new FakePaymentGateway('bkash');
  const events = new InMemoryEventPublisher();
  const incidents = new RecordingIncidents();
  const gateways = new Map<PaymentMethod, PaymentGateway>([['bkash', gateway]]);
  const deps: PlaceOrderDeps = {
    catalog,
    stock,
    gateways: { get: (method) => gateways.get(method) },
    sagas,
    orders,
    events,
    incidents,
    clock: fixedClock,
    ids: sequentialIds(),
    settings: { publicApiUrl: PUBLIC_API_URL, sessionLifetimeSeconds: { bkash: 900, nagad: 600 } },
  };
  return { deps, catalog, stock, orders, sagas, gateway, gateways, events, incidents };
};
