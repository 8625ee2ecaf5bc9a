import * as z from 'zod/mini';
import { RuleViolationError, ValidationError } from './errors';

/** An amount in integer minor units (cents, poisha; VND has none) with its ISO 4217 currency. Never a float. */
export const moneySchema = z.object({
  value: z.int().check(z.nonnegative()),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')),
});
export type Money = z.output<typeof moneySchema>;

// ISO 4217 minor units for the currencies that differ from 2; everything else has 2.
const MINOR_DIGITS: Readonly<Record<string, number>> = { VND: 0, JPY: 0, KRW: 0, CLP: 0, ISK: 0, UGX: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

/** Digits after the decimal point in `currency` (BDT 2, VND 0, KWD 3). */
export const minorUnitDigits = (currency: string): number => MINOR_DIGITS[currency] ?? 2;

/** Money from integer minor units; throws RangeError for a non-integer or negative value. */
export const money = (value: number, currency: string): Money => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`money value must be a non-negative integer, got ${value}`);
  return { value, currency };
};

const sameCurrency = (a: Money, b: Money): void => {
  if (a.currency !== b.currency) {
    throw new RuleViolationError('CURRENCY_MISMATCH', `cannot combine ${a.currency} with ${b.currency}`, { currencies: [a.currency, b.currency] });
  }
};

/** a + b; throws RuleViolationError CURRENCY_MISMATCH when the currencies differ. */
export const addMoney = (a: Money, b: Money): Money => {
  sameCurrency(a, b);
  return money(a.value + b.value, a.currency);
};

/** a − b; throws RangeError when b is larger and RuleViolationError CURRENCY_MISMATCH when the currencies differ. */
export const subtractMoney = (a: Money, b: Money): Money => {
  sameCurrency(a, b);
  return money(a.value - b.value, a.currency);
};

/** The amount times a whole quantity. */
export const multiplyMoney = (amount: Money, quantity: number): Money => money(amount.value * quantity, amount.currency);

/** Major units as an exact decimal string, as gateways want them: BDT 240000 → "2400.00", VND 240000 → "240000". */
export const toMajorUnits = ({ value, currency }: Money): string => {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(value);
  const text = String(value).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
};

/** Parses a major-unit decimal string exactly ("2400.5" BDT → 240050); throws ValidationError for more decimals than the currency has. */
export const fromMajorUnits = (text: string, currency: string): Money => {
  const digits = minorUnitDigits(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match || (match[2]?.length ?? 0) > digits) {
    throw new ValidationError(`not a ${currency} amount: ${text}`, [{ path: 'amount', message: `at most ${digits} decimals` }]);
  }
  const fraction = (match[2] ?? '').padEnd(digits, '0');
  return money(Number(match[1] + fraction), currency);
};
