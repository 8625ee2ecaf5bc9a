import { Duration } from 'aws-cdk-lib';
import { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm, ComparisonOperator, Dashboard, GraphWidget, Metric, Stats, TextWidget, TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environments';

export interface ObservabilityProps {
  readonly config: EnvironmentConfig;
  readonly api: RestApi;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly queues: Readonly<Record<string, { queue: IQueue; deadLetterQueue: IQueue }>>;
  readonly paymentSaga: StateMachine;
}

const FIVE_MINUTES = Duration.minutes(5);

/** The operators' dashboard and the alarms that page them through the ops topic. */
export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly opsTopic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config, api, functions, queues, paymentSaga } = props;

    const opsKey = new Key(this, 'OpsTopicKey', { description: 'Encrypts the ops alarm topic', enableKeyRotation: true, removalPolicy: config.removalPolicy });
    // CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key; this key lets them.
    opsKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.opsTopic = new Topic(this, 'OpsTopic', { masterKey: opsKey, enforceSSL: true });
    const notifyOps = new SnsAction(this.opsTopic);

    const alarm = (alarmId: string, metric: Metric, threshold: number, description: string) => {
      const created = metric.createAlarm(this, alarmId, {
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(notifyOps);
      created.addOkAction(notifyOps);
      this.alarms.push(created);
      return created;
    };

    const api5xx = api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM });
    const apiLatency = api.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(99) });
    alarm('Api5xxAlarm', api5xx, config.alarms.api5xxPerFiveMinutes, 'The API answers 5xx');
    alarm('ApiLatencyAlarm', apiLatency, config.alarms.apiP99LatencyMs, 'API p99 latency is above target');

    for (const [name, { deadLetterQueue }] of Object.entries(queues)) {
      alarm(`${name}DeadLettersAlarm`, deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
        config.alarms.deadLetterMessages, `Events wait in the ${name} dead-letter queue: inspect and redrive`);
    }
    for (const [name, fn] of Object.entries(functions)) {
      alarm(`${name}ErrorsAlarm`, fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        config.alarms.functionErrorsPerFiveMinutes, `${name} fails`);
    }
    const sagaFailed = paymentSaga.metricFailed({ period: FIVE_MINUTES, statistic: Stats.SUM });
    alarm('PaymentSagaFailedAlarm', sagaFailed, config.alarms.failedPaymentsPerFiveMinutes, 'Payment attempts fail more than usual');

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: `# Commerce Hub (${config.name})\nAlarms notify the ops topic. Dead letters are redriven with \`POST /v1/ops/dead-letters/{queue}/redrive\`.`, width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'API requests and errors', left: [api.metricCount({ period: FIVE_MINUTES }), api.metricClientError({ period: FIVE_MINUTES }), api5xx], width: 12 }),
      new GraphWidget({ title: 'API latency p50 / p99 (ms)', left: [api.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(50) }), apiLatency], width: 12 }),
    );
    const fnList = Object.values(functions);
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Function errors', left: fnList.map((fn) => fn.metricErrors({ period: FIVE_MINUTES })), width: 8 }),
      new GraphWidget({ title: 'Function duration p99', left: fnList.map((fn) => fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(99) })), width: 8 }),
      new GraphWidget({ title: 'Function throttles', left: fnList.map((fn) => fn.metricThrottles({ period: FIVE_MINUTES })), width: 8 }),
    );
    const queueList = Object.values(queues);
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Event queue depth', left: queueList.map(({ queue }) => queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES })), width: 8 }),
      new GraphWidget({ title: 'Oldest event age (s)', left: queueList.map(({ queue }) => queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES })), width: 8 }),
      new GraphWidget({ title: 'Dead letters', left: queueList.map(({ deadLetterQueue }) => deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES })), width: 8 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Payment saga executions',
        left: [paymentSaga.metricStarted({ period: FIVE_MINUTES }), paymentSaga.metricSucceeded({ period: FIVE_MINUTES }), sagaFailed, paymentSaga.metricTimedOut({ period: FIVE_MINUTES })],
        width: 24,
      }),
    );
  }
}
