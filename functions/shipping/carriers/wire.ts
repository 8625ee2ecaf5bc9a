import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import type { Clock } from '../../_platform/clock';
import { ProviderRetryableError, ProviderTerminalError } from '../../_platform/errors';
import type { HttpResponse } from '../../_platform/http-client';

/*
 * What the carrier adapters share: reading answers, the errors they throw, and unit conversions. Each adapter keeps
 * its wire shapes and status mapping to itself.
 */

export const nonEmpty = () => z.string().check(z.minLength(1));

/** The answer's JSON object, or undefined when it is not one. */
export const jsonObjectOf = (response: HttpResponse): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(response.body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** The carrier refused for good (bad address, unknown parcel, bad credentials): retrying cannot help. */
export const refused = (carrier: string, message: string): ProviderTerminalError => new ProviderTerminalError(carrier, 'shipping', message);

/** Parses `body` with `schema`; an answer of another shape is a carrier failure (retryable: nothing was applied by reading it). */
export const parseAnswer = <S extends z.core.$ZodType>(carrier: string, operation: string, schema: S, body: unknown): z.core.output<S> => {
  const result = z.safeParse(schema, body);
  if (!result.success) {
    throw new ProviderRetryableError(carrier, `${carrier} ${operation}: unexpected answer (${result.error.issues.map((issue) => issue.path.join('.')).join(', ')})`);
  }
  return result.data;
};

/** A national phone number from E.164 (`+8801712345678` → `01712345678`, `+84901234567` → `0901234567`). */
export const nationalPhone = (e164: string, countryCode: string): string => {
  const digits = e164.replace(/[^\d+]/g, '');
  return digits.startsWith(`+${countryCode}`) ? `0${digits.slice(countryCode.length + 1)}`.replace(/^00/, '0') : digits.replace(/^\+/, '');
};

/** YYYY-MM-DD `days` after the clock's today (UTC). */
export const daysFromNow = (clock: Clock, days: number): string => new Date(clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** The carriers' volumetric divisor (cm³ per kg), which GHN, Pathao and EasyPost's carriers all use. */
const VOLUMETRIC_DIVISOR = 5_000;

/** Chargeable grams: the larger of the actual weight and the volumetric weight of the box. */
export const chargeableGrams = (parcel: { weightGrams: number; dimensionsCm: { l: number; w: number; h: number } }): number =>
  Math.max(parcel.weightGrams, Math.ceil(((parcel.dimensionsCm.l * parcel.dimensionsCm.w * parcel.dimensionsCm.h) / VOLUMETRIC_DIVISOR) * 1000));

/** A webhook body read with `schema`, or undefined when it is not JSON of that shape (the adapter then ignores it). */
export const webhookBodyOf = <S extends z.core.$ZodType>(schema: S, body: string): z.core.output<S> | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = z.safeParse(schema, json);
  return parsed.success ? parsed.data : undefined;
};

/** Whether a header carries exactly the configured secret, compared in constant time. */
export const sameSecret = (given: string | undefined, expected: string): boolean => {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};
