#!/usr/bin/env node
// @ts-check
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { ROOT, APPS, hasSource, isStale } = require('./apps');

const USAGE = `usage: node tools/build.js [--if-stale] [--allow-missing] [app…]
  Runs \`nest build <app>\` for each app (default: all five), one after another, stopping at the first failure.
  --if-stale       skip apps whose dist entry is newer than every source
  --allow-missing  skip apps that have no src/main.ts yet (with a warning)`;

/**
 * @param {{ apps?: readonly string[], ifStale?: boolean, allowMissing?: boolean }} [options]
 * @returns {boolean} whether every app built
 */
function build(options = {}) {
  const apps = options.apps?.length ? options.apps : APPS;
  const nest = path.join(ROOT, 'node_modules', '.bin', 'nest');
  for (const app of apps) {
    if (!hasSource(app)) {
      if (options.allowMissing) {
        console.warn(`[build] ${app}: no apps/${app}/src/main.ts yet, skipped`);
        continue;
      }
      console.error(`[build] ${app}: apps/${app}/src/main.ts is missing`);
      return false;
    }
    if (options.ifStale && !isStale(app)) {
      console.log(`[build] ${app}: up to date`);
      continue;
    }
    const t0 = Date.now();
    const result = spawnSync(nest, ['build', app], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`[build] ${app}: nest build failed (${result.signal ?? `exit ${result.status}`})`);
      return false;
    }
    console.log(`[build] ${app} built (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return true;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const apps = args.filter((a) => !a.startsWith('--'));
  const unknown = apps.filter((a) => !(/** @type {readonly string[]} */ (APPS).includes(a)));
  if (unknown.length) {
    console.error(`unknown app(s): ${unknown.join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  const ok = build({ apps, ifStale: args.includes('--if-stale'), allowMissing: args.includes('--allow-missing') });
  process.exit(ok ? 0 : 1);
}

module.exports = { build };
