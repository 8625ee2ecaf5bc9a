import { fromProviderSecret } from '../../_platform/provider-secret';
import type { Clock } from '../../_platform/clock';
import type { HttpClient } from '../../_platform/http-client';
import type { TokenCache } from '../../_platform/token-cache';
import { API_CARRIER_IDS, type ApiCarrierId } from '../domain/model';
import type { Carrier, CarrierRegistry } from '../domain/ports';
import { createEasyPostCarrier, easypostConfig, easypostServes } from './easypost';
import { createGhnCarrier, ghnConfig, ghnServes } from './ghn';
import { createPathaoCarrier, pathaoConfig, pathaoServes } from './pathao';
import { createSteadfastCarrier, steadfastConfig, steadfastServes } from './steadfast';

/** What building an adapter needs besides its own config. */
interface CarrierContext {
  readonly http: HttpClient;
  readonly tokens: TokenCache;
  readonly clock: Clock;
}

/** One line per carrier. */
const factories = {
  ghn: fromProviderSecret('ghn', ghnConfig, (config, { http, clock }: CarrierContext) => createGhnCarrier(config, http, clock)),
  pathao: fromProviderSecret('pathao', pathaoConfig, (config, { http, tokens, clock }: CarrierContext) => createPathaoCarrier(config, http, tokens, clock)),
  steadfast: fromProviderSecret('steadfast', steadfastConfig, (config, { http, clock }: CarrierContext) => createSteadfastCarrier(config, http, clock)),
  easypost: fromProviderSecret('easypost', easypostConfig, (config, { http, clock }: CarrierContext) => createEasyPostCarrier(config, http, clock)),
} satisfies Record<ApiCarrierId, (secret: unknown, context: CarrierContext) => Carrier>;

/** Which countries and levels each carrier serves, known without its secret (quotes and failover filter on it). */
const SERVES: Readonly<Record<ApiCarrierId, Carrier['serves']>> = { ghn: ghnServes, pathao: pathaoServes, steadfast: steadfastServes, easypost: easypostServes };

export interface CarrierRegistryOptions extends CarrierContext {
  readonly enabled: readonly ApiCarrierId[];
  /** Reads a carrier's secret (base URL and credentials) as JSON; expected to cache. */
  readonly secretOf: (carrier: ApiCarrierId) => Promise<unknown>;
}

/** A carrier whose adapter is built from its current secret on first use, and rebuilt when the secret changes. */
const lazyCarrier = (id: ApiCarrierId, options: CarrierRegistryOptions): Carrier => {
  let built: { secretJson: string; carrier: Carrier } | undefined;
  const current = async (): Promise<Carrier> => {
    const secret = await options.secretOf(id);
    const secretJson = JSON.stringify(secret);
    if (built?.secretJson !== secretJson) built = { secretJson, carrier: factories[id](secret, options) };
    return built.carrier;
  };
  return {
    id,
    serves: SERVES[id],
    quote: async (request, callOptions) => (await current()).quote(request, callOptions),
    book: async (request, callOptions) => (await current()).book(request, callOptions),
    findBooking: async (reference, callOptions) => (await current()).findBooking(reference, callOptions),
    cancel: async (shipment, callOptions) => (await current()).cancel(shipment, callOptions),
    track: async (shipment, callOptions) => (await current()).track(shipment, callOptions),
    readWebhook: async (request) => (await current()).readWebhook(request),
    webhookReply: (notice) => {
      if (!built) throw new Error(`${id}: webhookReply before readWebhook`);
      return built.carrier.webhookReply(notice);
    },
  };
};

/** The enabled carriers by id. */
export const carrierRegistry = (options: CarrierRegistryOptions): CarrierRegistry => {
  const carriers = new Map(options.enabled.filter((id) => API_CARRIER_IDS.includes(id)).map((id) => [id as string, lazyCarrier(id, options)]));
  return { get: (carrier) => carriers.get(carrier) };
};
