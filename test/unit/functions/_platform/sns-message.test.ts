import { generateKeyPairSync } from 'node:crypto';
import { ProviderRetryableError, UnverifiedError } from '../../../../functions/_platform/errors';
import type { HttpClient, HttpRequest } from '../../../../functions/_platform/http-client';
import { isTrustedSnsUrl, type SnsMessage, snsMessageSchema, snsSubscriber, type SnsTrust, stringToSign } from '../../../../functions/_platform/sns-message';
import { createSnsSigner, selfSignedCertificate, type UnsignedSnsMessage } from '../../../../local/simulators/sns-signer';

const CERT_URL = 'https://sns.ap-southeast-1.amazonaws.com/SimpleNotificationService-abc.pem';
const TOPIC = 'arn:aws:sns:ap-southeast-1:123456789012:bkash-ipn';
const signer = createSnsSigner();

const notification: UnsignedSnsMessage = {
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: TOPIC,
  Message: '{"trxID":"TRX1","amount":"700.00","transactionReference":"pay_1"}\nwith a newline',
  Timestamp: '2026-03-01T10:00:00.000Z',
};
const confirmation: UnsignedSnsMessage = {
  Type: 'SubscriptionConfirmation',
  MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
  Token: 'token-123',
  TopicArn: TOPIC,
  Message: 'You have chosen to subscribe to the topic.',
  SubscribeURL: `https://sns.ap-southeast-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=token-123`,
  Timestamp: '2026-03-01T10:00:00.000Z',
};

/** An HttpClient that serves `certificate` at any URL (or `status`), recording every request. */
const certificateServer = (certificate = signer.certificatePem, status = 200) => {
  const requests: HttpRequest[] = [];
  const http: HttpClient = {
    async send(request) {
      requests.push(request);
      return { status, headers: {}, body: request.operation === 'sns-signing-certificate' ? certificate : '<ConfirmSubscriptionResponse/>' };
    },
  };
  return { http, requests };
};
const subscriber = (http: HttpClient, trust: SnsTrust = {}, now = new Date()) =>
  snsSubscriber({ provider: 'bkash', http, trust: async () => trust, now: () => now });

describe('stringToSign', () => {
  it('signs a Notification\'s Message, MessageId, Subject (when present), Timestamp, TopicArn and Type, in that order', () => {
    const signed = signer.sign({ ...notification, Subject: 'Payment' }, CERT_URL);
    expect(stringToSign(signed)).toBe(
      `Message\n${notification.Message}\nMessageId\n${notification.MessageId}\nSubject\nPayment\nTimestamp\n${notification.Timestamp}\nTopicArn\n${TOPIC}\nType\nNotification\n`,
    );
    expect(stringToSign(signer.sign(notification, CERT_URL))).not.toContain('Subject');
  });

  it('signs a SubscriptionConfirmation\'s SubscribeURL and Token too, and refuses one without them', () => {
    const signed = signer.sign(confirmation, CERT_URL);
    expect(stringToSign(signed)).toBe(
      `Message\n${confirmation.Message}\nMessageId\n${confirmation.MessageId}\nSubscribeURL\n${confirmation.SubscribeURL}\nTimestamp\n${confirmation.Timestamp}\nToken\ntoken-123\nTopicArn\n${TOPIC}\nType\nSubscriptionConfirmation\n`,
    );
    expect(() => stringToSign({ ...signed, Token: undefined })).toThrow(UnverifiedError);
  });
});

