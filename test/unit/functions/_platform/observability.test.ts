import { platformEnv, setEnv } from '../../../support/env';

setEnv(platformEnv);
const { maskPii } = require('../../../../functions/_platform/observability') as typeof import('../../../../functions/_platform/observability');

describe('maskPii', () => {
  it.each([
    ['+8801712345678', '+88017•••••678'],
    ['+8801712 345 678', '+88017•••••678'],
    ['+84912345678', '+8491••••678'],
    ['0171234567', '0171•••567'],
  ])('masks the middle of the phone number %s', (phone, masked) => {
    expect(maskPii(phone)).toBe(masked);
  });

  it('keeps the first character of an e-mail address and its domain', () => {
    expect(maskPii('rahim@example.com')).toBe('r•••@example.com');
    expect(maskPii('a.very.long.name@shop.example')).toBe('a•••@shop.example');
  });

  it('keeps only the first character of other text, hiding its length', () => {
    expect(maskPii('Rahim Uddin')).toBe('R•••');
    expect(maskPii('House 12, Road 5, Dhaka 1207')).toBe('H•••');
    expect(maskPii('')).toBe('');
  });

  it('never returns the digits it masks', () => {
    expect(maskPii('+8801712345678')).not.toContain('12345');
  });
});

describe('metrics', () => {
  it('drops the per-invocation "no application metrics" notice, even at debug level, and keeps its other warnings', () => {
    const { captureLogs } = require('../../../support/log-capture') as typeof import('../../../support/log-capture');
    const { logger, metrics } = require('../../../../functions/_platform/observability') as typeof import('../../../../functions/_platform/observability');
    const level = logger.getLevelName();
    logger.setLogLevel('DEBUG');
    const logs = captureLogs();
    try {
      metrics.publishStoredMetrics();
      expect(logs.logs()).toEqual([]);

      metrics.addDimension('', 'empty name');
      expect(logs.logs()).toEqual([expect.objectContaining({ level: 'WARN', message: expect.stringContaining("doesn't meet the requirements") })]);
    } finally {
      logs.stop();
      logger.setLogLevel(level);
    }
  });
});
