#!/usr/bin/env node
// @ts-check
'use strict';

const { startInfra, TEST_PORTS } = require('./index');

const USAGE = `usage: node tools/stack/cli.js up [--profile dev|test] [--fresh]
  Runs Kafka, FerretDB, Redis and Mailpit in the foreground until Ctrl-C (installs what is missing).
  --profile test  uses the test ports (what the e2e globalSetup uses) and .data/test
  --fresh         wipes the profile's data first`;

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'up') {
    console.error(USAGE);
    process.exit(command === undefined || command === '--help' ? 0 : 2);
  }
  const profileAt = rest.indexOf('--profile');
  const profile = profileAt >= 0 ? rest[profileAt + 1] : 'dev';
  if (!profile || !/^[a-z0-9-]+$/.test(profile)) {
    console.error(USAGE);
    process.exit(2);
  }
  const stack = await startInfra({
    profile,
    fresh: rest.includes('--fresh'),
    ports: profile === 'test' ? TEST_PORTS : undefined,
  });
  console.log('');
  for (const [name, value] of Object.entries(stack.env)) console.log(`  export ${name}=${value}`);
  // startInfra stops everything it started on SIGINT/SIGTERM/SIGHUP and exits.
  console.log('\nPress Ctrl-C to stop.');
}

main().catch((err) => {
  console.error(`[stack] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
