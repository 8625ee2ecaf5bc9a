import { RuleViolationError } from '../../_platform/errors';
import { SHIPPING_SERVICE_LEVELS, type ShippingServiceLevel } from '../../checkout/domain/model';
import { type ShippingDeps, servesWith } from './deps';
import { type Destination, defaultPreferences, eligibleCarriers, isApiCarrier, parcelOf } from './model';
import type { Carrier, CarrierRate } from './ports';

export interface QuoteRequest {
  destination: Destination;
  items: ReadonlyArray<{ sku: string; quantity: number }>;
  /** Both levels when absent. */
  serviceLevel?: ShippingServiceLevel;
}

export interface SellerRate extends CarrierRate {
  sellerId: string;
}

/** A carrier that did not answer in time or failed: the quote is partial. */
export interface MissingRate {
  sellerId: string;
  carrier: string;
  serviceLevel: ShippingServiceLevel;
  reason: 'deadline' | 'unavailable' | 'rejected';
}

export interface Quote {
  rates: SellerRate[];
  /** True when some eligible carrier is missing from `rates` (listed in `missing`). */
  degraded: boolean;
  missing: MissingRate[];
}

const DEADLINE = Symbol('deadline');

/** The promise's value, or DEADLINE when it has not settled after `ms` (its work goes on; its answer is dropped). */
const withinDeadline = <T>(work: Promise<T>, ms: number): Promise<T | typeof DEADLINE> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof DEADLINE>((resolve) => {
    timer = setTimeout(() => resolve(DEADLINE), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
};

/**
 * Rates for the items to `destination` from every carrier eligible for each seller of the items (its preferences, or
 * the default), asked in parallel; what has not answered within `quoteDeadlineMs` (or failed) is left out and the
 * quote is marked degraded rather than failing. A parcel per seller, as orders ship. Throws RuleViolationError
 * UNKNOWN_SKU for a SKU the catalog does not have.
 */
export const quoteShipping = async (deps: Pick<ShippingDeps, 'carriers' | 'preferences' | 'catalog' | 'settings' | 'log'>, request: QuoteRequest): Promise<Quote> => {
  const products = new Map((await deps.catalog.getMany(request.items.map((item) => item.sku))).map((product) => [product.sku, product]));
  const unknown = request.items.filter((item) => !products.has(item.sku)).map((item) => item.sku);
  if (unknown.length > 0) throw new RuleViolationError('UNKNOWN_SKU', `not in the catalog: ${unknown.join(', ')}`, { skus: unknown });

  const bySeller = new Map<string, Array<{ quantity: number; weightGrams: number; dimensionsCm: { l: number; w: number; h: number } }>>();
  for (const item of request.items) {
    const product = products.get(item.sku)!;
    bySeller.set(product.sellerId, [...(bySeller.get(product.sellerId) ?? []), { ...product, quantity: item.quantity }]);
  }
  const levels = request.serviceLevel ? [request.serviceLevel] : [...SHIPPING_SERVICE_LEVELS];
  const asks: Array<{ sellerId: string; carrier: Carrier; serviceLevel: ShippingServiceLevel; answer: Promise<CarrierRate | typeof DEADLINE> }> = [];
  for (const [sellerId, items] of bySeller) {
    const preferences = (await deps.preferences.get(sellerId)) ?? defaultPreferences(sellerId);
    const parcel = parcelOf(items);
    for (const serviceLevel of levels) {
      for (const preference of eligibleCarriers(preferences, { country: request.destination.country, serviceLevel }, servesWith(deps.carriers))) {
        const carrier = isApiCarrier(preference.carrier) ? deps.carriers.get(preference.carrier) : undefined;
        if (!carrier) continue;
        const answer = carrier.quote({ destination: request.destination, parcel, serviceLevel }, { timeoutMs: deps.settings.quoteDeadlineMs });
        asks.push({ sellerId, carrier, serviceLevel, answer: withinDeadline(answer, deps.settings.quoteDeadlineMs) });
      }
    }
  }
  const settled = await Promise.allSettled(asks.map((ask) => ask.answer));
  const rates: SellerRate[] = [];
  const missing: MissingRate[] = [];
  settled.forEach((result, index) => {
    const { sellerId, carrier, serviceLevel } = asks[index];
    if (result.status === 'fulfilled' && result.value !== DEADLINE) {
      rates.push({ ...result.value, sellerId });
      return;
    }
    const reason = result.status === 'fulfilled' ? 'deadline' : (result.reason as { code?: string }).code === 'PROVIDER_REJECTED' ? 'rejected' : 'unavailable';
    if (result.status === 'rejected') deps.log.warn('carrier quote failed', { carrier: carrier.id, error: String(result.reason) });
    missing.push({ sellerId, carrier: carrier.id, serviceLevel, reason });
  });
  rates.sort((a, b) => a.sellerId.localeCompare(b.sellerId) || a.amount.value - b.amount.value);
  return { rates, degraded: missing.length > 0, missing };
};
