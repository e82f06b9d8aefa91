#!/usr/bin/env node
// @ts-check
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const readline = require('node:readline');
const { ROOT, APPS, PORTS, entryOf, hasSource } = require('./apps');
const { build } = require('./build');
const { startInfra } = require('./stack');
const { devSecrets } = require('./dev-secrets');
const { appKafkaEnv, readCredentials } = require('./stack/kafka-access');

// usage: node tools/start.js [app…] [--no-build] [--allow-missing]
//   app…             start only these (default all five); --no-build skips the stale check;
//   --allow-missing  skips apps with no src/main.ts yet
const READY_TIMEOUT_MS = Number(process.env.START_READY_TIMEOUT_MS ?? 90000);
const COLORS = [36, 35, 33, 32, 34];

/** @param {number} t0 */
const since = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

async function main() {
  const allowMissing = process.argv.includes('--allow-missing');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const unknown = only.filter((a) => !(/** @type {readonly string[]} */ (APPS).includes(a)));
  if (unknown.length) throw new Error(`unknown app(s): ${unknown.join(', ')}; apps: ${APPS.join(', ')}`);
  const apps = APPS.filter((app) => only.length === 0 || only.includes(app)).filter((app) => {
    if (hasSource(app)) return true;
    if (!allowMissing) {
      console.error(`[start] apps/${app}/src/main.ts is missing (use --allow-missing to start the others)`);
      process.exit(1);
    }
    console.warn(`[start] ${app}: no src/main.ts yet, skipped`);
    return false;
  });
  if (!apps.length) throw new Error('no app to start');

  const t0 = Date.now();
  if (process.argv.includes('--no-build')) {
    const unbuilt = apps.filter((app) => !fs.existsSync(entryOf(app)));
    if (unbuilt.length) throw new Error(`--no-build, but not built: ${unbuilt.join(', ')}`);
  } else {
    if (!build({ apps, ifStale: true })) process.exit(1);
    console.log(`[start] build checked (${since(t0)})`);
  }

  // The data folder under .data/ (tests use their own so they never touch the dev data).
  const infra = await startInfra({ profile: process.env.PORTAL_STACK_PROFILE || 'dev' });

  /** @type {Record<string, number>} */
  const ports = {};
  for (const app of APPS) ports[app] = Number(process.env[`${app.toUpperCase()}_PORT`] ?? PORTS[app]);
  const url = (/** @type {string} */ app) => `http://127.0.0.1:${ports[app]}`;
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    // A developer's machine: apps listen on 127.0.0.1 (their HOST default) and may run without production
    // secrets. PORTAL_ENV=production in the shell tries the production checks locally.
    PORTAL_ENV: 'development',
    ...process.env,
    ...devSecrets(process.env),
    ...infra.env,
    ...Object.fromEntries(APPS.map((app) => [`${app.toUpperCase()}_PORT`, String(ports[app])])),
    ...Object.fromEntries(APPS.filter((a) => a !== 'gateway').map((app) => [`${app.toUpperCase()}_URL`, url(app)])),
  };

  /** @type {Map<string, import('node:child_process').ChildProcess>} */
  const children = new Map();
  let stopping = false;
  const width = Math.max(...apps.map((a) => a.length));

  // Each app authenticates to Kafka as its own principal (the gateway does not use Kafka); with an
  // external broker and no credentials file, KAFKA_SASL_* come from the environment.
  const credentialsFile = infra.env.KAFKA_CREDENTIALS_FILE;
  const kafkaCredentials = credentialsFile ? readCredentials(credentialsFile) : undefined;
  /** @param {string} app */
  const kafkaEnv = (app) => (app === 'gateway' || !kafkaCredentials ? {} : appKafkaEnv(kafkaCredentials, app));

  for (const [i, app] of apps.entries()) {
    const child = spawn(process.execPath, [entryOf(app)], {
      cwd: ROOT,
      env: { ...env, ...kafkaEnv(app) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = process.stdout.isTTY
      ? `\x1b[${COLORS[i % COLORS.length]}m${app.padEnd(width)}\x1b[0m |`
      : `${app.padEnd(width)} |`;
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => console.log(`${prefix} ${line}`));
    }
    child.once('exit', (code, signal) => {
      children.delete(app);
      if (!stopping) console.error(`[start] ${app} exited unexpectedly (${signal ?? `exit ${code}`})`);
    });
    children.set(app, child);
  }

  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping apps…');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise((resolve) => {
            const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve(undefined);
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await infra.stop();
  };
  // Apps go down before the infrastructure they use.
  infra.releaseSignals();
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      stopAll().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  process.once('exit', () => {
    for (const child of children.values()) child.kill('SIGKILL');
  });

  const tApps = Date.now();
  try {
    await Promise.all(apps.map((app) => waitReady(app, url(app), () => children.has(app))));
  } catch (err) {
    console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
    await stopAll();
    process.exit(1);
  }
  console.log(`
[start] portal ready (apps ${since(tApps)}, total ${since(t0)})
  Gateway     ${url('gateway')}
  Swagger UI  ${url('gateway')}/api/docs
  Mailpit     ${infra.env.MAILPIT_URL ?? '(external SMTP)'}
  stripe-mock ${infra.env.STRIPE_API_URL ?? '(none)'}
  Kafka       ${infra.env.KAFKA_BROKERS} (SASL/SCRAM-SHA-512)
  Scanners    ${infra.env.KAFKA_SCANNER_PROPERTIES ?? '(external Kafka)'} (kcat -F <file> -L)
Press Ctrl-C to stop.`);
}

/**
 * @param {string} app
 * @param {string} baseUrl
 * @param {() => boolean} running
 */
async function waitReady(app, baseUrl, running) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!running()) throw new Error(`${app} exited before it was ready (see its lines above)`);
    const ok = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) {
      throw new Error(`${app} did not answer GET ${baseUrl}/health/ready with 200 within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
