import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createSnsSigner, type UnsignedSnsMessage } from '../../../../../local/simulators/sns-signer';
import { anApiGatewayEvent } from '../../../../support/api-gateway';
import { platformEnv, setEnv } from '../../../../support/env';
import { aLambdaContext } from '../../../../support/lambda-context';
import { captureLogs } from '../../../../support/log-capture';

setEnv({
  ...platformEnv, POWERTOOLS_SERVICE_NAME: 'payments', AWS_REGION: 'us-east-1', ORDERS_TABLE: 'orders-table',
  PAYMENT_GATEWAYS: 'bkash', PAYMENT_GATEWAY_SECRETS: '{"bkash":"arn:bkash-secret"}', INTEGRATION_STATE_TABLE: 'state-table', AUDIT_TABLE: 'audit-table',
  REFUND_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:refunds',
});
const { handler } = require('../../../../../functions/payments/handlers/handle-bkash-webhook') as typeof import('../../../../../functions/payments/handlers/handle-bkash-webhook');

const TOPIC = 'arn:aws:sns:ap-southeast-1:000000000000:bkash-ipn';
const WALLET = '01770618575';
const signer = createSnsSigner();
const documents = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);
const confirmed: string[] = [];
let origin = '';
let server: Server;
let logs: ReturnType<typeof captureLogs>;

// Plays SNS's side: the signing certificate and the subscribe URL, on a loopback origin the secret trusts.
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/confirm')) confirmed.push(req.url);
    res.end(req.url === '/cert.pem' ? signer.certificatePem : '<ConfirmSubscriptionResponse/>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  documents.restore();
  secrets.restore();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  logs = captureLogs();
  secrets.on(GetSecretValueCommand).resolves({
    SecretString: JSON.stringify({ baseUrl: origin, username: 'u', password: 'p', appKey: 'k', appSecret: 's', ipnTopicArn: TOPIC, ipnCertificateOrigin: origin }),
  });
  documents.on(GetCommand).resolves({});
  documents.on(PutCommand).resolves({});
  documents.on(UpdateCommand).resolves({});
});
afterEach(() => {
  logs.stop();
  documents.reset();
  secrets.reset();
  confirmed.length = 0;
});

/** An SNS delivery as API Gateway hands it over: the JSON as text/plain, SNS's headers. */
const delivery = (message: UnsignedSnsMessage, tamper: (body: Record<string, unknown>) => Record<string, unknown> = (body) => body) =>
  anApiGatewayEvent({
    method: 'POST',
    path: '/webhooks/bkash',
    headers: { 'Content-Type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': message.Type },
    body: JSON.stringify(tamper({ ...signer.sign(message, `${origin}/cert.pem`) })),
  });
const ipn = (fields: Record<string, string>): UnsignedSnsMessage => ({
  Type: 'Notification', MessageId: 'm-1', TopicArn: TOPIC, Timestamp: '2026-03-01T10:00:00.000Z',
  Message: JSON.stringify({ trxID: 'TRX1', transactionStatus: 'Completed', amount: '700.00', currency: 'BDT', debitMSISDN: WALLET, ...fields }),
});
const ordersWrites = () => [...documents.commandCalls(UpdateCommand), ...documents.commandCalls(PutCommand)].filter((call) => call.args[0].input.TableName === 'orders-table');

describe('POST /v1/webhooks/bkash', () => {
  it('confirms a verified subscription by GETting its SubscribeURL (the body arrives as text/plain)', async () => {
    const subscribeUrl = `${origin}/confirm?Action=ConfirmSubscription&Token=t-1`;
    const res = await handler(delivery({ Type: 'SubscriptionConfirmation', MessageId: 'c-1', TopicArn: TOPIC, Token: 't-1', Message: 'confirm', SubscribeURL: subscribeUrl, Timestamp: '2026-03-01T10:00:00.000Z' }), aLambdaContext());

    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ subscribed: true });
    expect(confirmed).toEqual(['/confirm?Action=ConfirmSubscription&Token=t-1']);
  });

  it('refuses a forged IPN with 401 UNVERIFIED before reading or writing any payment', async () => {
    const res = await handler(delivery(ipn({ transactionReference: 'pay_01JD5Q7Y2X3W4V5U6T7S8R9Q0P_1' }), (body) => ({ ...body, Message: String(body.Message).replace('700.00', '7.00') })), aLambdaContext());

    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('UNVERIFIED');
    expect(documents.commandCalls(GetCommand).filter((call) => call.args[0].input.TableName === 'orders-table')).toEqual([]);
    expect(ordersWrites()).toEqual([]);
  });

  it('refuses a verified IPN for a payment we do not know with 401, and logs the payer\'s wallet only masked', async () => {
    const res = await handler(delivery(ipn({ transactionReference: 'pay_01JD5Q7Y2X3W4V5U6T7S8R9Q0Z_1' })), aLambdaContext());

    expect(res.statusCode).toBe(401);
    expect(ordersWrites()).toEqual([]);
    const received = logs.logs().find((line) => line.message === 'bkash ipn received');
    expect(received).toMatchObject({ paymentId: 'pay_01JD5Q7Y2X3W4V5U6T7S8R9Q0Z_1', transactionId: 'TRX1', transactionStatus: 'Completed' });
    expect(received?.payer).toEqual(expect.stringMatching(/^0177.*575$/));
    expect(JSON.stringify(logs.logs())).not.toContain(WALLET);
  });

  it('answers 400 VALIDATION_FAILED listing the fields of a body that is no SNS message', async () => {
    const res = await handler(anApiGatewayEvent({ method: 'POST', path: '/webhooks/bkash', headers: { 'content-type': 'text/plain' }, body: '{"Type":"Notification"}' }), aLambdaContext());

    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error.details.fields.map((field: { path: string }) => field.path)).toEqual(
      expect.arrayContaining(['body.MessageId', 'body.Signature', 'body.SigningCertURL']),
    );
  });
});
