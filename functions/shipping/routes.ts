import * as z from 'zod/mini';
import { moneySchema } from '../_platform/money';
import { COMMON_ERROR_RESPONSES, defineRoute, errorEnvelopeSchema } from '../_platform/openapi';
import { buyerSchema, skuSchema } from '../checkout/checkout-schemas';
import { SHIPPING_SERVICE_LEVELS } from '../checkout/domain/model';
import { orderIdSchema } from '../checkout/routes';
import { API_CARRIER_IDS, type BookedShipment, CANCELLATION_OUTCOMES, SHIPMENT_STATUSES } from './domain/model';

const carrierNameSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes; at most 40'));
const sellerIdSchema = z.string().check(z.minLength(1), z.maxLength(64));

export const quoteShippingRoute = defineRoute({
  operationId: 'quoteShipping',
  method: 'POST',
  path: '/shipping/quotes',
  summary: 'Rates of every eligible carrier for the items, per seller; carriers that miss the deadline are left out and the quote is marked degraded',
  auth: 'apiKey',
  body: z.object({
    destination: buyerSchema.shape.address,
    items: z.array(z.object({ sku: skuSchema, quantity: z.int().check(z.positive(), z.maximum(999)) })).check(z.minLength(1), z.maxLength(50)),
    serviceLevel: z.optional(z.enum(SHIPPING_SERVICE_LEVELS)),
  }),
  responses: {
    200: {
      description: '`rates` cheapest first per seller; `degraded` with the `missing` carriers when some did not answer in time or failed',
      schema: z.object({
        rates: z.array(z.object({ sellerId: z.string(), carrier: z.string(), serviceLevel: z.enum(SHIPPING_SERVICE_LEVELS), amount: moneySchema, estimatedDeliveryDate: z.string() })),
        degraded: z.boolean(),
        missing: z.array(z.object({ sellerId: z.string(), carrier: z.string(), serviceLevel: z.enum(SHIPPING_SERVICE_LEVELS), reason: z.enum(['deadline', 'unavailable', 'rejected']) })),
      }),
    },
    422: { description: 'UNKNOWN_SKU: an item is not in the catalog', schema: errorEnvelopeSchema },
  },
});

const trackingEventSchema = z.object({ at: z.string(), status: z.enum(SHIPMENT_STATUSES), carrierStatus: z.string(), source: z.string(), description: z.optional(z.string()) });

/** A shipment as buyers and sellers see it. */
export const shipmentViewSchema = z.object({
  shipmentId: z.string(),
  sellerId: z.string(),
  carrier: z.string(),
  trackingNumber: z.string(),
  status: z.enum(SHIPMENT_STATUSES),
  serviceLevel: z.enum(SHIPPING_SERVICE_LEVELS),
  estimatedDeliveryDate: z.optional(z.string()),
  cost: z.optional(moneySchema),
  events: z.array(trackingEventSchema),
  cancellation: z.optional(z.object({ outcome: z.enum(CANCELLATION_OUTCOMES), reason: z.string(), at: z.string() })),
});

/** The API's view of a shipment: no version, claim or parcel internals. */
export const shipmentView = (shipment: BookedShipment): z.output<typeof shipmentViewSchema> => ({
  shipmentId: shipment.shipmentId,
  sellerId: shipment.sellerId,
  carrier: shipment.carrier,
  trackingNumber: shipment.trackingNumber,
  status: shipment.status,
  serviceLevel: shipment.serviceLevel,
  ...(shipment.estimatedDeliveryDate !== undefined && { estimatedDeliveryDate: shipment.estimatedDeliveryDate }),
  ...(shipment.cost !== undefined && { cost: shipment.cost }),
  events: shipment.events,
  ...(shipment.cancellation !== undefined && { cancellation: shipment.cancellation }),
});

export const listOrderShipmentsRoute = defineRoute({
  operationId: 'listOrderShipments',
  method: 'GET',
  path: '/orders/{orderId}/shipments',
  summary: 'The shipments of an order with their tracking history',
  auth: 'apiKey',
  params: z.object({ orderId: orderIdSchema }),
  responses: {
    200: { description: 'Booked shipments (none before the order is paid)', schema: z.object({ shipments: z.array(shipmentViewSchema) }) },
    404: COMMON_ERROR_RESPONSES.noSuchOrder,
  },
});

export const shipOrderRoute = defineRoute({
  operationId: 'shipOrder',
  method: 'POST',
  path: '/orders/{orderId}/shipments',
  summary: "Ship now (sellers, operators): book the order's parcels not booked yet, at the chosen `carrier` (no failover) or through the seller's preferences with failover; safe to repeat (one booking per parcel)",
  auth: 'iam',
  params: z.object({ orderId: orderIdSchema }),
  body: z._default(z.object({ carrier: z.optional(carrierNameSchema) }), {}),
  responses: {
    201: { description: 'Every booked shipment of the order', schema: z.object({ shipments: z.array(shipmentViewSchema) }) },
    400: COMMON_ERROR_RESPONSES.badFields,
    404: COMMON_ERROR_RESPONSES.noSuchOrder,
    409: { description: 'ORDER_NOT_PAID: unpaid, cancelled or refunded; SHIPMENT_EXISTS: every parcel is booked already (`details.shipments`)', schema: errorEnvelopeSchema },
    422: { description: 'CARRIER_NOT_ENABLED: the carrier is not one of the seller\'s for this destination (`details.enabled`); NO_ELIGIBLE_CARRIER', schema: errorEnvelopeSchema },
    503: { description: 'PROVIDER_UNAVAILABLE: no carrier booked (`details.provider` is `shipping`); try again', schema: errorEnvelopeSchema },
  },
});

