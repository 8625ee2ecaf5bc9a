import { ProviderRetryableError } from './errors';

/** A provider's token bucket: `perSecond` tokens are added each second, at most `burst` are kept. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** Limits by provider id. A provider that is not listed is not limited (the default). */
export type RateLimits = Readonly<Record<string, RateLimit>>;

/** Spaces out the requests to each provider. */
export interface RateLimiter {
  /**
   * Takes one token for one request to `provider`, waiting for it when that is short enough. Resolves at once for a
   * provider without a limit. Throws RateLimitedError when no token comes in time (nothing was sent: safe to retry).
   */
  acquire(provider: string): Promise<void>;
}

/** Thrown when a provider's rate limit holds a request back; the request was not sent. */
export class RateLimitedError extends ProviderRetryableError {
  override readonly details: { provider: string; rateLimited: true };

  constructor(provider: string) {
    super(provider, `${provider}: rate limit reached, the request was not sent`);
    this.details = { provider, rateLimited: true };
  }
}

/**
 * The bucket kept as one number, GCRA's "theoretical arrival time" (`tat`, epoch ms): the moment the bucket would be
 * full again. A request at `now` may go when `tat <= now + toleranceMs`, and then moves `tat` to
 * `max(tat, now) + intervalMs`. That is a token bucket of `burst` tokens refilled at `perSecond`, and it lets a
 * shared store take a token with one conditional write instead of a read-modify-write.
 */
export const bucketTiming = (limit: RateLimit): { readonly intervalMs: number; readonly toleranceMs: number } => {
  const intervalMs = 1000 / limit.perSecond;
  return { intervalMs, toleranceMs: (Math.max(1, limit.burst) - 1) * intervalMs };
};
