// Four projects so each kind of test can run alone (`npm run test:unit` …). `npm test` runs unit, contract and infra
// first, then integration on its own: an integration suite's local runtime keeps both cores busy with its function
// threads, and unit tests that wait out real SQS visibility timeouts beside it were starved past their guards.
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
const common = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json', 'mjs'],
  moduleNameMapper: { '^@middy/core$': '<rootDir>/test/support/middy-core.js' },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.test.ts'] },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/per-file-setup.ts'],
    },
  ],
};
