import { Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PROVIDERS } from '../config/providers';
import type { CapabilityProps } from './capability';
import { ServiceFunction } from './service-function';

/** Health of the deployment and the API's own description. */
export class Operations extends Construct {
  readonly healthFn: ServiceFunction;
  readonly openApiFn: ServiceFunction;
  readonly integrationHealthFn: ServiceFunction;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id);
    const { config, data, api } = props;

    this.healthFn = new ServiceFunction(this, 'GetHealthFn', {
      config, capability: 'operations', handler: 'get-health',
      description: 'GET /v1/health: probes the tables, the events topic and the provider secrets',
      timeout: Duration.seconds(6),
      memorySize: 256,
    });
    const tables = Object.entries(data.tables);
    const secrets = Object.entries(data.providerSecrets);
    this.healthFn.addEnvironment('HEALTH_DEPENDENCIES', Stack.of(this).toJsonString({
      tables: Object.fromEntries(tables.map(([name, table]) => [name, table.tableName])),
      topics: { events: data.eventsTopic.topicArn },
      secrets: Object.fromEntries(secrets.map(([name, secret]) => [name, secret.secretArn])),
    }));
    this.healthFn
      .allowDescribe(['dynamodb:DescribeTable'], tables.map(([, table]) => table.tableArn))
      .allowDescribe(['sns:GetTopicAttributes'], [data.eventsTopic.topicArn])
      .allowDescribe(['secretsmanager:DescribeSecret'], secrets.map(([, secret]) => secret.secretArn));
    api.addRoute({ method: 'GET', path: '/health', handler: this.healthFn, auth: 'none' });

    this.openApiFn = new ServiceFunction(this, 'GetOpenApiFn', {
      config, capability: 'operations', handler: 'get-openapi',
      description: 'GET /v1/openapi.json: the OpenAPI document built from the request schemas',
      memorySize: 256,
    });
    api.addRoute({ method: 'GET', path: '/openapi.json', handler: this.openApiFn, auth: 'none' });

    this.integrationHealthFn = new ServiceFunction(this, 'GetIntegrationHealthFn', {
      config, capability: 'operations', handler: 'get-integration-health',
      description: 'GET /v1/ops/health (operators, SigV4): circuit breakers, error rates and latency per provider',
      memorySize: 256,
      environment: { PROVIDER_IDS: PROVIDERS.map((p) => p.id).join(',') },
    })
      .bindTable('INTEGRATION_STATE_TABLE', data.tables.integrationState, 'read')
      .bindTable('AUDIT_TABLE', data.tables.audit, 'read');
    api.addRoute({ method: 'GET', path: '/ops/health', handler: this.integrationHealthFn, auth: 'iam' });
  }
}
