import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environments';
import type { DataTable } from './data-table';
import type { EventQueue } from './event-queue';
import { Capability, ServiceFunction } from './service-function';

export interface EventConsumerProps {
  readonly config: EnvironmentConfig;
  readonly capability: Capability;
  readonly handler: string;
  readonly description: string;
  readonly events: EventQueue;
  /** Where consumed event ids are remembered, so a redelivered event is handled once. */
  readonly idempotencyTable: DataTable;
}

/** A function fed by an event queue in batches, reporting partial batch failures so one bad event never blocks the rest. */
export class EventConsumer extends Construct {
  readonly fn: ServiceFunction;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
    super(scope, id);
    const { config } = props;
    if (config.events.visibilityTimeout.toSeconds() < config.events.consumerTimeout.toSeconds()) {
      throw new Error(`${id}: the queue visibility timeout must be at least the consumer timeout`);
    }
    this.fn = new ServiceFunction(this, 'Fn', {
      config, capability: props.capability, handler: props.handler, description: props.description,
      timeout: config.events.consumerTimeout,
    }).bindTable('IDEMPOTENCY_TABLE', props.idempotencyTable, 'readWrite');
    this.fn.addEventSource(new SqsEventSource(props.events.queue, {
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(1),
      reportBatchItemFailures: true,
      maxConcurrency: 5,
    }));
  }
}
