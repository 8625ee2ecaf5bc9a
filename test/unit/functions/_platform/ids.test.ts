import { createIdGenerator, systemIds } from '../../../../functions/_platform/ids';

const clockAt = (ms: number) => ({ now: () => new Date(ms) });

describe('ids', () => {
  it('are the prefix and 26 Crockford base32 characters', () => {
    expect(systemIds.next('ord')).toMatch(/^ord_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(systemIds.next('evt')).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('sort by creation time', () => {
    const times = [0, 1, 31, 32, 1_700_000_000_000, 1_700_000_000_001, 4_102_444_800_000];
    const ids = times.map((ms) => createIdGenerator(clockAt(ms)).next('pay'));
    expect([...ids].sort()).toEqual(ids);
  });

  it('encode the time in the first 10 characters and randomness in the last 16', () => {
    const ids = createIdGenerator(clockAt(0), (size) => new Uint8Array(size).fill(0xff));
    expect(ids.next('ref')).toBe('ref_0000000000zzzzzzzzzzzzzzzz');
  });

  it('differ within one millisecond', () => {
    const ids = createIdGenerator(clockAt(1_700_000_000_000));
    const made = new Set(Array.from({ length: 1000 }, () => ids.next('evt')));
    expect(made.size).toBe(1000);
  });
});
