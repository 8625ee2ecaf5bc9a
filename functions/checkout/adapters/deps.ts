import { SFNClient } from '@aws-sdk/client-sfn';
import * as z from 'zod/mini';
import { sdkClientDefaults } from '../../_platform/aws-clients';
import { systemClock } from '../../_platform/clock';
import { loadConfig } from '../../_platform/config';
import { documentClient } from '../../_platform/document-client';
import { eventPublisherFromConfig } from '../../_platform/event-publisher.sns';
import { systemIds } from '../../_platform/ids';
import { logger, metrics, MetricUnit } from '../../_platform/observability';
import type { GatewayId } from '../../payments/domain/ports';
import type { GetOrderDeps } from '../domain/get-order';
import type { ListProductsDeps } from '../domain/list-products';
import type { PaymentAttemptDeps, PlaceOrderDeps } from '../domain/place-order';
import type { GatewayRegistry, IncidentReporter } from '../domain/ports';
import type { UpsertProductDeps } from '../domain/upsert-product';
import { dynamoOrderRepository } from './order-repository.dynamo';
import { sfnPaymentSagaStarter } from './payment-saga.sfn';
import { dynamoProductCatalog } from './product-catalog.dynamo';
import { dynamoStockLedger } from './stock-ledger.dynamo';

const nonEmpty = () => z.string().check(z.minLength(1));

/** The catalog's dependencies, from CATALOG_TABLE (env). Call once per cold start. */
export const catalogDeps = (): ListProductsDeps & UpsertProductDeps => {
  const { CATALOG_TABLE } = loadConfig(z.object({ CATALOG_TABLE: nonEmpty() }));
  return { catalog: dynamoProductCatalog(documentClient(), CATALOG_TABLE) };
};

/**
 * How long a payment session stays payable at each gateway, i.e. how long the saga waits for the buyer. Neither
 * bKash nor Nagad documents a session expiry (providers/payments.md §1.7, §2.5: "not confirmed"; reported as
 * minutes): 15 minutes, after which the saga asks the gateway once more before it gives up.
 */
export const PAYMENT_SESSION_SECONDS: Readonly<Record<GatewayId, number>> = { bkash: 15 * 60, nagad: 15 * 60 };

const knownGateway = (id: string): id is GatewayId => Object.hasOwn(PAYMENT_SESSION_SECONDS, id);

// Built on first use, not at import: the catalog handlers share this file and should not pay for it.
const placeOrderConfigSchema = () =>
  z.object({
    ORDERS_TABLE: nonEmpty(),
    CATALOG_TABLE: nonEmpty(),
    PAYMENT_STATE_MACHINE_ARN: nonEmpty(),
    /** The API's base URL, e.g. https://api.example.com/v1 */
    PUBLIC_API_URL: z.url({ protocol: /^https?$/ }).check(z.regex(/\/v1$/, 'must end in /v1')),
    /** Comma-separated gateway ids switched on here: `bkash,nagad`. */
    PAYMENT_GATEWAYS: z.pipe(
      z.string(),
      z.transform((raw: string, ctx) => {
        const ids = raw.split(',').map((id) => id.trim()).filter((id) => id.length > 0);
        const unknown = ids.filter((id) => !knownGateway(id));
        if (unknown.length > 0) ctx.issues.push({ code: 'custom', message: `unknown gateways: ${unknown.join(', ')}`, input: raw });
        return ids.filter(knownGateway);
      }),
    ),
  });

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

// Logged at error level and counted, so an alarm on the metric calls an operator.
const loggedIncidents: IncidentReporter = {
  eventNotPublished(event, error) {
    logger.error('event not published', { eventId: event.id, type: event.type, orderId: event.orderId, error: asError(error) });
    metrics.addMetric('EventNotPublished', MetricUnit.Count, 1);
  },
  stockNotReleased(line, error) {
    logger.error('stock not released', { sku: line.sku, quantity: line.quantity, error: asError(error) });
    metrics.addMetric('StockNotReleased', MetricUnit.Count, 1);
  },
};

/** Only the gateways PAYMENT_GATEWAYS switches on, whatever `registry` can build. */
const enabledOnly = (registry: GatewayRegistry, enabled: readonly GatewayId[]): GatewayRegistry => ({
  get: (method) => {
    const gateway = registry.get(method);
    return gateway && enabled.includes(gateway.id) ? gateway : undefined;
  },
});

type PaymentAttemptConfig = z.output<ReturnType<typeof placeOrderConfigSchema>>;

const attemptDepsOf = (config: PaymentAttemptConfig, gateways: GatewayRegistry): PaymentAttemptDeps => {
  const documents = documentClient();
  return {
    stock: dynamoStockLedger(documents, config.CATALOG_TABLE),
    gateways: enabledOnly(gateways, config.PAYMENT_GATEWAYS),
    sagas: sfnPaymentSagaStarter(new SFNClient(sdkClientDefaults), config.PAYMENT_STATE_MACHINE_ARN),
    orders: dynamoOrderRepository(documents, config.ORDERS_TABLE),
    events: eventPublisherFromConfig(),
    incidents: loggedIncidents,
    clock: systemClock,
    ids: systemIds,
    settings: { publicApiUrl: config.PUBLIC_API_URL, sessionLifetimeSeconds: PAYMENT_SESSION_SECONDS },
  };
};

/**
 * What opening a payment attempt needs (retrying a payment), from ORDERS_TABLE, CATALOG_TABLE (the stock),
 * EVENTS_TOPIC_ARN, PAYMENT_STATE_MACHINE_ARN, PUBLIC_API_URL and PAYMENT_GATEWAYS (env); the gateways come from
 * `gateways`, the payments capability's registry. Call once per cold start. Throws ConfigError naming every missing
 * or invalid variable.
 */
export const paymentAttemptDeps = (gateways: GatewayRegistry): PaymentAttemptDeps => attemptDepsOf(loadConfig(placeOrderConfigSchema()), gateways);

/** What placing an order needs: the same, and the catalog's prices. */
export const placeOrderDeps = (gateways: GatewayRegistry): PlaceOrderDeps => {
  const config = loadConfig(placeOrderConfigSchema());
  return { ...attemptDepsOf(config, gateways), catalog: dynamoProductCatalog(documentClient(), config.CATALOG_TABLE) };
};

/** What reading orders needs, from ORDERS_TABLE (env). Call once per cold start. */
export const orderQueryDeps = (): GetOrderDeps => {
  const { ORDERS_TABLE } = loadConfig(z.object({ ORDERS_TABLE: nonEmpty() }));
  return { orders: dynamoOrderRepository(documentClient(), ORDERS_TABLE) };
};
