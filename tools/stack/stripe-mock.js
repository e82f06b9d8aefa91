// @ts-check
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { BIN_DIR, goInstall, startService, waitReady } = require('./proc');

const VERSION = 'v0.203.0';
const BIN = path.join(BIN_DIR, `stripe-mock-${VERSION}`);

/** stripe-mock accepts any key shaped like a test key: `sk_test_` and letters or digits only. */
const PROBE_KEY = 'sk_test_stackreadiness';

/** @param {(msg: string) => void} log */
async function install(log) {
  return goInstall({ name: 'stripe-mock', module: 'github.com/stripe/stripe-mock', version: VERSION, bin: BIN, log });
}

/**
 * Ready when an authenticated list call answers from the fixtures (the port opens a little earlier).
 * @param {string} url
 */
async function ready(url) {
  const res = await fetch(`${url}/v1/customers?limit=1`, {
    headers: { authorization: `Bearer ${PROBE_KEY}` },
    signal: AbortSignal.timeout(1000),
  });
  return res.ok;
}

/** @param {{ dataDir: string, ports: { httpPort: number }, onSpawn: (service: import('./proc').Service) => void }} opts */
async function start({ dataDir, ports, onSpawn }) {
  // Plain HTTP on loopback only (the SDK is pointed at it with protocol 'http'); it keeps no state.
  // It also serves HTTPS, by default on TCP 12112 whatever the HTTP address: a Unix socket in the data
  // dir instead, so two stacks (a colleague's tests, the bench) never collide on that port.
  const dir = path.join(dataDir, 'stripe-mock');
  fs.mkdirSync(dir, { recursive: true });
  const socket = path.join(dir, 'https.sock');
  fs.rmSync(socket, { force: true });
  const args = ['-http-addr', `127.0.0.1:${ports.httpPort}`, '-https-unix', socket];
  const service = startService('stripe-mock', BIN, args, { logFile: path.join(dataDir, 'logs', 'stripe-mock.log') });
  onSpawn(service);
  const url = `http://127.0.0.1:${ports.httpPort}`;
  try {
    await waitReady(service, () => ready(url), 20000);
  } catch (err) {
    await service.stop();
    throw err;
  }
  return { service, env: { STRIPE_API_URL: url } };
}

module.exports = { install, start, VERSION };
