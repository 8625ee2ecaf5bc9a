import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnConfigurationSet, CfnConfigurationSetEventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { CapabilityProps } from './capability';
import { EventConsumer } from './event-consumer';
import { EventQueue } from './event-queue';
import { ServiceFunction } from './service-function';

/** Messaging providers whose credentials live in their Secrets Manager secret (SES uses the function's role). */
const MESSAGING_PROVIDERS = ['twilio', 'sslwireless', 'esms', 'zalo', 'hifpt'] as const;

/**
 * SMS failover order by the number's country prefix: the local gateway first (cheaper, better delivery), Twilio as
 * the fallback everywhere.
 */
const SMS_PROVIDER_CHAINS = { '+880': ['sslwireless', 'twilio'], '+84': ['esms', 'twilio'], '*': ['twilio'] };

/**
 * Who the e-mail is from and the postal address marketing e-mail must show (CAN-SPAM). The sender's domain must be
 * a verified SES identity in the account (out of band: DNS records), as must the postal address be real.
 */
const SENDER = {
  EMAIL_FROM: 'Commerce Hub <no-reply@commerce-hub.example>',
  COMPANY_NAME: 'Commerce Hub',
  COMPANY_POSTAL_ADDRESS: 'House 12, Road 5, Dhanmondi, Dhaka 1205, Bangladesh',
};

/** SES event types the configuration set publishes (engagement included, kept apart from status). */
const SES_EVENT_TYPES = ['send', 'reject', 'bounce', 'complaint', 'delivery', 'deliveryDelay', 'renderingFailure', 'open', 'click'];

/**
 * Messages to buyers, sellers and staff: the event consumer that sends them (e-mail by SES, SMS, Zalo ZNS, in-app),
 * SES's events (configuration set → SNS → queue → consumer), the providers' receipt webhooks, preferences with
 * one-click unsubscribe, template previews, account messages and the seller directory.
 */