const preferenceSchema = z.object({
  carrier: carrierNameSchema,
  integration: z._default(z.enum(['api', 'csv']), 'api'),
  priority: z.int().check(z.minimum(1), z.maximum(100)),
  serviceLevels: z._default(z.array(z.enum(SHIPPING_SERVICE_LEVELS)), []),
  destinations: z._default(z.array(z.string().check(z.regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2'))), []),
});
const preferencesResponse = z.object({ sellerId: z.string(), carriers: z.array(preferenceSchema), updatedAt: z.optional(z.string()), isDefault: z.optional(z.boolean()) });

export const putCarrierPreferencesRoute = defineRoute({
  operationId: 'putCarrierPreferences',
  method: 'PUT',
  path: '/sellers/{sellerId}/carriers',
  summary: `Replace a seller's carriers (operators): priority (lower first), service levels and destinations; API carriers: ${API_CARRIER_IDS.join(', ')}; any other is a legacy \`csv\` carrier`,
  auth: 'iam',
  params: z.object({ sellerId: sellerIdSchema }),
  body: z.object({ carriers: z.array(preferenceSchema).check(z.minLength(1), z.maxLength(20)) }),
  responses: {
    200: { description: 'The stored preferences', schema: preferencesResponse },
    422: { description: 'UNKNOWN_CARRIER: an `api` carrier without an adapter', schema: errorEnvelopeSchema },
  },
});

export const getCarrierPreferencesRoute = defineRoute({
  operationId: 'getCarrierPreferences',
  method: 'GET',
  path: '/sellers/{sellerId}/carriers',
  summary: "A seller's carriers (operators); the default list (`isDefault`) when the seller set none",
  auth: 'iam',
  params: z.object({ sellerId: sellerIdSchema }),
  responses: { 200: { description: 'The preferences', schema: preferencesResponse } },
});

/** One static route per carrier (siblings, so no capability fights over a `{provider}` resource). */
const webhookRoute = <C extends string>(carrier: C) =>
  defineRoute({
    operationId: `receive${carrier[0].toUpperCase()}${carrier.slice(1)}Webhook`,
    method: 'POST',
    path: `/webhooks/${carrier}`,
    summary: `Tracking updates from ${carrier}, verified the way ${carrier} allows (an unsigned one is re-fetched from the carrier)`,
    auth: 'none',
    responses: {
      200: { description: 'Handled (a repeat or an old update changes nothing)' },
      202: { description: 'Handled (Pathao expects 202 and its integration header)' },
      401: { description: 'UNAUTHORIZED: the webhook fails the carrier\'s auth, or names no parcel of ours; nothing was changed', schema: errorEnvelopeSchema },
      503: { description: 'PROVIDER_UNAVAILABLE: the carrier could not be asked to confirm; it retries', schema: errorEnvelopeSchema },
    },
  });
export const carrierWebhookRoutes = API_CARRIER_IDS.map(webhookRoute);

export const getCarrierManifestRoute = defineRoute({
  operationId: 'getCarrierManifest',
  method: 'GET',
  path: '/shipping/manifests/{carrier}/{day}',
  summary: 'The day\'s manifest of a carrier as CSV (operators): one row per shipment booked with it that day (UTC)',
  auth: 'iam',
  params: z.object({ carrier: carrierNameSchema, day: z.iso.date('must be YYYY-MM-DD') }),
  responses: { 200: { description: 'text/csv with a header row' } },
});

export const importTrackingCsvRoute = defineRoute({
  operationId: 'importTrackingCsv',
  method: 'POST',
  path: '/shipping/tracking-imports/{carrier}',
  summary: 'Import a legacy carrier\'s tracking updates (operators): text/csv with tracking_number, status, occurred_at[, description, estimated_delivery_date]; each row applied or rejected on its own',
  auth: 'iam',
  params: z.object({ carrier: carrierNameSchema }),
  responses: {
    200: {
      description: 'What was applied (`changed` false when the row was old news) and every rejected row with its line and reason',
      schema: z.object({
        applied: z.array(z.object({ line: z.int(), trackingNumber: z.string(), status: z.enum(SHIPMENT_STATUSES), changed: z.boolean() })),
        rejected: z.array(z.object({ line: z.int(), reason: z.string() })),
      }),
    },
    400: { description: 'VALIDATION_FAILED: not CSV, or columns missing', schema: errorEnvelopeSchema },
  },
});

/** Every route of the shipping capability. */
export const shippingRoutes = [
  quoteShippingRoute, listOrderShipmentsRoute, shipOrderRoute, putCarrierPreferencesRoute, getCarrierPreferencesRoute, ...carrierWebhookRoutes,
  getCarrierManifestRoute, importTrackingCsvRoute,
];
