import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environments';

export type Capability = 'checkout' | 'payments' | 'shipping' | 'notifications' | 'billing' | 'operations';

export interface ServiceFunctionProps {
  readonly config: EnvironmentConfig;
  readonly capability: Capability;
  /** Handler file under functions/<capability>/handlers/, without extension (e.g. 'get-health'). */
  readonly handler: string;
  readonly description: string;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** esbuild settings every function bundle shares (the benchmark's baseline bundle uses them too). */
export const BUNDLE_SETTINGS = {
  target: 'node22',
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  // Lambda hands a function its role's credentials in environment variables; the SDK's default chain (SSO, STS,
  // INI, IMDS, ~135 KB of every bundle) is never used there, so bundles get an environment-only provider.
  // `source-map` is loaded by Handlebars' template compiler only for source maps of compiled templates (never used).
  alias: {
    '@aws-sdk/credential-provider-node': path.join(PROJECT_ROOT, 'functions', '_platform', 'lambda-credentials.ts'),
    'source-map': path.join(PROJECT_ROOT, 'functions', '_platform', 'no-source-map.ts'),
  },
  // Loaded by the SDK only for event-stream operations (a dynamic import), which none of our clients has: leaving it
  // out saves ~15 KB per bundle. A function that adds such a client (Bedrock streaming, Transcribe) must drop this.
  external: ['@smithy/core/event-streams'],
} as const;

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * A Lambda function with the house defaults, held in one place: Node.js 22 on ARM64, the handler bundled by esbuild
 * (ESM, minified, tree-shaken, source maps, AWS SDK bundled at the version we test with rather than the runtime's),
 * Powertools environment, its own log group with the environment's retention, and active tracing.
 * Permissions are granted only through the bind helpers, which set the environment variable and the grant together.
 */
export class ServiceFunction extends NodejsFunction {
  /** The function's own role (also reachable as `role`, typed here as the concrete Role). */
  readonly serviceRole: Role;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const { config } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Its own role with write access to its own log group only (instead of the managed AWSLambdaBasicExecutionRole).
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: path.join(PROJECT_ROOT, 'functions', props.capability, 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_SETTINGS.target,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: [...BUNDLE_SETTINGS.mainFields],
        externalModules: [...BUNDLE_SETTINGS.external],
        banner: BUNDLE_SETTINGS.banner,
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLE_SETTINGS.alias).map(([from, to]) => [`--alias:${from}`, to])),
        logLevel: LogLevel.WARNING,
      },
      environment: {
        APP_ENV: config.name,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.capability,
        POWERTOOLS_METRICS_NAMESPACE: 'CommerceHub',
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        ...props.environment,
      },
    });
    this.serviceRole = role;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime the project builds and tests against; move with the toolchain, not ahead of it.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
    });
  }

  /**
   * Adds the statement to the role's one default policy. With cdk.json's `createNewPoliciesWithAddToRolePolicy` a
   * function would make a new AWS::IAM::Policy per statement, and the service stack would pass CloudFormation's
   * 500-resource limit.
   */
  override addToRolePolicy(statement: PolicyStatement): void {
    // `role`, not `serviceRole`: Function's own constructor adds X-Ray statements before serviceRole is assigned.
    this.role?.addToPrincipalPolicy(statement);
  }

  /**
   * Sets `envName` to the table name and grants exactly the access asked for, on the table and its `gsi1` index by
   * name (CDK's grantReadData would allow every index through `index/*`).
   */
  bindTable(envName: string, table: ITable, access: 'read' | 'readWrite'): this {
    this.addEnvironment(envName, table.tableName);
    const actions = access === 'read' ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE];
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [table.tableArn, `${table.tableArn}/index/gsi1`] }));
    return this;
  }

  /**
   * Sets `envName` to the topic ARN and grants Publish, plus exactly the two key actions SNS needs from a publisher
   * of an encrypted topic (CDK's grantPublish would allow `kms:GenerateDataKey*`).
   */
  bindTopicPublisher(envName: string, topic: ITopic): this {
    this.addEnvironment(envName, topic.topicArn);
    this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    if (topic.masterKey) {
      this.addToRolePolicy(new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [topic.masterKey.keyArn] }));
    }
    return this;
  }

  /** Lets the function read a secret's value; the ARN goes to `envName`. */
  bindSecretReader(envName: string, secret: ISecret): this {
    this.addEnvironment(envName, secret.secretArn);
    secret.grantRead(this);
    return this;
  }

  /** Grants metadata-only calls (no secret values, no data) for health probes. */
  allowDescribe(actions: string[], resourceArns: string[]): this {
    this.addToRolePolicy(new PolicyStatement({ actions, resources: resourceArns }));
    return this;
  }
}
