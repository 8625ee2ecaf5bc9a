import { Duration, Stack } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { API_CARRIER_IDS } from '../../functions/shipping/domain/model';
import type { CapabilityProps } from './capability';
import { EventConsumer } from './event-consumer';
import { ServiceFunction } from './service-function';

/**
 * Shipments at carriers: booked from `order.paid` (with failover), tracked by carrier webhooks and polling, quoted,
 * and a CSV manifest and tracking import for legacy carriers. Each function gets exactly what its deps use
 * (functions/shipping/adapters/deps.ts).
 */
export class Shipping extends Construct {
  readonly eventsConsumer: EventConsumer;
  readonly quoteFn: ServiceFunction;
  readonly listShipmentsFn: ServiceFunction;
  readonly shipOrderFn: ServiceFunction;
  readonly preferencesFn: ServiceFunction;
  readonly webhookFn: ServiceFunction;
  readonly manifestFn: ServiceFunction;
  readonly importFn: ServiceFunction;
  readonly pollFn: ServiceFunction;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id);
    const { config, data, api } = props;
    const stack = Stack.of(this);
    const { orders, shipping, catalog, integrationState, audit } = data.tables;

    /** A function that calls carriers: their secrets, breaker state, cached tokens and audit trail. */
    const withCarriers = (fn: ServiceFunction) => {
      fn.bindTable('INTEGRATION_STATE_TABLE', integrationState, 'readWrite').bindTable('AUDIT_TABLE', audit, 'readWrite');
      fn.addEnvironment('CARRIER_SECRETS', stack.toJsonString(Object.fromEntries(API_CARRIER_IDS.map((c) => [c, data.providerSecrets[c].secretArn]))));
      for (const carrier of API_CARRIER_IDS) data.providerSecrets[carrier].grantRead(fn);
      return fn;
    };
    /** A function that applies tracking: shipments, orders and the events topic. */
    const withTracking = (fn: ServiceFunction) =>
      fn.bindTable('ORDERS_TABLE', orders, 'readWrite').bindTable('SHIPPING_TABLE', shipping, 'readWrite').bindTopicPublisher('EVENTS_TOPIC_ARN', data.eventsTopic);
    /** A function that books or tracks at carriers. */
    const withShipments = (fn: ServiceFunction) => withTracking(withCarriers(fn));

    this.eventsConsumer = new EventConsumer(this, 'ShippingEventsConsumer', {
      config, capability: 'shipping', handler: 'consume-shipping-events',
      description: 'Consumes order events from the shipping queue: books shipments on order.paid, cancels them on order.cancelled',
      events: props.data.shippingEvents, idempotencyTable: props.data.tables.idempotency,
    });
    withShipments(this.eventsConsumer.fn);

    this.quoteFn = withCarriers(new ServiceFunction(this, 'QuoteShippingFn', {
      config, capability: 'shipping', handler: 'quote-shipping',
      description: 'POST /v1/shipping/quotes: every eligible carrier in parallel within a deadline',
    }))
      .bindTable('CATALOG_TABLE', catalog, 'read')
      .bindTable('SHIPPING_TABLE', shipping, 'read');
    api.addRoute({ method: 'POST', path: '/shipping/quotes', handler: this.quoteFn, auth: 'apiKey' });

    this.listShipmentsFn = new ServiceFunction(this, 'ListOrderShipmentsFn', {
      config, capability: 'shipping', handler: 'list-order-shipments',
      description: 'GET /v1/orders/{orderId}/shipments: tracking with its history',
    })
      .bindTable('ORDERS_TABLE', orders, 'read')
      .bindTable('SHIPPING_TABLE', shipping, 'read');
    api.addRoute({ method: 'GET', path: '/orders/{orderId}/shipments', handler: this.listShipmentsFn, auth: 'apiKey' });

    // Failover may ask several carriers (5 s timeout each): as long as API Gateway waits (29 s).
    this.shipOrderFn = withShipments(new ServiceFunction(this, 'ShipOrderFn', {
      config, capability: 'shipping', handler: 'ship-order',
      description: "POST /v1/orders/{orderId}/shipments (sellers, operators): ship now, at a chosen carrier or by the seller's preferences",
      timeout: Duration.seconds(29),
    }));
    api.addRoute({ method: 'POST', path: '/orders/{orderId}/shipments', handler: this.shipOrderFn, auth: 'iam' });

    this.preferencesFn = new ServiceFunction(this, 'CarrierPreferencesFn', {
      config, capability: 'shipping', handler: 'carrier-preferences',
      description: "GET/PUT /v1/sellers/{sellerId}/carriers (operators): a seller's carriers",
    }).bindTable('SHIPPING_TABLE', shipping, 'readWrite');
    api.addRoute({ method: 'PUT', path: '/sellers/{sellerId}/carriers', handler: this.preferencesFn, auth: 'iam' });
    api.addRoute({ method: 'GET', path: '/sellers/{sellerId}/carriers', handler: this.preferencesFn, auth: 'iam' });

    this.webhookFn = withShipments(new ServiceFunction(this, 'CarrierWebhookFn', {
      config, capability: 'shipping', handler: 'handle-carrier-webhook',
      description: 'POST /v1/webhooks/<carrier>: tracking updates, verified per carrier (re-fetched where unsigned)',
      timeout: Duration.seconds(15),
    }));
    for (const carrier of API_CARRIER_IDS) api.addRoute({ method: 'POST', path: `/webhooks/${carrier}`, handler: this.webhookFn, auth: 'none' });

    this.manifestFn = new ServiceFunction(this, 'CarrierManifestFn', {
      config, capability: 'shipping', handler: 'get-carrier-manifest',
      description: 'GET /v1/shipping/manifests/{carrier}/{day} (operators): the CSV manifest of a legacy carrier',
    })
      .bindTable('ORDERS_TABLE', orders, 'read')
      .bindTable('SHIPPING_TABLE', shipping, 'read');
    api.addRoute({ method: 'GET', path: '/shipping/manifests/{carrier}/{day}', handler: this.manifestFn, auth: 'iam' });

    this.importFn = withTracking(new ServiceFunction(this, 'ImportTrackingCsvFn', {
      config, capability: 'shipping', handler: 'import-tracking-csv',
      description: 'POST /v1/shipping/tracking-imports/{carrier} (operators): tracking CSV, row by row',
      timeout: Duration.seconds(60),
    }));
    api.addRoute({ method: 'POST', path: '/shipping/tracking-imports/{carrier}', handler: this.importFn, auth: 'iam' });

    // Backfill for lost webhooks: every open shipment of the last two weeks, tracked at its carrier.
    this.pollFn = withShipments(new ServiceFunction(this, 'PollTrackingFn', {
      config, capability: 'shipping', handler: 'poll-tracking',
      description: 'Every 30 minutes: tracks open shipments at their carriers (lost webhooks)',
      timeout: Duration.minutes(5),
    }));
    new Rule(this, 'PollTrackingSchedule', {
      description: 'Polls carriers for open shipments (backfill for lost webhooks)',
      schedule: Schedule.rate(Duration.minutes(30)),
      targets: [new LambdaFunction(this.pollFn, { retryAttempts: 0 })],
    });
  }
}
