import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { platformEnv, setEnv } from '../../../../support/env';
import { aLambdaContext } from '../../../../support/lambda-context';
import { captureLogs } from '../../../../support/log-capture';
import { anSqsEvent, anSqsRecord } from '../../../../support/sqs';
import { sampleEvent } from '../../../../support/sample-event';


setEnv({ ...platformEnv, POWERTOOLS_SERVICE_NAME: 'notifications', IDEMPOTENCY_TABLE: 'idempotency-table', AWS_REGION: 'us-east-1' });
const { handler } = require('../../../../../functions/notifications/handlers/consume-notification-events') as typeof import('../../../../../functions/notifications/handlers/consume-notification-events');

const dynamo = mockClient(DynamoDBClient);
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
  dynamo.on(PutItemCommand).resolves({}).on(UpdateItemCommand).resolves({});
});
afterEach(() => {
  logs.stop();
  dynamo.reset();
});
afterAll(() => dynamo.restore());

const anEvent = { id: 'evt_01', type: 'order.paid', version: 1, occurredAt: '2026-03-01T10:00:00Z', orderId: 'ord_1', data: {} };

describe('consume-notification-events', () => {
  it('handles the sample batch in events/notifications/shipment-delayed.sqs.json', async () => {
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
    expect(logs.logs()).toContainEqual(expect.objectContaining({ message: 'event not handled yet', eventType: 'order.paid', service: 'notifications' }));
  });

  it('sends a body that is not an envelope back to the queue without touching the table', async () => {
    const poison = anSqsRecord('not an event');

    const response = await handler(anSqsEvent(poison), aLambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
    expect(dynamo.calls()).toHaveLength(0);
  });
});
