import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { dynamoAuditLog } from '../../../../functions/_platform/audit-log.dynamo';
import { platformEnv, setEnv } from '../../../support/env';
import { inMemoryCircuitBreakerStore } from '../../../support/in-memory/circuit-breaker-store';
import { answer, manualClock, sharedStateFixture } from './fake-provider';

// The client writing its audit records to the local runtime's DynamoDB through the real SDK.
setEnv(platformEnv);
const { createHttpClient } =
  require('../../../../functions/_platform/resilient-http-client') as typeof import('../../../../functions/_platform/resilient-http-client');

const TABLE = 'audit';
const state = sharedStateFixture(TABLE);

describe('audit records in DynamoDB', () => {
  it('stores one masked record per call, found by order through gsi1, expiring after 7 years', async () => {
    const clock = manualClock(Date.parse('2025-01-15T10:00:00Z'));
    const http = createHttpClient({ breakers: inMemoryCircuitBreakerStore(), audit: dynamoAuditLog(TABLE, state.client), clock });
    state.provider.behave(answer(200, JSON.stringify({ paymentID: 'TR0011', customerMsisdn: '01712345678', id_token: 'tok_abcdef' })));

    await http.send({
      provider: 'bkash',
      operation: 'execute',
      method: 'POST',
      url: `${state.provider.url}/tokenized/checkout/execute?app_key=key-4242`,
      headers: { authorization: 'tok_abcdef', 'x-app-key': 'key-4242' },
      body: { paymentID: 'TR0011', password: 'hunter2-password', payer: { email: 'rahim@example.com', card: '4111111111111111', otp: '492817' } },
      context: { orderId: 'ord_42', paymentId: 'pay_7' },
    });

    const { Items = [] } = await state.client.send(new ScanCommand({ TableName: TABLE }));
    expect(Items).toHaveLength(1);
    const [item] = Items;
    expect(item).toMatchObject({
      pk: { S: 'AUDIT#bkash#2025-01-15' },
      sk: { S: expect.stringMatching(/^2025-01-15T10:00:00\.000Z#/) },
      gsi1pk: { S: 'ORDER#ord_42' },
      provider: { S: 'bkash' }, operation: { S: 'execute' }, method: { S: 'POST' },
      status: { N: '200' }, attempts: { N: '1' }, outcome: { S: 'answered' }, latencyMs: { N: expect.any(String) },
      orderId: { S: 'ord_42' }, paymentId: { S: 'pay_7' },
      expiresAt: { N: String(Date.parse('2032-01-15T10:00:00Z') / 1000) },
    });
    const stored = JSON.stringify(item);
    for (const secret of ['key-4242', 'tok_abcdef', 'hunter2-password', 'rahim@example.com', '4111111111111111', '492817', '01712345678']) {
      expect(stored).not.toContain(secret);
    }
    expect(stored).toContain('TR0011');

    const byOrder = await state.client.send(
      new QueryCommand({ TableName: TABLE, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :order', ExpressionAttributeValues: { ':order': { S: 'ORDER#ord_42' } } }),
    );
    expect(byOrder.Items?.map((found) => found.sk)).toEqual([item.sk]);
  });
});
