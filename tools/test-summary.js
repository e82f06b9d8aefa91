#!/usr/bin/env node
// @ts-check
'use strict';

const fs = require('node:fs');

// usage: node tools/test-summary.js results.json…   (jest's --json --outputFile files)
// Prints one closing line for the whole CI run, "tests: N passed, N failed, N skipped", so a reader
// of the log (or a tool reading its last lines) sees how many tests ran without adding up jest's
// per-phase summaries. A missing file (its phase did not run) counts nothing.
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) continue;
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += results.numPassedTests ?? 0;
  failed += (results.numFailedTests ?? 0) + (results.numRuntimeErrorTestSuites ?? 0);
  skipped += (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
