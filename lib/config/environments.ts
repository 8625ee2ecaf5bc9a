import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Everything that differs between environments. Constructs read these values; none branches on the name. */
export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** Deploy target; undefined = the CLI's current account/region (environment-agnostic synth). */
  readonly account?: string;
  readonly region?: string;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly logRetention: RetentionDays;
  /** What happens to tables, queues, keys and secrets when a stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  /** Whether provider secrets start with the providers' sandbox or production base URLs. */
  readonly providerEndpoints: 'sandbox' | 'production';
  readonly api: {
    /** Per-store default throttle of the usage plan (requests/s and burst). */
    readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
    readonly dailyQuota: number;
  };
  readonly events: {
    /** A queue consumer's Lambda timeout. */
    readonly consumerTimeout: Duration;
    /**
     * How long a received message stays invisible; also the delay before a failed message is retried. AWS asks for
     * at least the consumer timeout (and recommends 6x with batching windows); checked when the stack is built.
     */
    readonly visibilityTimeout: Duration;
    /** Receives before a message is moved to its dead-letter queue. */
    readonly maxReceiveCount: number;
  };
  readonly payments: {
    /** How long the refund workflow waits before it asks the gateway again about a refund still pending there. */
    readonly refundStatusPollInterval: Duration;
  };
  readonly alarms: {
    /** Messages waiting in any dead-letter queue before the alarm fires. */
    readonly deadLetterMessages: number;
    /** API 5xx responses per 5 minutes. */
    readonly api5xxPerFiveMinutes: number;
    /** p99 API latency in milliseconds. */
    readonly apiP99LatencyMs: number;
    /** Lambda errors per function per 5 minutes. */
    readonly functionErrorsPerFiveMinutes: number;
    /** Payment saga executions failed per 5 minutes. */
    readonly failedPaymentsPerFiveMinutes: number;
  };
}

const base = {
  providerEndpoints: 'sandbox',
  api: { throttle: { rateLimit: 50, burstLimit: 100 }, dailyQuota: 200_000 },
  events: { consumerTimeout: Duration.seconds(30), visibilityTimeout: Duration.seconds(180), maxReceiveCount: 5 },
  payments: { refundStatusPollInterval: Duration.minutes(5) },
} as const;

export const ENVIRONMENTS: Record<EnvironmentName, EnvironmentConfig> = {
  dev: {
    ...base,
    name: 'dev',
    logLevel: 'DEBUG',
    logRetention: RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    alarms: { deadLetterMessages: 1, api5xxPerFiveMinutes: 20, apiP99LatencyMs: 3000, functionErrorsPerFiveMinutes: 10, failedPaymentsPerFiveMinutes: 20 },
  },
  staging: {
    ...base,
    name: 'staging',
    logLevel: 'INFO',
    logRetention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.RETAIN,
    alarms: { deadLetterMessages: 1, api5xxPerFiveMinutes: 10, apiP99LatencyMs: 2000, functionErrorsPerFiveMinutes: 5, failedPaymentsPerFiveMinutes: 10 },
  },
  prod: {
    ...base,
    name: 'prod',
    logLevel: 'INFO',
    logRetention: RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
    providerEndpoints: 'production',
    api: { throttle: { rateLimit: 200, burstLimit: 400 }, dailyQuota: 2_000_000 },
    alarms: { deadLetterMessages: 1, api5xxPerFiveMinutes: 5, apiP99LatencyMs: 1500, functionErrorsPerFiveMinutes: 3, failedPaymentsPerFiveMinutes: 10 },
  },
};

/** The config for `-c env=<name>`; an unknown name is an error that lists the valid ones. */
export const environmentConfig = (name: unknown): EnvironmentConfig => {
  if (typeof name !== 'string' || !(ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    throw new Error(`Unknown environment ${JSON.stringify(name)}: use -c env=${ENVIRONMENT_NAMES.join('|')}`);
  }
  return ENVIRONMENTS[name as EnvironmentName];
};
