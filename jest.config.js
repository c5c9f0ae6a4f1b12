/**
 * Two projects, both run by a bare `npx jest`:
 *   unit  src/**\/*.spec.ts and the golden SQL files: no database, seconds (`npm run test:unit`)
 *   e2e   test/**\/*.e2e-spec.ts and test/pooler/**\/*.pooler-spec.ts: one embedded PostgreSQL per run (test/support/global-setup.ts),
 *         a fresh database per test file
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
  },
];

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  testTimeout: 30000,
};

module.exports = {
  testTimeout: 30000,
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/golden/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      // pooler specs need Debian's pgbouncer and nginx (.ci/run installs them)
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/pooler/**/*.pooler-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
