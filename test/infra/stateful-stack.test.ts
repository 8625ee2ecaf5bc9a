import { Match } from 'aws-cdk-lib/assertions';
import { PROVIDERS } from '../../lib/config/providers';
import { NOTIFICATION_EVENT_TYPES } from '../../functions/notifications/domain/consumed-events';
import { notificationEventHandlers } from '../../functions/notifications/domain/event-handlers';
import { SHIPPING_EVENT_TYPES } from '../../functions/shipping/domain/consumed-events';
import { shippingEventHandlers } from '../../functions/shipping/domain/event-handlers';
import { synthEnvironment } from '../support/synth';

const dev = synthEnvironment('dev');
const prod = synthEnvironment('prod');

describe('tables', () => {
  it('are on-demand, KMS-encrypted and have point-in-time recovery', () => {
    const tables = dev.stateful.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(7);
    for (const table of Object.values(tables)) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true }, // enabled without SSEType = the AWS-managed KMS key
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it('use pk/sk with the gsi1 index, except the idempotency table keyed on id with a TTL', () => {
    dev.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' })],
    });
    dev.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
  });

  it('are retained outside dev and deleted with a dev stack', () => {
    for (const table of Object.values(prod.stateful.findResources('AWS::DynamoDB::Table'))) expect(table.DeletionPolicy).toBe('Retain');
    for (const table of Object.values(dev.stateful.findResources('AWS::DynamoDB::Table'))) expect(table.DeletionPolicy).toBe('Delete');
  });
});

describe('events', () => {
  it('go through one KMS-encrypted topic that only accepts TLS', () => {
    dev.stateful.resourceCountIs('AWS::SNS::Topic', 1);
    dev.stateful.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    dev.stateful.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    dev.stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it.each([
    ['shipping', SHIPPING_EVENT_TYPES],
    ['notifications', NOTIFICATION_EVENT_TYPES],
  ])('reach the %s queue raw, filtered by type', (_, types) => {
    dev.stateful.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      FilterPolicy: { type: [...types] },
    });
  });

  it.each([
    ['shipping', SHIPPING_EVENT_TYPES, Object.keys(shippingEventHandlers({} as never))],
    ['notifications', NOTIFICATION_EVENT_TYPES, Object.keys(notificationEventHandlers({} as never))],
  ])('the %s queue receives exactly the events its consumer reacts to', (_, subscribed, handled) => {
    expect([...subscribed].sort()).toEqual([...handled].sort());
  });

  it('queues are encrypted and move a message to their DLQ after 5 receives', () => {
    const queues = Object.values(dev.stateful.findResources('AWS::SQS::Queue'));
    const withDlq = queues.filter((q) => q.Properties.RedrivePolicy);
    expect(withDlq).toHaveLength(2);
    for (const queue of withDlq) {
      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(30);
    }
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    for (const dlq of queues.filter((q) => !q.Properties.RedrivePolicy)) expect(dlq.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });
});

describe('provider secrets', () => {
  it('exist once per provider, starting with the environment’s base URL', () => {
    // One per provider, plus the notifications signing key.
    dev.stateful.resourceCountIs('AWS::SecretsManager::Secret', PROVIDERS.length + 1);
    dev.stateful.hasResourceProperties('AWS::SecretsManager::Secret', { SecretString: JSON.stringify({ baseUrl: 'https://tokenized.sandbox.bka.sh' }) });
    prod.stateful.hasResourceProperties('AWS::SecretsManager::Secret', { SecretString: JSON.stringify({ baseUrl: 'https://tokenized.pay.bka.sh' }) });
  });
});
