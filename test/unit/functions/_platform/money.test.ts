import { ValidationError } from '../../../../functions/_platform/errors';
import * as z from 'zod/mini';
import {
  addMoney,
  fromMajorUnits,
  minorUnitDigits,
  money,
  moneySchema,
  multiplyMoney,
  toMajorUnits,
} from '../../../../functions/_platform/money';

describe('money', () => {
  it('knows minor units: BDT 2, VND 0, KWD 3', () => {
    expect([minorUnitDigits('BDT'), minorUnitDigits('VND'), minorUnitDigits('KWD')]).toEqual([2, 0, 3]);
  });

  it('accepts integer minor units with an ISO code and rejects floats, negatives and bad codes', () => {
    expect(z.safeParse(moneySchema, { value: 240000, currency: 'BDT' }).success).toBe(true);
    expect(z.safeParse(moneySchema, { value: 12.5, currency: 'BDT' }).success).toBe(false);
    expect(z.safeParse(moneySchema, { value: -1, currency: 'BDT' }).success).toBe(false);
    expect(z.safeParse(moneySchema, { value: 1, currency: 'taka' }).success).toBe(false);
    expect(() => money(0.1, 'USD')).toThrow(RangeError);
  });

  it('adds and multiplies in minor units, refusing mixed currencies', () => {
    expect(addMoney(money(199, 'USD'), money(1, 'USD'))).toEqual({ value: 200, currency: 'USD' });
    expect(multiplyMoney(money(120000, 'BDT'), 2)).toEqual({ value: 240000, currency: 'BDT' });
    expect(() => addMoney(money(1, 'USD'), money(1, 'BDT'))).toThrow(expect.objectContaining({ code: 'CURRENCY_MISMATCH' }));
  });

  it('formats major units exactly', () => {
    expect(toMajorUnits(money(240000, 'BDT'))).toBe('2400.00');
    expect(toMajorUnits(money(5, 'BDT'))).toBe('0.05');
    expect(toMajorUnits(money(240000, 'VND'))).toBe('240000');
    expect(toMajorUnits(money(1234, 'KWD'))).toBe('1.234');
  });

  it('parses major units exactly and refuses extra decimals', () => {
    expect(fromMajorUnits('2400.5', 'BDT')).toEqual({ value: 240050, currency: 'BDT' });
    expect(fromMajorUnits('0.07', 'USD')).toEqual({ value: 7, currency: 'USD' });
    expect(fromMajorUnits('240000', 'VND')).toEqual({ value: 240000, currency: 'VND' });
    expect(() => fromMajorUnits('10.5', 'VND')).toThrow(ValidationError);
    expect(() => fromMajorUnits('1e3', 'USD')).toThrow(ValidationError);
  });
});
