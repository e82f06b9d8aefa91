#!/usr/bin/env node
// @ts-check
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { ROOT, APPS, hasSource } = require('./apps');
const { build } = require('./build');
const { installTestTools } = require('./stack/test-tools');

// usage: node tools/test.js [jest args…]   (npm test -- --selectProjects unit)
// Builds the apps (the e2e tests run them from dist), then runs jest in band: the e2e project's
// globalSetup starts the infrastructure once for the whole run.
const args = process.argv.slice(2);
const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
const onlyUnit = args.join(' ').includes('--selectProjects unit') && !args.includes('e2e');

const t0 = Date.now();
if (!onlyUnit) {
  // Until every app has a main.ts, build those that have one; e2e tests of a missing app fail by themselves.
  const missing = APPS.filter((app) => !hasSource(app));
  if (missing.length) console.warn(`[test] not built, no src/main.ts: ${missing.join(', ')}`);
  if (!build({ apps: APPS.filter(hasSource), ifStale: !ci })) process.exit(1);
  console.log(`[test] build done (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

/** Runs jest in band, after installing what the e2e tests drive besides the stack. */
async function main() {
  if (!onlyUnit) await installTestTools((msg) => console.log(`[test] ${msg}`));
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const jestArgs = ['--runInBand', ...(ci ? ['--ci', '--forceExit'] : []), ...args];
  const result = spawnSync(process.execPath, [jest, ...jestArgs], { cwd: ROOT, stdio: 'inherit', env: process.env });
  return result.status ?? 1;
}

main().then(
  (status) => process.exit(status),
  (err) => {
    console.error(`[test] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