describe('snsMessageSchema', () => {
  it('lists every missing field of a body that is not an SNS message', () => {
    const { Signature: _signature, MessageId: _id, ...incomplete } = signer.sign(notification, CERT_URL);
    const result = snsMessageSchema.safeParse({ ...incomplete, SignatureVersion: '3' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['MessageId', 'Signature', 'SignatureVersion']);
  });
});

describe('isTrustedSnsUrl', () => {
  it.each([
    ['SNS over https', CERT_URL, {}, true],
    ['SNS in China', 'https://sns.cn-north-1.amazonaws.com.cn/x.pem', {}, true],
    ['SNS over plain http', 'http://sns.ap-southeast-1.amazonaws.com/x.pem', {}, false],
    ['SNS on another port', 'https://sns.ap-southeast-1.amazonaws.com:8443/x.pem', {}, false],
    ['a look-alike host', 'https://sns.ap-southeast-1.amazonaws.com.evil.example/x.pem', {}, false],
    ['a subdomain trick', 'https://evil.example/sns.us-east-1.amazonaws.com/x.pem', {}, false],
    ['the configured loopback simulator', 'http://127.0.0.1:7100/x.pem', { localOrigin: 'http://127.0.0.1:7100' }, true],
    ['another loopback port', 'http://127.0.0.1:7101/x.pem', { localOrigin: 'http://127.0.0.1:7100' }, false],
    ['a configured origin that is not loopback', 'https://attacker.example/x.pem', { localOrigin: 'https://attacker.example' }, false],
    ['not a URL', 'sns.amazonaws.com', {}, false],
  ])('%s: %s → %s', (_case, url, trust: SnsTrust, trusted) => {
    expect(isTrustedSnsUrl(url, trust)).toBe(trusted);
  });
});

describe('snsSubscriber.verify', () => {
  it.each(['1', '2'] as const)('accepts a message signed with SignatureVersion %s (RSA-SHA1 / RSA-SHA256)', async (version) => {
    const { http } = certificateServer();
    await expect(subscriber(http, { topicArn: TOPIC }).verify(signer.sign(notification, CERT_URL, version))).resolves.toBeUndefined();
  });

  it('fetches each certificate once, through the resilient client as the provider, and keeps it per URL', async () => {
    const { http, requests } = certificateServer();
    const sns = subscriber(http);
    await sns.verify(signer.sign(notification, CERT_URL));
    await sns.verify(signer.sign(confirmation, CERT_URL, '2'));
    await sns.verify(signer.sign(notification, CERT_URL.replace('abc.pem', 'def.pem')));
    expect(requests.map(({ provider, method, url, retry }) => ({ provider, method, url, retry }))).toEqual([
      { provider: 'bkash', method: 'GET', url: CERT_URL, retry: 'safe' },
      { provider: 'bkash', method: 'GET', url: CERT_URL.replace('abc.pem', 'def.pem'), retry: 'safe' },
    ]);
  });

  it.each<[string, (signed: SnsMessage) => SnsMessage]>([
    ['a changed Message', (signed) => ({ ...signed, Message: signed.Message.replace('700.00', '7.00') })],
    ['a changed Type', (signed) => ({ ...signed, Type: 'UnsubscribeConfirmation', SubscribeURL: 'x', Token: 'y' })],
    ['an added Subject', (signed) => ({ ...signed, Subject: 'injected' })],
    ['a SHA1 signature claimed as version 2', (signed) => ({ ...signed, SignatureVersion: '2' })],
    ['a signature that is not base64 of anything', (signed) => ({ ...signed, Signature: 'bm90IGEgc2lnbmF0dXJl' })],
  ])('refuses %s with UnverifiedError', async (_case, tamper) => {
    const { http } = certificateServer();
    await expect(subscriber(http).verify(tamper(signer.sign(notification, CERT_URL)))).rejects.toThrow(UnverifiedError);
  });

  it.each([
    ['off SNS\'s hosts', 'https://attacker.example/SimpleNotificationService-abc.pem'],
    ['not a .pem', 'https://sns.ap-southeast-1.amazonaws.com/?Action=Subscribe'],
    ['with a query', `${CERT_URL}?v=2`],
  ])('refuses a certificate URL %s before fetching anything', async (_case, url) => {
    const { http, requests } = certificateServer();
    await expect(subscriber(http).verify(signer.sign(notification, url))).rejects.toThrow('not a .pem on an SNS host');
    expect(requests).toEqual([]);
  });

  it('keeps at most a few certificates: a flood of certificate URLs does not grow the cache', async () => {
    const { http, requests } = certificateServer();
    const sns = subscriber(http);
    for (let n = 0; n < 10; n += 1) await sns.verify(signer.sign(notification, CERT_URL.replace('abc', `c${n}`)));
    await sns.verify(signer.sign(notification, CERT_URL.replace('abc', 'c0')));
    await sns.verify(signer.sign(notification, CERT_URL.replace('abc', 'c9')));
    expect(requests).toHaveLength(11);
  });

  it('refuses another topic than the configured one, and a message signed by another key', async () => {
    const { http } = certificateServer();
    await expect(subscriber(http, { topicArn: `${TOPIC}-other` }).verify(signer.sign(notification, CERT_URL))).rejects.toThrow('another topic');
    await expect(subscriber(http).verify(createSnsSigner().sign(notification, CERT_URL))).rejects.toThrow('does not match');
  });

  it('refuses a certificate outside its validity, one that is not a certificate, and one that cannot be fetched', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const expired = selfSignedCertificate(privateKey, publicKey, 'old', { fromMs: -2 * 86_400_000, toMs: -86_400_000 });
    await expect(subscriber(certificateServer(expired).http).verify(signer.sign(notification, CERT_URL))).rejects.toThrow('not valid now');
    await expect(subscriber(certificateServer('<html>').http).verify(signer.sign(notification, CERT_URL))).rejects.toThrow('not an X.509');
    await expect(subscriber(certificateServer(undefined, 404).http).verify(signer.sign(notification, CERT_URL))).rejects.toThrow('HTTP 404');
  });

  it('does not keep a failed fetch: the next message fetches again', async () => {
    let failing = true;
    const requests: string[] = [];
    const http: HttpClient = {
      async send(request) {
        requests.push(request.url);
        if (failing) throw new ProviderRetryableError('bkash', 'connection refused');
        return { status: 200, headers: {}, body: signer.certificatePem };
      },
    };
    const sns = subscriber(http);
    await expect(sns.verify(signer.sign(notification, CERT_URL))).rejects.toThrow(ProviderRetryableError);
    failing = false;
    await expect(sns.verify(signer.sign(notification, CERT_URL))).resolves.toBeUndefined();
    expect(requests).toHaveLength(2);
  });
});

describe('snsSubscriber.confirmSubscription', () => {
  it('GETs the SubscribeURL through the resilient client with the token masked in the audit record', async () => {
    const { http, requests } = certificateServer();
    await subscriber(http).confirmSubscription(signer.sign(confirmation, CERT_URL));
    expect(requests).toEqual([expect.objectContaining({ method: 'GET', url: confirmation.SubscribeURL, provider: 'bkash', sensitiveFields: ['Token'] })]);
  });

  it('refuses a SubscribeURL off SNS\'s hosts and a message that is not a confirmation, calling nothing', async () => {
    const { http, requests } = certificateServer();
    const sns = subscriber(http);
    await expect(sns.confirmSubscription(signer.sign({ ...confirmation, SubscribeURL: 'https://attacker.example/confirm' }, CERT_URL))).rejects.toThrow(UnverifiedError);
    await expect(sns.confirmSubscription(signer.sign(notification, CERT_URL))).rejects.toThrow(UnverifiedError);
    expect(requests).toEqual([]);
  });

  it('reports a refused confirmation as retryable (SNS delivers the confirmation again)', async () => {
    const { http } = certificateServer(undefined, 403);
    await expect(subscriber(http).confirmSubscription(signer.sign(confirmation, CERT_URL))).rejects.toThrow(ProviderRetryableError);
  });
});
