#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Counts the commands a FerretDB debug log received, by database, collection, command and filter shape
 * (values replaced by `N`), with their mean request size: which service sends the store what during a
 * bench scenario. Run the bench with FERRETDB_LOG_LEVEL=debug (it logs every request; slow, so for
 * counting, not timing), then: node tools/ferretdb-commands.js .data/bench/logs/ferretdb.log [top]
 */
const fs = require('node:fs');
const readline = require('node:readline');

/** Handshakes and session bookkeeping: not the application's work. */
const IGNORED = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
  'buildInfo',
]);

/** @param {string} line @returns {{ key: string, bytes: number, statements: number } | null} */
function parse(line) {
  const start = line.indexOf('msg="Request message:');
  if (start < 0 || !line.includes('Sections')) return null;
  const end = line.lastIndexOf('" name=');
  const body = JSON.parse(`"${line.slice(start + 'msg="Request message:'.length, end)}"`);
  const command = /"Document": \{\s*"(\w+)": "?([^",\n]*)"?/.exec(body);
  if (!command || IGNORED.has(command[1])) return null;
  const db = /"\$db": "([^"]*)"/.exec(body)?.[1] ?? '?';
  const filter = /"(?:filter|q)": (\{.*?\}),?\n/.exec(body)?.[1] ?? '';
  const shape = filter.replace(/"[^"]*\d[^"]*"|\d+(\.\d+)?|ObjectID\([^)]*\)/g, 'N').slice(0, 120);
  // An update or delete command carries one `q` per statement (a bulk write sends many in one command).
  const statements = Math.max(body.split('"q": ').length - 1, 1);
  return { key: `${db}.${command[2]} ${command[1]} ${shape}`.trim(), bytes: body.length, statements };
}

async function main() {
  const [file, top = '30'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node tools/ferretdb-commands.js <ferretdb.log> [top]');
    process.exit(2);
  }
  /** @type {Map<string, { count: number, bytes: number, statements: number }>} */
  const counts = new Map();
  for await (const line of readline.createInterface({ input: fs.createReadStream(file) })) {
    const request = parse(line);
    if (!request) continue;
    const entry = counts.get(request.key) ?? { count: 0, bytes: 0, statements: 0 };
    entry.count += 1;
    entry.bytes += request.bytes;
    entry.statements += request.statements;
    counts.set(request.key, entry);
  }
  const rows = [...counts].sort((a, b) => b[1].count - a[1].count).slice(0, Number(top));
  console.log(
    `${'commands'.padStart(8)} ${'stmts'.padStart(8)} ${'bytes/cmd'.padStart(9)}  database.collection command filter`,
  );
  for (const [key, { count, bytes, statements }] of rows) {
    const columns = [
      String(count).padStart(8),
      String(statements).padStart(8),
      String(Math.round(bytes / count)).padStart(9),
    ];
    console.log(`${columns.join(' ')}  ${key}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
