/** An access token a provider issued to us, with what is needed to renew it. Times are epoch milliseconds. */
export interface ProviderToken {
  readonly accessToken: string;
  /** When the provider stops accepting `accessToken`. */
  readonly expiresAt: number;
  readonly refreshToken?: string;
  /** Until when `refreshToken` may be used; after that (or without one) a new token must be granted. */
  readonly refreshableUntil?: number;
}

/**
 * Where provider tokens are kept between calls, so a gateway is not asked for a new token on every request (bKash
 * wants its id_token reused for its hour). The cache only stores: deciding whether a token is still fresh is the
 * adapter's job, and it may return a token past `expiresAt` whose refresh token is still usable.
 */
export interface TokenCache {
  /** The last token stored for `provider`, or undefined when there is none (or it can no longer be refreshed). */
  get(provider: string): Promise<ProviderToken | undefined>;
  /** Replaces the token of `provider`. */
  put(provider: string, token: ProviderToken): Promise<void>;
}

/**
 * A TokenCache in this instance's memory: tokens live as long as the cold start. Each Lambda instance then grants
 * its own token; `dynamoTokenCache` (token-cache.dynamo.ts) shares one across instances.
 */
export const inMemoryTokenCache = (): TokenCache => {
  const tokens = new Map<string, ProviderToken>();
  return {
    async get(provider) {
      return tokens.get(provider);
    },
    async put(provider, token) {
      tokens.set(provider, token);
    },
  };
};

/** How long an instance reuses a token it read or wrote before asking the shared cache again. */
export const INSTANCE_TOKEN_REUSE_MS = 60_000;

/**
 * `shared` with this instance's memory in front: a token read or written here in the last minute (and not yet
 * expired) is returned without asking `shared`, so a warm instance reads the shared token about once a minute instead
 * of on every provider call. A token another instance renewed is picked up within that minute; until then both are
 * valid at the provider. An absent token is never remembered.
 */
export const instanceCachedTokens = (shared: TokenCache, now: () => number = Date.now): TokenCache => {
  const local = new Map<string, { token: ProviderToken; reuseUntil: number }>();
  const remember = (provider: string, token: ProviderToken) => local.set(provider, { token, reuseUntil: now() + INSTANCE_TOKEN_REUSE_MS });
  return {
    async get(provider) {
      const held = local.get(provider);
      if (held && now() < Math.min(held.reuseUntil, held.token.expiresAt)) return held.token;
      local.delete(provider);
      const token = await shared.get(provider);
      if (token) remember(provider, token);
      return token;
    },
    async put(provider, token) {
      await shared.put(provider, token);
      remember(provider, token);
    },
  };
};
