// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { BIN_DIR, goInstall, startService, waitReady } = require('./proc');

const VERSION = 'v1.33.1';
const BIN = path.join(BIN_DIR, `mailpit-${VERSION}`);

/** @param {(msg: string) => void} log */
async function install(log) {
  return goInstall({ name: 'Mailpit', module: 'github.com/axllent/mailpit', version: VERSION, bin: BIN, log });
}

/** @param {string} url */
async function ready(url) {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
  return res.ok;
}

/** @param {{ dataDir: string, ports: { smtpPort: number, httpPort: number }, onSpawn: (service: import('./proc').Service) => void }} opts */
async function start({ dataDir, ports, onSpawn }) {
  const dir = path.join(dataDir, 'mailpit');
  fs.mkdirSync(dir, { recursive: true });
  const args = [
    '--smtp',
    `127.0.0.1:${ports.smtpPort}`,
    '--listen',
    `127.0.0.1:${ports.httpPort}`,
    '--max',
    '0',
    '--disable-version-check',
    '--smtp-disable-rdns',
    '--database',
    path.join(dir, 'mailpit.db'),
  ];
  const service = startService('Mailpit', BIN, args, { logFile: path.join(dataDir, 'logs', 'mailpit.log') });
  onSpawn(service);
  const url = `http://127.0.0.1:${ports.httpPort}`;
  try {
    await waitReady(service, () => ready(url), 20000);
  } catch (err) {
    await service.stop();
    throw err;
  }
  return { service, env: { SMTP_URL: `smtp://127.0.0.1:${ports.smtpPort}`, MAILPIT_URL: url } };
}

module.exports = { install, start };
