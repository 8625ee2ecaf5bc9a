import * as z from 'zod/mini';

/**
 * A provider adapter's factory from its Secrets Manager secret: the secret is checked against the adapter's config
 * schema first (medusa's validateOptions), naming the wrong fields and never echoing a value. Used by the payment
 * gateway and carrier registries.
 */
export const fromProviderSecret =
  <Config, Context, Adapter>(id: string, schema: z.ZodMiniType<Config>, create: (config: Config, context: Context) => Adapter) =>
  (secret: unknown, context: Context): Adapter => {
    const parsed = z.safeParse(schema, secret);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(the whole secret)').join(', ');
      throw new Error(`the ${id} secret is incomplete or invalid (${fields}): put the credentials into it`);
    }
    return create(parsed.data, context);
  };
