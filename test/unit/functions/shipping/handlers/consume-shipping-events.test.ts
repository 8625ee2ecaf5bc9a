import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { platformEnv, setEnv } from '../../../../support/env';
import { aLambdaContext } from '../../../../support/lambda-context';
import { captureLogs } from '../../../../support/log-capture';
import { anSqsEvent, anSqsRecord } from '../../../../support/sqs';
import { sampleEvent } from '../../../../support/sample-event';


setEnv({ ...platformEnv, POWERTOOLS_SERVICE_NAME: 'shipping', IDEMPOTENCY_TABLE: 'idempotency-table', AWS_REGION: 'us-east-1',
  ORDERS_TABLE: 'orders-table', SHIPPING_TABLE: 'shipping-table', CARRIER_SECRETS: '{}', INTEGRATION_STATE_TABLE: 'state-table', AUDIT_TABLE: 'audit-table', EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:events' });
const { handler } = require('../../../../../functions/shipping/handlers/consume-shipping-events') as typeof import('../../../../../functions/shipping/handlers/consume-shipping-events');

const dynamo = mockClient(DynamoDBClient);
const documents = mockClient(DynamoDBDocumentClient);
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
  dynamo.on(PutItemCommand).resolves({}).on(UpdateItemCommand).resolves({});
  documents.on(QueryCommand).resolves({ Items: [] });
});
afterEach(() => {
  logs.stop();
  dynamo.reset();
  documents.reset();
});
afterAll(() => {
  dynamo.restore();
  documents.restore();
});

const anEvent = { id: 'evt_01', type: 'order.paid', version: 1, occurredAt: '2026-03-01T10:00:00Z', orderId: 'ord_1', data: {} };

describe('consume-shipping-events', () => {
  it('handles the sample batch in events/shipping/order-paid.sqs.json', async () => {
    const response = await handler(sampleEvent('shipping/order-paid.sqs.json'), aLambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(1);
  });

  it('handles the sample batch in events/shipping/order-cancelled.sqs.json (its order is unknown here: nothing to cancel)', async () => {
    const response = await handler(sampleEvent('shipping/order-cancelled.sqs.json'), aLambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(documents.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({ TableName: 'orders-table', ExpressionAttributeValues: { ':pk': 'ORDER#ord_01JD5Q7Y2X3W4V5U6T7S8R9Q0P' } });
    expect(logs.logs()).toContainEqual(expect.objectContaining({ message: 'order.cancelled for an order that is not cancelled; nothing cancelled', orderId: 'ord_01JD5Q7Y2X3W4V5U6T7S8R9Q0P' }));
  });

  it('records the event id in the idempotency table under the shipping scope, then handles order.paid (an order it cannot find books nothing)', async () => {
    const response = await handler(anSqsEvent(anSqsRecord(anEvent)), aLambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    const [put] = dynamo.commandCalls(PutItemCommand);
    expect(put.args[0].input).toMatchObject({
      TableName: 'idempotency-table',
      Item: { id: { S: expect.stringMatching(/^shipping\.events#/) }, status: { S: 'INPROGRESS' }, expiration: { N: expect.any(String) } },
    });
    const [update] = dynamo.commandCalls(UpdateItemCommand);
    expect(update.args[0].input.ExpressionAttributeValues).toMatchObject({ ':status': { S: 'COMPLETED' } });
    expect(documents.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({ TableName: 'orders-table', ExpressionAttributeValues: { ':pk': 'ORDER#ord_1' } });
    expect(logs.logs()).toContainEqual(expect.objectContaining({ message: 'order.paid for an unknown order; nothing booked', orderId: 'ord_1', service: 'shipping' }));
  });

  it('sends a body that is not an envelope back to the queue without touching the table', async () => {
    const poison = anSqsRecord('not an event');

    const response = await handler(anSqsEvent(poison), aLambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
    expect(dynamo.calls()).toHaveLength(0);
  });
});
