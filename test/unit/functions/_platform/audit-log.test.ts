import { platformEnv, setEnv } from '../../../support/env';

// audit-log.ts masks personal data with observability's maskPii, whose module reads its config at load.
setEnv(platformEnv);
const { maskBody, maskUrl, MAX_AUDIT_BODY_CHARS } =
  require('../../../../functions/_platform/audit-log') as typeof import('../../../../functions/_platform/audit-log');

describe('maskBody', () => {
  it('redacts secrets in JSON by field name, whatever the spelling, and everything under them', () => {
    const masked = JSON.parse(
      maskBody({
        app_secret: 's1', 'X-App-Key': 'k1', password: 'p1', id_token: 't1', refreshToken: 't2', signature: 'sig',
        sensitiveData: 'enc', credentials: { user: 'u', pass: 'p' }, otp: '123456', pin: 1234, cvv: '123',
        idempotencyKey: 'idem-1', amount: 100,
      }) ?? '',
    );

    expect(masked).toEqual({
      app_secret: '[redacted]', 'X-App-Key': '[redacted]', password: '[redacted]', id_token: '[redacted]', refreshToken: '[redacted]',
      signature: '[redacted]', sensitiveData: '[redacted]', credentials: { user: '[redacted]', pass: '[redacted]' },
      otp: '[redacted]', pin: '[redacted]', cvv: '[redacted]', idempotencyKey: 'idem-1', amount: 100,
    });
  });

  it('keeps the last 4 digits of card numbers, by field name or wherever a Luhn-valid number appears', () => {
    const masked = JSON.parse(maskBody({ cardNumber: '5555-5555-5555-4444', card: { number: '4111111111111111' }, ref: '4111111111111112' }) ?? '');

    expect(masked).toEqual({ cardNumber: '••••••••••••4444', card: { number: '••••••••••••1111' }, ref: '4111111111111112' });
  });

  it('masks phone numbers, e-mail addresses and names with maskPii, in their fields and inside free text', () => {
    const masked = JSON.parse(
      maskBody({ customerMsisdn: '01712345678', email: 'rahim@example.com', customerName: 'Rahim Uddin', note: 'call +8801712345678', payer: 8801712345678 }) ?? '',
    );

    expect(masked).toEqual({
      customerMsisdn: '0171••••678', email: 'r•••@example.com', customerName: 'R•••', note: 'call +88017•••••678', payer: '88017•••••678',
    });
  });

  it('redacts the extra fields a request names as sensitive', () => {
    expect(JSON.parse(maskBody({ payerReference: 'ref-1', amount: 5 }, ['payer_reference']) ?? '')).toEqual({ payerReference: '[redacted]', amount: 5 });
  });

  it('masks form bodies field by field', () => {
    expect(maskBody('grant_type=password&username=rahim%40example.com&password=s3cr%3Dt&amount=10')).toBe(
      'grant_type=password&username=r•••@example.com&password=[redacted]&amount=10',
    );
  });

  it('masks XML elements and name=value pairs in other text', () => {
    expect(maskBody('<s:Body><Auth><UserName>acme</UserName><Password>pw123</Password></Auth><Phone>01712345678</Phone></s:Body>')).toBe(
      '<s:Body><Auth><UserName>a•••</UserName><Password>[redacted]</Password></Auth><Phone>0171••••678</Phone></s:Body>',
    );
    expect(maskBody('error: token=abc123 for rahim@example.com; Authorization: Bearer sk_live_1')).toBe(
      'error: token=[redacted] for r•••@example.com; Authorization: [redacted]',
    );
  });

  it('cuts what it keeps to MAX_AUDIT_BODY_CHARS and says how much it dropped', () => {
    const masked = maskBody('x'.repeat(MAX_AUDIT_BODY_CHARS + 10)) ?? '';

    expect(masked).toBe(`${'x'.repeat(MAX_AUDIT_BODY_CHARS)}…[10 more chars]`);
  });

  it('keeps nothing for an absent or empty body', () => {
    expect(maskBody(undefined)).toBeUndefined();
    expect(maskBody('')).toBeUndefined();
  });
});

describe('maskUrl', () => {
  it('drops credentials, masks sensitive query values and personal data in the path', () => {
    expect(maskUrl('https://user:pw@api.example.com/v1/customers/01712345678?access_token=abc&email=rahim%40example.com&page=2&sig=x', ['sig'])).toBe(
      'https://api.example.com/v1/customers/0171••••678?access_token=[redacted]&email=r•••@example.com&page=2&sig=[redacted]',
    );
  });

  it('keeps an ordinary URL as it is', () => {
    expect(maskUrl('https://api.example.com/v1/payments/pay_1?expand=refunds')).toBe('https://api.example.com/v1/payments/pay_1?expand=refunds');
  });
});
