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
