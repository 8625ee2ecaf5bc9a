import { SecretValue, Stack, StackProps, Tags, Validations } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environments';
import { PROVIDERS, ProviderId } from '../config/providers';
import { DataTable } from '../constructs/data-table';
import { EventQueue } from '../constructs/event-queue';
import { NOTIFICATION_EVENT_TYPES } from '../../functions/notifications/domain/consumed-events';
import { SHIPPING_EVENT_TYPES } from '../../functions/shipping/domain/consumed-events';

export interface StatefulStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** Tag on each provider secret whose value is the provider id. */
export const PROVIDER_TAG = 'commerce-hub:provider';

/**
 * Everything that holds data: tables, the events topic and its queues, provider secrets. Kept apart from the service
 * stack so functions and the API can be torn down and redeployed without touching data.
 */
export class StatefulStack extends Stack {
  readonly tables: {
    readonly orders: DataTable;
    readonly catalog: DataTable;
    readonly idempotency: DataTable;
    readonly notifications: DataTable;
    readonly integrationState: DataTable;
    readonly audit: DataTable;
    readonly shipping: DataTable;
  };
  readonly eventsTopic: Topic;
  readonly shippingEvents: EventQueue;
  readonly notificationEvents: EventQueue;
  readonly providerSecrets: Readonly<Record<ProviderId, Secret>>;
  /** The notifications capability's HMAC key (`signingKey`) for unsubscribe and account links. */
  readonly notificationSigningKey: Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.removalPolicy;

    this.tables = {
      // Orders with their payments, refunds, shipments and timeline as one item collection (pk ORDER#<id>).
      orders: new DataTable(this, 'OrdersTable', { keys: 'single', removalPolicy }),
      catalog: new DataTable(this, 'CatalogTable', { keys: 'single', removalPolicy }),
      // Idempotency records (API Idempotency-Key and consumed event ids, functions/_platform/idempotency-store.dynamo.ts); expire on their own.
      idempotency: new DataTable(this, 'IdempotencyTable', { keys: 'keyValue', timeToLiveAttribute: 'expiration', removalPolicy }),
      notifications: new DataTable(this, 'NotificationsTable', { keys: 'single', timeToLiveAttribute: 'expiresAt', removalPolicy }),
      // Circuit breakers, rate-limit buckets and cached provider tokens, shared by every Lambda instance.
      integrationState: new DataTable(this, 'IntegrationStateTable', { keys: 'single', timeToLiveAttribute: 'expiresAt', removalPolicy }),
      // Every external call, masked; kept 7 years through expiresAt.
      audit: new DataTable(this, 'AuditTable', { keys: 'single', timeToLiveAttribute: 'expiresAt', removalPolicy }),
      // Sellers' carrier preferences and each carrier's day book of shipments (functions/shipping/adapters/*.dynamo.ts).
      shipping: new DataTable(this, 'ShippingTable', { keys: 'single', removalPolicy }),
    };

    const eventsKey = new Key(this, 'EventsKey', {
      description: 'Encrypts the commerce events topic',
      enableKeyRotation: true,
      removalPolicy,
    });
    this.eventsTopic = new Topic(this, 'EventsTopic', { masterKey: eventsKey, enforceSSL: true });

    const queueProps = {
      topic: this.eventsTopic,
      visibilityTimeout: config.events.visibilityTimeout,
      maxReceiveCount: config.events.maxReceiveCount,
      removalPolicy,
    };
    this.shippingEvents = new EventQueue(this, 'ShippingEvents', { ...queueProps, eventTypes: SHIPPING_EVENT_TYPES });
    this.notificationEvents = new EventQueue(this, 'NotificationEvents', { ...queueProps, eventTypes: NOTIFICATION_EVENT_TYPES });
    for (const events of [this.shippingEvents, this.notificationEvents]) {
      Validations.of(events.deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself a dead-letter queue; its messages are redriven by operators.',
      });
    }

    this.notificationSigningKey = new Secret(this, 'NotificationSigningKey', {
      description: 'HMAC key signing unsubscribe, e-mail verification and password-reset links',
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'signingKey', passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.notificationSigningKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the key invalidates every unsubscribe link already sent, which must keep working (CAN-SPAM: 30 days at least); operators rotate it deliberately.',
    });

    this.providerSecrets = Object.fromEntries(
      PROVIDERS.map((provider) => {
        const baseUrl = config.providerEndpoints === 'production' ? provider.productionBaseUrl : provider.sandboxBaseUrl;
        const secret = new Secret(this, `${pascal(provider.id)}Secret`, {
          description: `${provider.id} (${provider.kind}) base URL and credentials; operators put the credentials`,
          // The base URL is not secret; it starts here so an adapter finds its endpoint before credentials are set.
          secretObjectValue: { baseUrl: SecretValue.unsafePlainText(baseUrl) },
          removalPolicy,
        });
        // Names the provider for operators and for local mode, which seeds each provider's secret from a local file.
        Tags.of(secret).add(PROVIDER_TAG, provider.id);
        Validations.of(secret).acknowledge({
          id: 'AwsSolutions-SMG4',
          reason: 'Provider credentials are issued by the provider; they are rotated through its portal, not by a Lambda.',
        });
        return [provider.id, secret];
      }),
    ) as Record<ProviderId, Secret>;
  }
}

const pascal = (id: string): string => id.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
