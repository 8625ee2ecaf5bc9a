import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { anApiGatewayEvent } from '../../../../support/api-gateway';
import { platformEnv, setEnv } from '../../../../support/env';
import { aLambdaContext } from '../../../../support/lambda-context';
import { captureLogs } from '../../../../support/log-capture';
import { sampleEvent } from '../../../../support/sample-event';


const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:000000000000:${resource}`;
setEnv({
  ...platformEnv,
  AWS_REGION: 'us-east-1',
  HEALTH_DEPENDENCIES: JSON.stringify({
    tables: { orders: 'orders-table', catalog: 'catalog-table' },
    topics: { events: arn('sns', 'events') },
    secrets: { bkash: arn('secretsmanager', 'secret:bkash-AbCdEf') },
  }),
});
const { handler } = require('../../../../../functions/operations/handlers/get-health') as typeof import('../../../../../functions/operations/handlers/get-health');

const dynamo = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
let logs: ReturnType<typeof captureLogs>;

beforeEach(() => {
  logs = captureLogs();
  dynamo.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  sns.on(GetTopicAttributesCommand).resolves({ Attributes: {} });
  secrets.on(DescribeSecretCommand).resolves({ Name: 'bkash' });
});
afterEach(() => {
  logs.stop();
  for (const client of [dynamo, sns, secrets]) client.reset();
});
afterAll(() => {
  for (const client of [dynamo, sns, secrets]) client.restore();
});

const getHealth = async (event = anApiGatewayEvent({ path: '/health' })) => {
  const result = await handler(event, aLambdaContext());
  return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body) };
};

describe('GET /health', () => {
  it('answers the sample request in events/operations/get-health.apigw.json', async () => {
    const { status, body } = await getHealth(sampleEvent('operations/get-health.apigw.json'));

    expect(status).toBe(200);
    expect(body.status).toBe('ok');
  });

  it('answers 200 ok when every table is ACTIVE and the topic and secret are described', async () => {
    const { status, body, headers } = await getHealth();

    expect(status).toBe(200);
    expect(headers).toMatchObject({ 'cache-control': 'no-store' });
    expect(body.status).toBe('ok');
    expect(body.dependencies.map((dependency: { name: string }) => dependency.name)).toEqual([
      'table:orders',
      'table:catalog',
      'topic:events',
      'secret:bkash',
    ]);
    expect(dynamo.commandCalls(DescribeTableCommand).map((call) => call.args[0].input.TableName)).toEqual(['orders-table', 'catalog-table']);
  });

  it('never reads a secret value', async () => {
    await getHealth();

    expect(secrets.commandCalls(DescribeSecretCommand)).toHaveLength(1);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('answers 503 degraded, same shape, with the failing dependency in error and the others ok', async () => {
    dynamo
      .on(DescribeTableCommand, { TableName: 'catalog-table' })
      .rejects(new ResourceNotFoundException({ message: 'Requested resource not found: arn:aws:dynamodb:…', $metadata: {} }));

    const { status, body } = await getHealth();

    expect(status).toBe(503);
    expect(body.status).toBe('degraded');
    expect(body.dependencies).toContainEqual({ name: 'table:catalog', status: 'error', latencyMs: expect.any(Number), error: 'ResourceNotFoundException' });
    expect(body.dependencies.filter((dependency: { status: string }) => dependency.status === 'ok')).toHaveLength(3);
    expect(logs.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'dependencies unhealthy' }));
  });

  it('counts a table that is not ACTIVE as an error', async () => {
    dynamo.on(DescribeTableCommand, { TableName: 'orders-table' }).resolves({ Table: { TableStatus: 'UPDATING' } });

    const { status, body } = await getHealth();

    expect(status).toBe(503);
    expect(body.dependencies[0]).toMatchObject({ name: 'table:orders', status: 'error', error: 'table status UPDATING' });
  });
});
