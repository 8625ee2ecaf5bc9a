import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { platformEnv, setEnv } from '../../../../support/env';
import { aLambdaContext } from '../../../../support/lambda-context';
import { captureLogs } from '../../../../support/log-capture';
import { anSqsEvent, anSqsRecord } from '../../../../support/sqs';
import { sampleEvent } from '../../../../support/sample-event';


setEnv({
  ...platformEnv, POWERTOOLS_SERVICE_NAME: 'notifications', IDEMPOTENCY_TABLE: 'idempotency-table', AWS_REGION: 'us-east-1',
  NOTIFICATIONS_TABLE: 'notifications-table', ORDERS_TABLE: 'orders-table', INTEGRATION_STATE_TABLE: 'state-table', AUDIT_TABLE: 'audit-table',
  SIGNING_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:signing', PUBLIC_API_URL: 'https://api.example/v1',
  MESSAGING_PROVIDER_SECRETS: '{}', SMS_PROVIDER_CHAINS: '{"*":["twilio"]}', EMAIL_FROM: 'shop@example.com', SES_CONFIGURATION_SET: 'set',
  COMPANY_NAME: 'Shop', COMPANY_POSTAL_ADDRESS: 'Dhaka',
});
const { handler } = require('../../../../../functions/notifications/handlers/consume-notification-events') as typeof import('../../../../../functions/notifications/handlers/consume-notification-events');

const dynamo = mockClient(DynamoDBClient);
// The order reader goes through the document client (lib-dynamodb), which the low-level mock does not catch.
const documents = mockClient(DynamoDBDocumentClient);
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
  dynamo.on(PutItemCommand).resolves({}).on(UpdateItemCommand).resolves({});
});
afterEach(() => {
  logs.stop();
  dynamo.reset();
});
afterAll(() => {
  dynamo.restore();
  documents.restore();
});

const anEvent = { id: 'evt_01', type: 'order.created', version: 1, occurredAt: '2026-03-01T10:00:00Z', orderId: 'ord_1', data: {} };

describe('consume-notification-events', () => {
  it('handles the sample batch in events/notifications/shipment-delayed.sqs.json (its order is unknown here: nothing to send)', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });
    const response = await handler(sampleEvent('notifications/shipment-delayed.sqs.json'), aLambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(1);
  });

  it('records the event id in the idempotency table under the notifications scope, then acknowledges the not-yet-handled type', async () => {
    const response = await handler(anSqsEvent(anSqsRecord(anEvent)), aLambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    const [put] = dynamo.commandCalls(PutItemCommand);
    expect(put.args[0].input).toMatchObject({
      TableName: 'idempotency-table',
      Item: { id: { S: expect.stringMatching(/^notifications\.events#/) }, status: { S: 'INPROGRESS' }, expiration: { N: expect.any(String) } },
    });
    const [update] = dynamo.commandCalls(UpdateItemCommand);
    expect(update.args[0].input.ExpressionAttributeValues).toMatchObject({ ':status': { S: 'COMPLETED' } });
    expect(logs.logs()).toContainEqual(expect.objectContaining({ message: 'event not handled yet', eventType: 'order.created', service: 'notifications' }));
  });

  it('sends a body that is not an envelope back to the queue without touching the table', async () => {
    const poison = anSqsRecord('not an event');

    const response = await handler(anSqsEvent(poison), aLambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
    expect(dynamo.calls()).toHaveLength(0);
  });
});
