// @ts-check
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
// The driver mongoose ships (not a dependency of its own, so the versions never differ).
const { MongoClient } = require('mongoose').mongo;
const { BIN_DIR, CACHE_DIR, buildAtomically, run, startService, waitReady, which } = require('./proc');

const SRC_DIR = path.join(__dirname, '..', 'ferretdb-runner');
const BIN = path.join(BIN_DIR, 'ferretdb-runner');
const STAMP = `${BIN}.sha256`;

function sourceHash() {
  const hash = crypto.createHash('sha256');
  const sources = fs.readdirSync(SRC_DIR).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum');
  for (const file of sources.sort()) hash.update(file).update(fs.readFileSync(path.join(SRC_DIR, file)));
  return hash.digest('hex');
}

/** @param {(msg: string) => void} log */
async function install(log) {
  const hash = sourceHash();
  if (fs.existsSync(BIN) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === hash) return false;
  if (!(await which('go'))) throw new Error('Building FerretDB needs Go 1.24+ on PATH (apt-get install -y golang)');
  log('building FerretDB v1.24.2 (Go)…');
  await buildAtomically(BIN, (tmp) =>
    run('go', ['build', '-o', tmp, '.'], {
      cwd: SRC_DIR,
      env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
      logFile: path.join(CACHE_DIR, 'ferretdb-build.log'),
    }),
  );
  fs.writeFileSync(STAMP, hash);
  return true;
}

/** @param {string} url */
async function ping(url) {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** @param {{ dataDir: string, ports: { port: number }, onSpawn: (service: import('./proc').Service) => void }} opts */
async function start({ dataDir, ports, onSpawn }) {
  const dir = path.join(dataDir, 'ferretdb');
  fs.mkdirSync(dir, { recursive: true });
  const service = startService(
    'FerretDB',
    BIN,
    [`-listen=127.0.0.1:${ports.port}`, `-data-dir=${dir}`, `-log-level=${process.env.FERRETDB_LOG_LEVEL ?? 'warn'}`],
    { logFile: path.join(dataDir, 'logs', 'ferretdb.log') },
  );
  onSpawn(service);
  const url = `mongodb://127.0.0.1:${ports.port}`;
  try {
    await waitReady(service, () => ping(url), 30000);
  } catch (err) {
    await service.stop();
    throw err;
  }
  return { service, env: { MONGO_URL: url } };
}

module.exports = { install, start };
