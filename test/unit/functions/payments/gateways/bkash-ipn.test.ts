import { UnverifiedError, ValidationError } from '../../../../../functions/_platform/errors';
import { bkashIpnTrust, parseBkashIpn } from '../../../../../functions/payments/gateways/bkash-ipn';

const secret = { baseUrl: 'https://tokenized.sandbox.bka.sh', username: 'u', password: 'p', appKey: 'k', appSecret: 's' };

describe('parseBkashIpn', () => {
  it('reads the invoice (our payment id), the amount in poisha and the trxID; the payer is kept apart', () => {
    const message = { dateTime: '20260301160000', debitMSISDN: '01770618575', trxID: 'TRX1', transactionStatus: 'Completed', amount: '700.5', currency: 'BDT', transactionReference: 'pay_1' };
    expect(parseBkashIpn(JSON.stringify(message))).toEqual({
      notification: { gateway: 'bkash', paymentId: 'pay_1', amount: { value: 70050, currency: 'BDT' }, transactionId: 'TRX1' },
      transactionStatus: 'Completed',
      payer: '01770618575',
    });
  });

  it('refuses a message that names no payment (401) and one that is not an IPN (400)', () => {
    expect(() => parseBkashIpn('{"trxID":"TRX1","amount":"700"}')).toThrow(UnverifiedError);
    expect(() => parseBkashIpn('not json')).toThrow(ValidationError);
    expect(() => parseBkashIpn('{"transactionReference":"pay_1","amount":"7.001"}')).toThrow(ValidationError);
  });
});

describe('bkashIpnTrust', () => {
  it('trusts AWS only unless the secret names a topic or a local certificate origin', () => {
    expect(bkashIpnTrust(secret)).toEqual({});
    expect(bkashIpnTrust({ ...secret, ipnTopicArn: 'arn:aws:sns:x:1:t', ipnCertificateOrigin: 'http://127.0.0.1:7100' })).toEqual({ topicArn: 'arn:aws:sns:x:1:t', localOrigin: 'http://127.0.0.1:7100' });
    expect(() => bkashIpnTrust({ ...secret, ipnCertificateOrigin: 'not a url' })).toThrow('bkash secret');
  });
});
