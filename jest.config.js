/**
 * Unit specs sit beside the code they test and need no services. e2e specs start the built service
 * (dist/src/main.js) as real processes against PostgreSQL and Redis; fault specs do too, and break them.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      setupFiles: ['reflect-metadata'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform,
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
    },
    {
      // npm run test:faults: breaks Redis, PostgreSQL and workers under load (test/faults/harness.ts).
      displayName: 'faults',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/faults'],
      testMatch: ['**/*.fault-spec.ts'],
      transform,
      globalSetup: '<rootDir>/test/faults/global-setup.ts',
      globalTeardown: '<rootDir>/test/faults/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
    },
  ],
};
