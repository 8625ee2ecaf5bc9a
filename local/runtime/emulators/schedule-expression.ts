/**
 * EventBridge schedule expressions (`rate(…)` and the six-field `cron(…)`), evaluated at minute granularity in UTC
 * as EventBridge does. `L`, `W` and `#` are not evaluated: a rule using them runs only when triggered on demand.
 */
export type Schedule =
  | { kind: 'rate'; everyMs: number }
  | { kind: 'cron'; matches: (at: Date) => boolean }
  | { kind: 'on-demand'; reason: string };

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  min: number;
  max: number;
  /** Names for 1-based values (months JAN=1, days SUN=1). */
  names?: readonly string[];
}
const FIELDS: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 1, max: 7, names: DAYS },
  { min: 1970, max: 2199 },
];

const valueOf = (token: string, field: Field): number => {
  const named = field.names?.indexOf(token.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : Number(token);
  if (!Number.isInteger(value) || value < field.min || value > field.max) throw new Error(`${token} is outside ${field.min}-${field.max}`);
  return value;
};

/** The values one cron field allows, or undefined for `*`/`?` (any). */
const allowed = (expression: string, field: Field): Set<number> | undefined => {
  if (expression === '*' || expression === '?') return undefined;
  const values = new Set<number>();
  for (const part of expression.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in ${part}`);
    const [from, to] = range === '*' ? [field.min, field.max] : range.split('-').map((v) => valueOf(v, field));
    const last = to ?? (stepText === undefined ? from : field.max);
    for (let v = from; v <= last; v += step) values.add(v);
  }
  return values;
};

/** Parses a rule's ScheduleExpression; throws on one EventBridge would reject. */
export const parseSchedule = (expression: string): Schedule => {
  const rate = RATE.exec(expression);
  if (rate) {
    const count = Number(rate[1]);
    if (count < 1) throw new Error(`${expression}: the rate must be at least 1`);
    return { kind: 'rate', everyMs: count * UNIT_MS[rate[2].replace(/s$/, '')] };
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (!cron) throw new Error(`${expression} is neither rate(…) nor cron(…)`);
  const parts = cron[1].trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`${expression}: cron takes six fields (minutes hours day-of-month month day-of-week year)`);
  if (parts.some((p) => /[LW#]/.test(p))) return { kind: 'on-demand', reason: `${expression} uses L, W or #, which the local scheduler does not evaluate` };
  const [minutes, hours, daysOfMonth, months, daysOfWeek, years] = parts.map((p, i) => allowed(p, FIELDS[i]));
  const fits = (set: Set<number> | undefined, value: number) => set === undefined || set.has(value);
  return {
    kind: 'cron',
    matches: (at) =>
      fits(minutes, at.getUTCMinutes()) && fits(hours, at.getUTCHours()) && fits(daysOfMonth, at.getUTCDate()) &&
      fits(months, at.getUTCMonth() + 1) && fits(daysOfWeek, at.getUTCDay() + 1) && fits(years, at.getUTCFullYear()),
  };
};
