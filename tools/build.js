#!/usr/bin/env node
// @ts-check
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, APPS, hasSource, isStale } = require('./apps');

const USAGE = `usage: node tools/build.js [--if-stale] [--allow-missing] [app… | web]
  Runs \`nest build <app>\` for each app (default: all five), one after another, stopping at the first failure,
  then type-checks and builds the web portal (apps/web, \`vite build\` to dist/web) unless apps are named without \`web\`.
  --if-stale       skip apps whose dist entry is newer than every source
  --allow-missing  skip apps that have no src/main.ts yet (with a warning)`;

const WEB_DIR = path.join(ROOT, 'apps', 'web');
const WEB_OUT = path.join(ROOT, 'dist', 'web', 'index.html');

/**
 * The newest modification time of the web portal's inputs (its sources and the contracts it imports).
 * @returns {number}
 */
function newestWebInput() {
  let newest = 0;
  for (const dir of [WEB_DIR, path.join(ROOT, 'libs', 'contracts', 'src')]) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return Math.max(newest, fs.statSync(path.join(ROOT, 'package-lock.json')).mtimeMs);
}

/**
 * Type-checks the web portal and builds it with Vite into dist/web (the gateway serves it at `/`).
 * @param {{ ifStale?: boolean }} [options]
 * @returns {boolean}
 */
function buildWeb(options = {}) {
  if (!fs.existsSync(path.join(WEB_DIR, 'index.html'))) {
    console.warn('[build] web: no apps/web/index.html, skipped');
    return true;
  }
  if (options.ifStale && fs.existsSync(WEB_OUT) && fs.statSync(WEB_OUT).mtimeMs > newestWebInput()) {
    console.log('[build] web: up to date');
    return true;
  }
  const t0 = Date.now();
  const bin = (/** @type {string} */ name) => path.join(ROOT, 'node_modules', '.bin', name);
  const env = { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' };
  const steps = [
    [bin('tsc'), ['--noEmit', '-p', path.join('apps', 'web', 'tsconfig.json')]],
    [bin('vite'), ['build', '--config', path.join('apps', 'web', 'vite.config.ts'), '--logLevel', 'warn']],
  ];
  for (const [command, args] of /** @type {[string, string[]][]} */ (steps)) {
    const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
    if (result.status !== 0) {
      console.error(`[build] web: ${path.basename(command)} failed (${result.signal ?? `exit ${result.status}`})`);
      return false;
    }
  }
  console.log(`[build] web built (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return true;
}

/**
 * @param {{ apps?: readonly string[], ifStale?: boolean, allowMissing?: boolean, web?: boolean }} [options]
 * @returns {boolean} whether every app (and the web portal, unless `web: false`) built
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
  if (options.web ?? true) return buildWeb({ ifStale: options.ifStale });
  return true;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const named = args.filter((a) => !a.startsWith('--'));
  const apps = named.filter((a) => a !== 'web');
  const web = named.length === 0 || named.includes('web');
  const unknown = apps.filter((a) => !(/** @type {readonly string[]} */ (APPS).includes(a)));
  if (unknown.length) {
    console.error(`unknown app(s): ${unknown.join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  const ok =
    apps.length === 0 && named.length > 0
      ? buildWeb({ ifStale: args.includes('--if-stale') })
      : build({ apps, web, ifStale: args.includes('--if-stale'), allowMissing: args.includes('--allow-missing') });
  process.exit(ok ? 0 : 1);
}

module.exports = { build, buildWeb };
