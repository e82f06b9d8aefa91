#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * The JavaScript a first visit to each page of the web portal downloads (issue 20), read from the Vite build's
 * manifest (dist/web/.vite/manifest.json): the entry chunk and its static imports, plus the page's own chunk and
 * its static imports, each file once, gzip-compressed (level 9, like Vite's report). Dynamic imports (other
 * pages, the Spanish and Chinese texts, the password dictionaries) are not part of a first load.
 * `node tools/web-first-load.js` prints every page; apps/web/test/build-output checks the tracking page's budget.
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const WEB_DIST = path.resolve(__dirname, '..', 'dist', 'web');
/** The first-load budget of the tracking page (issue 20: "under 150 KB compressed"). */
const FIRST_LOAD_BUDGET_BYTES = 150 * 1024;

/**
 * @typedef {{ file: string, isEntry?: boolean, imports?: string[], dynamicImports?: string[] }} Chunk
 * @param {string} dist
 * @returns {Record<string, Chunk>}
 */
function readManifest(dist = WEB_DIST) {
  return JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
}

/**
 * @param {string} page the page module, e.g. `src/pages/track.page.tsx` (one bundled into the entry has no chunk)
 * @returns {{ files: string[], gzipBytes: number }}
 */
function firstLoad(page, dist = WEB_DIST) {
  const manifest = readManifest(dist);
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
  if (!entry) throw new Error('the build manifest has no entry');
  const seen = new Set();
  const visit = (/** @type {string} */ key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  visit(entry);
  // A page without a chunk of its own is bundled into the entry.
  if (manifest[page]) visit(page);
  const files = [...seen].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
  const gzipBytes = files
    .map((file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length)
    .reduce((a, b) => a + b, 0);
  return { files, gzipBytes };
}

/** Every page module of the build (`src/pages/*.page.tsx`). */
function pages(dist = WEB_DIST) {
  return Object.keys(readManifest(dist))
    .filter((key) => /^src\/pages\/.+\.page\.tsx$/.test(key))
    .sort();
}

if (require.main === module) {
  for (const page of pages()) {
    const { files, gzipBytes } = firstLoad(page);
    console.log(
      `${path.basename(page, '.tsx').padEnd(24)} ${(gzipBytes / 1024).toFixed(1).padStart(6)} KB gzip  (${files.length} files)`,
    );
  }
}

module.exports = { FIRST_LOAD_BUDGET_BYTES, firstLoad, pages };
