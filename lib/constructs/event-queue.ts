import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ITopic, SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface EventQueueProps {
  readonly topic: ITopic;
  /** Event types (the `type` message attribute) this queue receives; every message when absent (SES events have no type). */
  readonly eventTypes?: readonly string[];
  readonly visibilityTimeout: Duration;
  readonly maxReceiveCount: number;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A consumer's queue on the events topic: raw delivery (the body is the event JSON), a filter policy on the `type`
 * attribute, SSE, TLS-only access, and a dead-letter queue that keeps poison messages for the maximum 14 days.
 */
export class EventQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EventQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
      removalPolicy: props.removalPolicy,
    });
    props.topic.addSubscription(
      new SqsSubscription(this.queue, {
        rawMessageDelivery: true,
        ...(props.eventTypes && { filterPolicy: { type: SubscriptionFilter.stringFilter({ allowlist: [...props.eventTypes] }) } }),
      }),
    );
  }
}
