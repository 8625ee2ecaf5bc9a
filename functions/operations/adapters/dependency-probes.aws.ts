import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetTopicAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import { DependencyUnhealthyError } from '../domain/check-health';
import type { DependencyProbe } from '../domain/ports';

/** HEALTH_DEPENDENCIES: `{ tables: { orders: "<name>" }, topics: { events: "<arn>" }, secrets: { bkash: "<arn>" } }`. */
export const healthDependenciesSchema = z.object({
  tables: z._default(z.record(z.string(), z.string()), {}),
  topics: z._default(z.record(z.string(), z.string()), {}),
  secrets: z._default(z.record(z.string(), z.string()), {}),
});
export type HealthDependencies = z.output<typeof healthDependenciesSchema>;

export interface ProbeClients {
  dynamoDb: DynamoDBClient;
  sns: SNSClient;
  secretsManager: SecretsManagerClient;
}

/** A table is healthy when DescribeTable says ACTIVE (UPDATING still serves traffic, but we want to know). */
const tableProbe = (client: DynamoDBClient, name: string, tableName: string): DependencyProbe => ({
  name: `table:${name}`,
  async check(signal) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal: signal });
    if (Table?.TableStatus !== 'ACTIVE') throw new DependencyUnhealthyError(`table status ${Table?.TableStatus ?? 'unknown'}`);
  },
});

const topicProbe = (client: SNSClient, name: string, topicArn: string): DependencyProbe => ({
  name: `topic:${name}`,
  async check(signal) {
    await client.send(new GetTopicAttributesCommand({ TopicArn: topicArn }), { abortSignal: signal });
  },
});

/** DescribeSecret reads metadata only; the secret value is never fetched. A secret scheduled for deletion is unhealthy. */
const secretProbe = (client: SecretsManagerClient, name: string, secretArn: string): DependencyProbe => ({
  name: `secret:${name}`,
  async check(signal) {
    const secret = await client.send(new DescribeSecretCommand({ SecretId: secretArn }), { abortSignal: signal });
    if (secret.DeletedDate) throw new DependencyUnhealthyError('secret scheduled for deletion');
  },
});

/** One probe per table, topic and secret in `dependencies`, in that order. */
export const dependencyProbes = (dependencies: HealthDependencies, clients: ProbeClients): DependencyProbe[] => [
  ...Object.entries(dependencies.tables).map(([name, table]) => tableProbe(clients.dynamoDb, name, table)),
  ...Object.entries(dependencies.topics).map(([name, arn]) => topicProbe(clients.sns, name, arn)),
  ...Object.entries(dependencies.secrets).map(([name, arn]) => secretProbe(clients.secretsManager, name, arn)),
];
