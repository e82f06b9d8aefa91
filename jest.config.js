// Two projects: `unit` (pure logic, beside the code) and `e2e` (integration and e2e against the
// real local stack that libs/testing starts once per run in globalSetup).
const moduleNameMapper = {
  '^@app/(contracts|messaging|persistence|auth|platform|testing)$': '<rootDir>/libs/$1/src',
  '^@app/(contracts|messaging|persistence|auth|platform|testing)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }] };

module.exports = {
  // testTimeout is a global option (ignored inside a project): e2e specs talk to real brokers.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/{apps,libs,tools}/**/src/**/*.spec.ts'],
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/{apps,libs}/*/test/**/*.e2e-spec.ts'],
      moduleNameMapper,
      transform,
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
    },
  ],
};
