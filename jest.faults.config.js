// The fault suite (`npm run test:faults`): kills and restarts apps and infrastructure on the real
// local stack, so it runs apart from `npm test`, one file at a time, with the e2e globalSetup.
const base = require('./jest.config.js');
const e2e = base.projects.find((p) => p.displayName === 'e2e');

module.exports = {
  rootDir: __dirname,
  displayName: 'faults',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/faults/**/*.fault.spec.ts'],
  moduleNameMapper: e2e.moduleNameMapper,
  transform: e2e.transform,
  globalSetup: e2e.globalSetup,
  globalTeardown: e2e.globalTeardown,
  // Each test sets its own timeout from its sizes; this is the fallback.
  testTimeout: 600000,
};
