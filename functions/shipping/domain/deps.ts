import type { Clock } from '../../_platform/clock';
import type { EventPublisher } from '../../_platform/events';
import type { ShippingServiceLevel } from '../../checkout/domain/model';
import type { OrderRepository, ProductCatalog } from '../../checkout/domain/ports';
import type { CarrierPreferenceRepository, CarrierRegistry, ShipmentRepository, ShippingLog } from './ports';

/** Tunables of the shipping capability (from config). */
export interface ShippingSettings {
  /** A delivery estimate later than the first one by more than this publishes `shipment.delayed`. */
  readonly delayThresholdDays: number;
  /** How long a quote waits for the carriers; a later answer is left out and the quote is marked degraded. */
  readonly quoteDeadlineMs: number;
  /** How many days back polling looks for shipments that are still on their way. */
  readonly pollLookbackDays: number;
}

/** What shipping's use cases need; each takes the part it uses. */
export interface ShippingDeps {
  carriers: CarrierRegistry;
  shipments: ShipmentRepository;
  preferences: CarrierPreferenceRepository;
  orders: OrderRepository;
  catalog: ProductCatalog;
  events: EventPublisher;
  clock: Clock;
  settings: ShippingSettings;
  log: ShippingLog;
}

/** Whether the registry has `carrier` and it delivers to `country` at the level (a CSV carrier is the seller's own call). */
export const servesWith =
  (carriers: CarrierRegistry) =>
  (carrier: string, country: string, serviceLevel: ShippingServiceLevel): boolean =>
    carriers.get(carrier)?.serves(country, serviceLevel) ?? false;
