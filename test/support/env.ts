/** What every function gets from the ServiceFunction construct. */
export const platformEnv = {
  POWERTOOLS_SERVICE_NAME: 'unit-test',
  POWERTOOLS_METRICS_NAMESPACE: 'CommerceHubTest',
  APP_ENV: 'dev',
} as const;

/**
 * Sets environment variables for the modules a test is about to `require` (their config is parsed at load, like a
 * cold start). jest gives every test file its own copy of `process.env`.
 */
export const setEnv = (env: Readonly<Record<string, string>>): void => {
  Object.assign(process.env, env);
};
