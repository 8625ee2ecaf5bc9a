import { INSTANCE_TOKEN_REUSE_MS, inMemoryTokenCache, instanceCachedTokens, type TokenCache } from '../../../../functions/_platform/token-cache';

const START = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;

/** The shared cache (DynamoDB in production), counting reads. */
const sharedCache = () => {
  const inner = inMemoryTokenCache();
  const counted: TokenCache & { reads: number } = {
    reads: 0,
    async get(provider) {
      counted.reads += 1;
      return inner.get(provider);
    },
    put: (provider, token) => inner.put(provider, token),
  };
  return counted;
};

describe('instanceCachedTokens', () => {
  let now = START;
  beforeEach(() => {
    now = START;
  });

  it('answers from memory for a minute after a read, then asks the shared cache again and sees a renewal', async () => {
    const shared = sharedCache();
    await shared.put('bkash', { accessToken: 'first', expiresAt: START + HOUR });
    const cache = instanceCachedTokens(shared, () => now);

    expect(await cache.get('bkash')).toMatchObject({ accessToken: 'first' });
    now += INSTANCE_TOKEN_REUSE_MS - 1;
    expect(await cache.get('bkash')).toMatchObject({ accessToken: 'first' });
    expect(shared.reads).toBe(1);

    await shared.put('bkash', { accessToken: 'renewed elsewhere', expiresAt: START + 2 * HOUR });
    now += 1;
    expect(await cache.get('bkash')).toMatchObject({ accessToken: 'renewed elsewhere' });
    expect(shared.reads).toBe(2);
  });

  it('writes through to the shared cache and serves what it wrote without a read', async () => {
    const shared = sharedCache();
    const cache = instanceCachedTokens(shared, () => now);

    await cache.put('pathao', { accessToken: 'granted', expiresAt: START + HOUR });

    expect(await shared.get('pathao')).toMatchObject({ accessToken: 'granted' });
    shared.reads = 0;
    expect(await cache.get('pathao')).toMatchObject({ accessToken: 'granted' });
    expect(shared.reads).toBe(0);
  });

  it('never serves a token from memory past its expiry, and never remembers an absent one', async () => {
    const shared = sharedCache();
    const cache = instanceCachedTokens(shared, () => now);
    expect(await cache.get('zalo')).toBeUndefined();
    await shared.put('zalo', { accessToken: 'short', expiresAt: START + 1_000, refreshToken: 'r', refreshableUntil: START + HOUR });
    expect(await cache.get('zalo')).toMatchObject({ accessToken: 'short' });
    expect(shared.reads).toBe(2);

    now += 1_000;
    expect(await cache.get('zalo')).toMatchObject({ accessToken: 'short', refreshToken: 'r' });
    expect(shared.reads).toBe(3);
  });
});
