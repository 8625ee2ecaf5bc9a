import * as z from 'zod/mini';
import { dynamoAuditLog } from '../../_platform/audit-log.dynamo';
import { dynamoCircuitBreakerStore } from '../../_platform/circuit-breaker-store.dynamo';
import { systemClock } from '../../_platform/clock';
import { jsonEnv, loadConfig } from '../../_platform/config';
import { logger } from '../../_platform/observability';
import { documentClient } from '../../_platform/document-client';
import { eventPublisherFromConfig } from '../../_platform/event-publisher.sns';
import { cachedJsonSecrets } from '../../_platform/json-secrets';
import { createHttpClient } from '../../_platform/resilient-http-client';
import { dynamoOrderRepository } from '../../checkout/adapters/order-repository.dynamo';
import { dynamoProductCatalog } from '../../checkout/adapters/product-catalog.dynamo';
import { instanceCachedTokens } from '../../_platform/token-cache';
import { dynamoTokenCache } from '../../_platform/token-cache.dynamo';
import { carrierRegistry } from '../carriers/registry';
import type { ShippingDeps, ShippingSettings } from '../domain/deps';
import { API_CARRIER_IDS } from '../domain/model';
import type { CarrierRegistry, ShippingLog } from '../domain/ports';
import { dynamoCarrierPreferences } from './carrier-preferences.dynamo';
import { dynamoShipmentRepository } from './shipment-repository.dynamo';

const nonEmpty = () => z.string().check(z.minLength(1));

/**
 * Fixed for now (no environment needs another value yet): a slip of more than one day is a delay; quotes wait 2.5 s
 * (inside API Gateway's 29 s and a storefront's patience); polling looks back two weeks.
 */
export const SHIPPING_SETTINGS: ShippingSettings = { delayThresholdDays: 1, quoteDeadlineMs: 2_500, pollLookbackDays: 14 };

/** The domain's log, written by the Powertools logger (structured keys beside a static message). */
const log: ShippingLog = {
  info: (message, fields = {}) => logger.info(message, fields),
  warn: (message, fields = {}) => logger.warn(message, fields),
  error: (message, fields = {}) => logger.error(message, fields),
};

const tablesSchema = () => z.object({ ORDERS_TABLE: nonEmpty(), SHIPPING_TABLE: nonEmpty() });

/**
 * The carriers of this deployment (CARRIER_SECRETS: `{"ghn": "<secret arn>", …}`), each behind the resilient client
 * (breakers in INTEGRATION_STATE_TABLE, audit in AUDIT_TABLE), Pathao's tokens shared in INTEGRATION_STATE_TABLE.
 */
const carriersFromConfig = (maxRetries: number): CarrierRegistry => {
  const config = loadConfig(
    z.object({
      CARRIER_SECRETS: jsonEnv(z.partialRecord(z.enum(API_CARRIER_IDS), z.string())),
      INTEGRATION_STATE_TABLE: nonEmpty(),
      AUDIT_TABLE: nonEmpty(),
    }),
  );
  const http = createHttpClient({
    breakers: dynamoCircuitBreakerStore(config.INTEGRATION_STATE_TABLE),
    audit: dynamoAuditLog(config.AUDIT_TABLE),
    maxRetries,
    baseDelayMs: 100,
  });
  const secretValue = cachedJsonSecrets();
  return carrierRegistry({
    enabled: API_CARRIER_IDS.filter((id) => config.CARRIER_SECRETS[id] !== undefined),
    http,
    tokens: instanceCachedTokens(dynamoTokenCache(documentClient(), config.INTEGRATION_STATE_TABLE)),
    clock: systemClock,
    secretOf: async (carrier) => secretValue(config.CARRIER_SECRETS[carrier] ?? ''),
  });
};

/** What applying tracking updates needs (tables, topic), without carriers: the CSV import. Call once per cold start. */
export const trackingDeps = (): Pick<ShippingDeps, 'shipments' | 'orders' | 'events' | 'clock' | 'settings' | 'log'> => {
  const { ORDERS_TABLE, SHIPPING_TABLE } = loadConfig(tablesSchema());
  const documents = documentClient();
  return {
    shipments: dynamoShipmentRepository(documents, { orders: ORDERS_TABLE, shipping: SHIPPING_TABLE }),
    orders: dynamoOrderRepository(documents, ORDERS_TABLE),
    events: eventPublisherFromConfig(),
    clock: systemClock,
    settings: SHIPPING_SETTINGS,
    log,
  };
};

/**
 * Everything booking and tracking need: trackingDeps plus the carriers and preferences. Safe calls to a carrier are
 * retried once inside an invocation: the queue and the carriers' own webhook retries do the rest, and failover must
 * not wait long. Call once per cold start.
 */
export const shippingDeps = (): Omit<ShippingDeps, 'catalog'> => {
  const { SHIPPING_TABLE } = loadConfig(tablesSchema());
  return { ...trackingDeps(), carriers: carriersFromConfig(1), preferences: dynamoCarrierPreferences(documentClient(), SHIPPING_TABLE) };
};

/** What quotes need: the catalog (CATALOG_TABLE), preferences and carriers, each carrier asked once (the deadline rules). */
export const quoteDeps = (): Pick<ShippingDeps, 'carriers' | 'preferences' | 'catalog' | 'settings' | 'log'> => {
  const { CATALOG_TABLE, SHIPPING_TABLE } = loadConfig(z.object({ CATALOG_TABLE: nonEmpty(), SHIPPING_TABLE: nonEmpty() }));
  const documents = documentClient();
  return {
    carriers: carriersFromConfig(0),
    preferences: dynamoCarrierPreferences(documents, SHIPPING_TABLE),
    catalog: dynamoProductCatalog(documents, CATALOG_TABLE),
    settings: SHIPPING_SETTINGS,
    log,
  };
};

/** What reading shipments and manifests needs: the two tables, no carrier. */
export const shipmentQueryDeps = (): Pick<ShippingDeps, 'orders' | 'shipments'> => {
  const { ORDERS_TABLE, SHIPPING_TABLE } = loadConfig(tablesSchema());
  const documents = documentClient();
  return { orders: dynamoOrderRepository(documents, ORDERS_TABLE), shipments: dynamoShipmentRepository(documents, { orders: ORDERS_TABLE, shipping: SHIPPING_TABLE }) };
};

/** What the preferences routes need: the shipping table. */
export const preferenceDeps = (): Pick<ShippingDeps, 'preferences' | 'clock'> => {
  const { SHIPPING_TABLE } = loadConfig(z.object({ SHIPPING_TABLE: nonEmpty() }));
  return { preferences: dynamoCarrierPreferences(documentClient(), SHIPPING_TABLE), clock: systemClock };
};
