import * as z from 'zod/mini';
import { appEnvSchema, commonConfigShape, ConfigError, jsonEnv, loadConfig } from '../../../../functions/_platform/config';

const schema = z.object({
  ...commonConfigShape,
  ORDERS_TABLE: z.string().check(z.minLength(1)),
  DEPENDENCIES: jsonEnv(z.object({ tables: z.record(z.string(), z.string()) })),
});
const valid = {
  POWERTOOLS_SERVICE_NAME: 'checkout',
  POWERTOOLS_METRICS_NAMESPACE: 'CommerceHub',
  APP_ENV: 'staging',
  ORDERS_TABLE: 'orders-table',
  DEPENDENCIES: '{"tables":{"orders":"orders-table"}}',
};

describe('loadConfig', () => {
  it('returns the typed, parsed configuration', () => {
    expect(loadConfig(schema, valid)).toEqual({ ...valid, DEPENDENCIES: { tables: { orders: 'orders-table' } } });
  });

  it('names every missing and invalid key in one error', () => {
    const attempt = () => loadConfig(schema, { ...valid, APP_ENV: 'production', ORDERS_TABLE: undefined, POWERTOOLS_SERVICE_NAME: undefined });

    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const { problems, message } = error as ConfigError;
      expect(problems).toHaveLength(3);
      expect(message).toContain('POWERTOOLS_SERVICE_NAME: missing');
      expect(message).toContain('ORDERS_TABLE: missing');
      expect(message).toMatch(/APP_ENV: .*dev.*staging.*prod/);
    }
  });

  it('reports a JSON variable that is not JSON, or not the expected shape', () => {
    expect(() => loadConfig(schema, { ...valid, DEPENDENCIES: '{tables:' })).toThrow(/DEPENDENCIES: not valid JSON/);
    expect(() => loadConfig(schema, { ...valid, DEPENDENCIES: '{"tables":[1]}' })).toThrow(/DEPENDENCIES\.tables/);
  });

  it('ignores variables the schema does not name', () => {
    expect(loadConfig(schema, { ...valid, PATH: '/usr/bin' })).not.toHaveProperty('PATH');
  });

  it('knows the three environments', () => {
    expect(appEnvSchema.options).toEqual(['dev', 'staging', 'prod']);
  });
});
