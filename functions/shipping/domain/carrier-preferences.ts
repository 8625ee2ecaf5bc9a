import { RuleViolationError } from '../../_platform/errors';
import type { ShippingDeps } from './deps';
import { type CarrierPreference, defaultPreferences, isApiCarrier, type SellerCarrierPreferences } from './model';

/** The seller's carrier preferences, or the default ones when the seller set none (`isDefault`). */
export const getCarrierPreferences = async (
  deps: Pick<ShippingDeps, 'preferences'>,
  sellerId: string,
): Promise<SellerCarrierPreferences & { isDefault: boolean }> => {
  const stored = await deps.preferences.get(sellerId);
  return stored ? { ...stored, isDefault: false } : { ...defaultPreferences(sellerId), isDefault: true };
};

/**
 * Replaces the seller's carrier preferences. Throws RuleViolationError UNKNOWN_CARRIER when an `api` carrier has no
 * adapter here (a legacy carrier without an API is configured as `csv`).
 */
export const setCarrierPreferences = async (
  deps: Pick<ShippingDeps, 'preferences' | 'clock'>,
  sellerId: string,
  carriers: CarrierPreference[],
): Promise<SellerCarrierPreferences> => {
  const unknown = carriers.filter((each) => each.integration === 'api' && !isApiCarrier(each.carrier)).map((each) => each.carrier);
  if (unknown.length > 0) {
    throw new RuleViolationError('UNKNOWN_CARRIER', `no API adapter for ${unknown.join(', ')}; configure a legacy carrier as csv`, { carriers: unknown });
  }
  const preferences = { sellerId, carriers, updatedAt: deps.clock.now().toISOString() };
  await deps.preferences.put(preferences);
  return preferences;
};
