import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { type FieldIssue, ValidationError } from './errors';

// zod/mini ships without messages ("Invalid input" for everything); the English locale gives each field a real reason.
z.config(en());

/** Where a value came from; prefixes every issue path so `details.fields` says `query.limit`, not `limit`. */
export type InputLocation = 'path' | 'query' | 'body' | 'input';

/** Turns zod issues into the envelope's `details.fields`, one entry per issue, paths joined with dots. */
export const toFieldIssues = (issues: readonly z.core.$ZodIssue[], location: InputLocation): FieldIssue[] =>
  issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));

/** `text` as JSON; throws ValidationError (`<what> is not valid JSON`, field `body`) when it is not JSON. */
export const parseJsonText = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ValidationError(`${what} is not valid JSON`, [{ path: 'body', message: 'not valid JSON' }], { cause });
  }
};

/**
 * Parses `input` with `schema` (zod classic or mini) and returns the output type.
 * Throws ValidationError listing every failing field, never just the first.
 */
export const parseOrThrow = <S extends z.core.$ZodType>(schema: S, input: unknown, location: InputLocation): z.core.output<S> => {
  const result = z.safeParse(schema, input);
  if (!result.success) {
    throw new ValidationError('request validation failed', toFieldIssues(result.error.issues, location));
  }
  return result.data;
};
