import * as z from 'zod/mini';
import './validation';

/** Environments the CDK app deploys (`-c env=dev|staging|prod`). */
export const appEnvSchema = z.enum(['dev', 'staging', 'prod']);

const nonEmpty = () => z.string().check(z.minLength(1));

/** Keys every function gets from the `ServiceFunction` construct; spread them into a function's own schema. */
export const commonConfigShape = {
  POWERTOOLS_SERVICE_NAME: nonEmpty(),
  POWERTOOLS_METRICS_NAMESPACE: nonEmpty(),
  APP_ENV: appEnvSchema,
};

/** A variable whose value is JSON, parsed and then validated by `schema`. */
export const jsonEnv = <S extends z.core.$ZodType>(schema: S) =>
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((raw: string, ctx) => {
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          ctx.issues.push({ code: 'custom', message: 'not valid JSON', input: raw });
          return z.NEVER;
        }
      }),
    ),
    schema,
  );

/** Thrown at cold start when the environment does not satisfy the function's config schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment with `schema` once (call it at module scope, i.e. at cold start).
 * This is the only reader of `process.env` in `functions/`. Throws ConfigError naming every missing or
 * invalid key, so a broken deployment fails on its first invocation with the whole list.
 */
export const loadConfig = <S extends z.core.$ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.core.output<S> => {
  const result = z.safeParse(schema, env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.');
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return `${key}: ${missing ? 'missing' : issue.message}`;
  });
  throw new ConfigError(problems);
};
