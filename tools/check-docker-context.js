#!/usr/bin/env node
// @ts-check
'use strict';

// Checks offline what `docker build` would refuse (CI has no Docker engine): every source of a
// COPY in the Dockerfile (other than COPY --from) must exist in the repository and must not be
// excluded from the build context by .dockerignore. Patterns are matched the way Docker does for
// the forms used here: a path, a path prefix, `*` within a segment and `**` for any segments.

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** @param {string} pattern */
function toRegExp(pattern) {
  const clean = pattern.replace(/^\/+|\/+$/g, '');
  let source = '';
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i];
    if (c === '*' && clean[i + 1] === '*') {
      i++;
      // `**/` is any number of whole folders (none included); a trailing `**` is anything.
      if (clean[i + 1] === '/') {
        source += '(?:.*/)?';
        i++;
      } else source += '.*';
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern that names a directory excludes everything under it.
  return new RegExp(`^${source}(/.*)?$`);
}

/** @returns {{ negate: boolean, re: RegExp, text: string }[]} */
function ignoreRules() {
  const file = path.join(ROOT, '.dockerignore');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const text = negate ? line.slice(1) : line;
      return { negate, re: toRegExp(text), text };
    });
}

/** The last matching rule decides, as in Docker. @param {string} rel @param {ReturnType<typeof ignoreRules>} rules */
function ignoredBy(rel, rules) {
  let by = null;
  for (const rule of rules) if (rule.re.test(rel)) by = rule.negate ? null : rule.text;
  return by;
}

function copySources() {
  const lines = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').split('\n');
  /** @type {{ line: number, src: string }[]} */
  const sources = [];
  lines.forEach((text, index) => {
    const match = /^\s*(COPY|ADD)\s+(.*)$/i.exec(text);
    if (!match) return;
    const args = match[2].split(/\s+/).filter(Boolean);
    if (args.some((a) => a.startsWith('--from'))) return;
    const paths = args.filter((a) => !a.startsWith('--'));
    for (const src of paths.slice(0, -1)) sources.push({ line: index + 1, src: src.replace(/^\.\//, '') });
  });
  return sources;
}

const rules = ignoreRules();
const problems = [];
const sources = copySources();
for (const { line, src } of sources) {
  if (!fs.existsSync(path.join(ROOT, src)))
    problems.push(`Dockerfile:${line}: COPY ${src}: no such file in the repository`);
  const by = ignoredBy(src, rules);
  if (by) problems.push(`Dockerfile:${line}: COPY ${src}: excluded from the build context by .dockerignore (${by})`);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`[docker] ${sources.length} COPY sources are in the build context`);