export class Notifications extends Construct {
  readonly eventsConsumer: EventConsumer;
  readonly functions: Record<string, ServiceFunction> = {};

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id);
    const { config, data, api } = props;
    const stack = Stack.of(this);
    const publicApiUrl = `https://${api.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/v1`;
    const table = data.tables.notifications;

    const configurationSet = new CfnConfigurationSet(this, 'EmailConfigurationSet', {
      reputationOptions: { reputationMetricsEnabled: true },
      sendingOptions: { sendingEnabled: true },
    });
    const emailEventsKey = new Key(this, 'EmailEventsKey', { description: 'Encrypts the SES events topic', enableKeyRotation: true, removalPolicy: config.removalPolicy });
    emailEventsKey.grant(new ServicePrincipal('ses.amazonaws.com'), 'kms:GenerateDataKey', 'kms:Decrypt');
    const emailEventsTopic = new Topic(this, 'EmailEventsTopic', { masterKey: emailEventsKey, enforceSSL: true });
    emailEventsTopic.addToResourcePolicy(new PolicyStatement({
      actions: ['sns:Publish'],
      principals: [new ServicePrincipal('ses.amazonaws.com')],
      resources: [emailEventsTopic.topicArn],
      conditions: { StringEquals: { 'AWS:SourceAccount': stack.account } },
    }));
    new CfnConfigurationSetEventDestination(this, 'EmailEventDestination', {
      configurationSetName: configurationSet.ref,
      eventDestination: { enabled: true, matchingEventTypes: SES_EVENT_TYPES, snsDestination: { topicArn: emailEventsTopic.topicArn } },
    });
    const emailEvents = new EventQueue(this, 'EmailEvents', {
      topic: emailEventsTopic, visibilityTimeout: config.events.visibilityTimeout, maxReceiveCount: config.events.maxReceiveCount, removalPolicy: config.removalPolicy,
    });
    Validations.of(emailEvents.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself a dead-letter queue; its messages are redriven by operators.' });

    const messagingEnvironment = {
      PUBLIC_API_URL: publicApiUrl,
      MESSAGING_PROVIDER_SECRETS: stack.toJsonString(Object.fromEntries(MESSAGING_PROVIDERS.map((p) => [p, data.providerSecrets[p].secretArn]))),
      SMS_PROVIDER_CHAINS: JSON.stringify(SMS_PROVIDER_CHAINS),
    };
    /** A function that calls messaging providers: their secrets, breakers, cached tokens and audit trail. */
    const withProviders = (fn: ServiceFunction) => {
      fn.bindTable('INTEGRATION_STATE_TABLE', data.tables.integrationState, 'readWrite').bindTable('AUDIT_TABLE', data.tables.audit, 'readWrite');
      for (const [name, value] of Object.entries(messagingEnvironment)) fn.addEnvironment(name, value);
      for (const provider of MESSAGING_PROVIDERS) data.providerSecrets[provider].grantRead(fn);
      return fn;
    };
    /** A function that sends messages: providers, SES, templates and the signing key for links. */
    const sender = (fn: ServiceFunction) => {
      withProviders(fn).bindTable('NOTIFICATIONS_TABLE', table, 'readWrite')
        .bindSecretReader('SIGNING_KEY_SECRET_ARN', data.notificationSigningKey);
      for (const [name, value] of Object.entries({ ...SENDER, SES_CONFIGURATION_SET: configurationSet.ref })) fn.addEnvironment(name, value);
      fn.addToRolePolicy(new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }),
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.ref }),
        ],
      }));
      Validations.of(fn.serviceRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
        reason: 'The sender identity (domain or address) is verified per deployment outside the template; SendEmail is limited to this configuration set.',
      });
      return fn;
    };

    this.eventsConsumer = new EventConsumer(this, 'NotificationEventsConsumer', {
      config, capability: 'notifications', handler: 'consume-notification-events',
      description: 'Sends the messages events call for (order confirmed, payment failed, shipping, refunds, seller messages)',
      events: data.notificationEvents, idempotencyTable: data.tables.idempotency,
    });
    sender(this.eventsConsumer.fn).bindTable('ORDERS_TABLE', data.tables.orders, 'read');

    const fn = (fnId: string, handler: string, description: string, timeout?: Duration) => {
      const created = new ServiceFunction(this, fnId, { config, capability: 'notifications', handler, description, timeout });
      this.functions[fnId] = created;
      return created;
    };

    const emailEventsFn = fn('EmailEventsConsumerFn', 'consume-email-events', 'SES sends, deliveries, bounces and complaints: message status, suppression', config.events.consumerTimeout)
      .bindTable('NOTIFICATIONS_TABLE', table, 'readWrite');
    emailEventsFn.addEventSource(new SqsEventSource(emailEvents.queue, { batchSize: 10, maxBatchingWindow: Duration.seconds(1), reportBatchItemFailures: true, maxConcurrency: 2 }));

    const receipts = withProviders(fn('DeliveryReceiptFn', 'receive-delivery-receipt', 'POST/GET /v1/webhooks/{twilio,esms,zalo,hifpt}: verified delivery receipts'))
      .bindTable('NOTIFICATIONS_TABLE', table, 'readWrite');
    for (const [provider, method] of [['twilio', 'POST'], ['esms', 'GET'], ['zalo', 'POST'], ['hifpt', 'POST']] as const) {
      api.addRoute({ method, path: `/webhooks/${provider}`, handler: receipts, auth: 'none' });
    }

    const preferences = fn('UpdatePreferencesFn', 'update-preferences', 'PUT /v1/recipients/{recipientId}/preferences')
      .bindTable('NOTIFICATIONS_TABLE', table, 'readWrite').bindSecretReader('SIGNING_KEY_SECRET_ARN', data.notificationSigningKey);
    api.addRoute({ method: 'PUT', path: '/recipients/{recipientId}/preferences', handler: preferences, auth: 'apiKey' });

    const unsubscribe = fn('UnsubscribeFn', 'unsubscribe', 'GET/POST /v1/unsubscribe/{token}: the page and RFC 8058 one-click')
      .bindTable('NOTIFICATIONS_TABLE', table, 'readWrite').bindSecretReader('SIGNING_KEY_SECRET_ARN', data.notificationSigningKey);
    api.addRoute({ method: 'GET', path: '/unsubscribe/{token}', handler: unsubscribe, auth: 'none' });
    api.addRoute({ method: 'POST', path: '/unsubscribe/{token}', handler: unsubscribe, auth: 'none' });

    const preview = fn('PreviewTemplateFn', 'preview-template', 'POST /v1/templates/{templateId}/preview').bindTable('NOTIFICATIONS_TABLE', table, 'read');
    api.addRoute({ method: 'POST', path: '/templates/{templateId}/preview', handler: preview, auth: 'apiKey' });

    const contact = fn('PutSellerContactFn', 'put-seller-contact', 'PUT /v1/sellers/{sellerId}/contact (operators)').bindTable('NOTIFICATIONS_TABLE', table, 'readWrite');
    api.addRoute({ method: 'PUT', path: '/sellers/{sellerId}/contact', handler: contact, auth: 'iam' });

    const getMessage = fn('GetMessageFn', 'get-message', 'GET /v1/messages/{messageId} (operators)').bindTable('NOTIFICATIONS_TABLE', table, 'read');
    api.addRoute({ method: 'GET', path: '/messages/{messageId}', handler: getMessage, auth: 'iam' });

    const verifyLink = fn('VerifyAccountLinkFn', 'verify-account-link', 'POST /v1/account-links/verify')
      .bindTable('NOTIFICATIONS_TABLE', table, 'read').bindSecretReader('SIGNING_KEY_SECRET_ARN', data.notificationSigningKey);
    api.addRoute({ method: 'POST', path: '/account-links/verify', handler: verifyLink, auth: 'apiKey' });

    for (const [fnId, handler, method, path, auth, description] of [
      ['SendAccountMessageFn', 'send-account-message', 'POST', '/account-messages', 'apiKey', 'POST /v1/account-messages: verification, password reset, new-device alerts'],
      ['SendMessageFn', 'send-message', 'POST', '/messages', 'iam', 'POST /v1/messages (operators): one message to one recipient'],
    ] as const) {
      const created = sender(fn(fnId, handler, description, Duration.seconds(29))).bindTable('IDEMPOTENCY_TABLE', data.tables.idempotency, 'readWrite');
      api.addRoute({ method, path, handler: created, auth });
    }

    // Monday 03:00 UTC is 09:00 in Dhaka: last week's summary and milestones. A failed run is retried by the
    // asynchronous invocation (twice); the job sends nothing twice.
    const weekly = sender(fn('WeeklySummaryFn', 'send-weekly-summaries', 'Mondays: last week\'s summary to every seller who sold, and milestone congratulations', Duration.minutes(5)));
    new Rule(this, 'WeeklySummarySchedule', {
      description: 'Weekly seller summaries and milestones (Monday 09:00 Asia/Dhaka)',
      schedule: Schedule.cron({ minute: '0', hour: '3', weekDay: 'MON' }),
      targets: [new LambdaFunction(weekly, { retryAttempts: 2 })],
    });
  }
}
