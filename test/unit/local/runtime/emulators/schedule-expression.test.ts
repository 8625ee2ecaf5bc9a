import { parseSchedule } from '../../../../../local/runtime/emulators/schedule-expression';

const at = (iso: string) => new Date(iso);
const cronMatches = (expression: string, iso: string): boolean => {
  const schedule = parseSchedule(expression);
  if (schedule.kind !== 'cron') throw new Error(`${expression} parsed as ${schedule.kind}`);
  return schedule.matches(at(iso));
};

describe('parseSchedule', () => {
  it('reads rate expressions in minutes, hours and days', () => {
    expect(parseSchedule('rate(1 minute)')).toEqual({ kind: 'rate', everyMs: 60_000 });
    expect(parseSchedule('rate(6 hours)')).toEqual({ kind: 'rate', everyMs: 6 * 3_600_000 });
    expect(parseSchedule('rate(7 days)')).toEqual({ kind: 'rate', everyMs: 7 * 86_400_000 });
  });

  it('rejects what EventBridge rejects', () => {
    expect(() => parseSchedule('rate(0 minutes)')).toThrow('at least 1');
    expect(() => parseSchedule('every monday')).toThrow('neither rate');
    expect(() => parseSchedule('cron(0 9 * * ?)')).toThrow('six fields');
    expect(() => parseSchedule('cron(61 * * * ? *)')).toThrow('outside 0-59');
  });

  it('matches a weekly cron on its minute, in UTC, and not on the next', () => {
    // Monday 2026-11-23 09:00 UTC; AWS day-of-week 2 = MON.
    expect(cronMatches('cron(0 9 ? * MON *)', '2026-11-23T09:00:00Z')).toBe(true);
    expect(cronMatches('cron(0 9 ? * 2 *)', '2026-11-23T09:00:00Z')).toBe(true);
    expect(cronMatches('cron(0 9 ? * MON *)', '2026-11-23T09:01:00Z')).toBe(false);
    expect(cronMatches('cron(0 9 ? * MON *)', '2026-11-24T09:00:00Z')).toBe(false);
  });

  it('understands lists, ranges, steps and month names', () => {
    expect(cronMatches('cron(0/15 8-17 * JAN,NOV ? *)', '2026-11-23T17:45:00Z')).toBe(true);
    expect(cronMatches('cron(0/15 8-17 * JAN,NOV ? *)', '2026-11-23T17:50:00Z')).toBe(false);
    expect(cronMatches('cron(0/15 8-17 * JAN,NOV ? *)', '2026-12-01T08:00:00Z')).toBe(false);
    expect(cronMatches('cron(30 0 1 * ? 2027)', '2027-03-01T00:30:00Z')).toBe(true);
    expect(cronMatches('cron(30 0 1 * ? 2027)', '2026-03-01T00:30:00Z')).toBe(false);
  });

  it('leaves L, W and # to on-demand runs instead of guessing', () => {
    expect(parseSchedule('cron(0 9 L * ? *)')).toMatchObject({ kind: 'on-demand' });
    expect(parseSchedule('cron(0 9 ? * 2#1 *)')).toMatchObject({ kind: 'on-demand' });
  });
});
