// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const APPS = /** @type {const} */ (['gateway', 'auth', 'tracking', 'pickup', 'notifications']);
/** Default ports (docs/internal-apis.md). */
const PORTS = { gateway: 3000, auth: 3001, tracking: 3002, pickup: 3003, notifications: 3004 };

/** @param {string} app */
const entryOf = (app) => path.join(ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
/** @param {string} app */
const hasSource = (app) => fs.existsSync(path.join(ROOT, 'apps', app, 'src', 'main.ts'));

/**
 * The newest modification time under `dir` (ts/json sources only).
 * @param {string} dir
 * @returns {number}
 */
function newestSource(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|json)$/.test(entry.name)) continue;
    const full = path.join(entry.parentPath, entry.name);
    if (full.includes(`${path.sep}node_modules${path.sep}`)) continue;
    newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Whether `app`'s build is missing or older than its sources, the libs or the build config.
 * @param {string} app
 */
function isStale(app) {
  const entry = entryOf(app);
  if (!fs.existsSync(entry)) return true;
  const built = fs.statSync(entry).mtimeMs;
  const inputs = [
    newestSource(path.join(ROOT, 'apps', app)),
    newestSource(path.join(ROOT, 'libs')),
    ...['tsconfig.json', 'nest-cli.json', 'package-lock.json'].map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs),
  ];
  return Math.max(...inputs) > built;
}

module.exports = { ROOT, APPS, PORTS, entryOf, hasSource, isStale };
