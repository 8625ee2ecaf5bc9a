import { fromProviderSecret } from '../../_platform/provider-secret';
import type { HttpClient } from '../../_platform/http-client';
import type { GatewayId, PaymentGateway } from '../domain/ports';
import { bkashConfig, createBkashGateway, parseBkashReturn } from './bkash';
import { createNagadGateway, nagadConfig, parseNagadReturn } from './nagad';
import type { TokenCache } from '../../_platform/token-cache';

/** What building an adapter needs besides its own config. */
interface GatewayContext {
  readonly http: HttpClient;
  readonly tokens: TokenCache;
}

interface GatewayEntry {
  /** Builds the adapter from its secret, whose shape is checked first (medusa's validateOptions). */
  readonly create: (secret: unknown, context: GatewayContext) => PaymentGateway;
  /** Reads the buyer's return, which needs no credentials. */
  readonly parseReturn: PaymentGateway['parseReturn'];
}

/** One line per gateway. */
const factories = {
  bkash: { create: fromProviderSecret('bkash', bkashConfig, (config, { http, tokens }: GatewayContext) => createBkashGateway(config, http, tokens)), parseReturn: parseBkashReturn },
  nagad: { create: fromProviderSecret('nagad', nagadConfig, (config, { http }: GatewayContext) => createNagadGateway(config, http)), parseReturn: parseNagadReturn },
} satisfies Record<GatewayId, GatewayEntry>;

export const GATEWAY_IDS = Object.keys(factories) as GatewayId[];

export interface GatewayRegistry {
  /** The enabled gateway for a payment method, or undefined when the method is not configured here. */
  get(method: string): PaymentGateway | undefined;
}

export interface GatewayRegistryOptions extends GatewayContext {
  /** Gateways switched on for this deployment (PAYMENT_GATEWAYS). */
  readonly enabled: readonly GatewayId[];
  /**
   * Reads a gateway's secret (base URL and credentials) as JSON. Called on every use and expected to cache
   * (Powertools getSecret with a max age), so a rotated credential is picked up without a redeploy.
   */
  readonly secretOf: (gateway: GatewayId) => Promise<unknown>;
}

/** A gateway whose adapter is built from its current secret on first use, and rebuilt when the secret changes. */
const lazyGateway = (id: GatewayId, options: GatewayRegistryOptions): PaymentGateway => {
  let built: { secretJson: string; gateway: PaymentGateway } | undefined;
  const current = async (): Promise<PaymentGateway> => {
    const secret = await options.secretOf(id);
    const secretJson = JSON.stringify(secret);
    if (built?.secretJson !== secretJson) built = { secretJson, gateway: factories[id].create(secret, options) };
    return built.gateway;
  };
  return {
    id,
    createSession: async (request, callOptions) => (await current()).createSession(request, callOptions),
    parseReturn: factories[id].parseReturn,
    queryStatus: async (payment, callOptions) => (await current()).queryStatus(payment, callOptions),
    capture: async (payment, callOptions) => (await current()).capture(payment, callOptions),
    refund: async (request, callOptions) => (await current()).refund(request, callOptions),
    refundStatus: async (request, callOptions) => (await current()).refundStatus(request, callOptions),
  };
};

/** The enabled gateways by payment method (the method names of API.md equal the gateway ids for bKash and Nagad). */
export const paymentGatewayRegistry = (options: GatewayRegistryOptions): GatewayRegistry => {
  const gateways = new Map(options.enabled.map((id) => [id as string, lazyGateway(id, options)]));
  return { get: (method) => gateways.get(method) };
};
