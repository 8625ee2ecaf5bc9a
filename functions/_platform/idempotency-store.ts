/**
 * Statuses of an idempotency record, spelled as in the table. `INPROGRESS` (no underscore) is the spelling
 * Powertools wrote, kept so that records and dashboards of deployed tables read the same.
 */
export type IdempotencyStatus = 'INPROGRESS' | 'COMPLETED';

/** What a call writes when it claims a key. */
export interface IdempotencyClaim {
  /** Hash of the part of the payload that must match on a repeat; absent when nothing is validated. */
  readonly validationHash?: string;
  /** Epoch ms until which the claim holds (the Lambda's remaining time); past it another call may take the key over. */
  readonly inProgressUntil: number;
  /** Epoch seconds after which the record is void, whatever its status (the table's TTL attribute). */
  readonly expiresAt: number;
}

/** The result of a completed call, stored to answer its repeats. */
export interface IdempotencyResult {
  /** Plain JSON data; `undefined` when the call returned nothing. */
  readonly data: unknown;
  readonly validationHash?: string;
  /** Epoch seconds until which the result answers repeats. */
  readonly expiresAt: number;
}

/** The live record another call left under a key. */
export type ExistingIdempotencyRecord =
  | { readonly status: 'COMPLETED'; readonly data: unknown; readonly validationHash?: string }
  | { readonly status: 'INPROGRESS'; readonly validationHash?: string };

/** The records that make work run at most once per key (see `idempotentCalls`). */
export interface IdempotencyStore {
  /**
   * Writes an INPROGRESS record unless a live one exists: the key is free when it has no record, its record has
   * expired, or its record is INPROGRESS past `inProgressUntil`. Returns `'claimed'`, or the live record found.
   * Exactly one of concurrent claims of a free key wins.
   */
  claim(key: string, claim: IdempotencyClaim): Promise<'claimed' | ExistingIdempotencyRecord>;
  /** Turns the claimed record into COMPLETED with the call's result. */
  complete(key: string, result: IdempotencyResult): Promise<void>;
  /**
   * Deletes the record if it is still the INPROGRESS claim written with this `inProgressUntil`, so a failed call
   * leaves nothing behind; a record another call has since taken over is left alone.
   */
  release(key: string, inProgressUntil: number): Promise<void>;
}
