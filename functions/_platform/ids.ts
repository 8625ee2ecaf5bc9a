import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from './clock';

/** The prefixes of our public ids: order, payment, refund, shipment, event, message, bill transaction. */
export type IdPrefix = 'ord' | 'pay' | 'ref' | 'shp' | 'evt' | 'msg' | 'txn';

/** Ids as a port, so tests can predict them. */
export interface IdGenerator {
  /** A new id `<prefix>_<26 chars>`; ids made later sort after ids made earlier (millisecond resolution). */
  next(prefix: IdPrefix): string;
}

// Crockford base32 in lower case: its symbols are in ascending ASCII order, so string order is time order.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10; // 50 bits of milliseconds: good until the year 10889
const RANDOM_BYTES = 10; // 80 bits, 16 characters

const encodeTime = (ms: number): string => {
  let rest = ms;
  let out = '';
  for (let i = 0; i < TIME_CHARS; i += 1) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
};

const encodeRandom = (bytes: Uint8Array): string => {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
};

/**
 * Sortable prefixed ids (the ULID layout): 10 characters of time from `clock`, then 16 random characters.
 * Two ids made in the same millisecond are ordered at random.
 */
export const createIdGenerator = (clock: Clock = systemClock, random: (size: number) => Uint8Array = randomBytes): IdGenerator => ({
  next: (prefix) => `${prefix}_${encodeTime(clock.now().getTime())}${encodeRandom(random(RANDOM_BYTES))}`,
});

/** Ids from the system clock and crypto randomness. */
export const systemIds: IdGenerator = createIdGenerator();
