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

// usage: node tools/start.js [app…] [--no-build] [--allow-missing] [--tracing]
//   app…             start only these (default all five); --no-build skips the stale check;
//   --allow-missing  skips apps with no src/main.ts yet
//   --tracing        also runs Jaeger (built on first use) and sends every app's spans to it
//                    (or PORTAL_TRACING=1; an OTEL_EXPORTER_OTLP_ENDPOINT of your own is used instead)
// Once the portal is ready, an app that dies is started again (backoff from 250 ms, doubling; at
// most five times a minute, then the portal stops with the reason).
const READY_TIMEOUT_MS = Number(process.env.START_READY_TIMEOUT_MS ?? 90000);
const COLORS = [36, 35, 33, 32, 34];
/** An app that dies is started again, at most this many times a minute; then the portal stops. */
const RESTARTS_PER_MINUTE = 5;
/** The first restart waits this long, each further one in the same minute twice as long. */
const FIRST_RESTART_DELAY_MS = 250;

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
  const tracing = process.argv.includes('--tracing') || process.env.PORTAL_TRACING === '1';
  const infra = await startInfra({ profile: process.env.PORTAL_STACK_PROFILE || 'dev', tracing });

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

  // In a terminal the apps' JSON lines are printed readable and coloured; piped, they stay JSON.
  const pretty = process.stdout.isTTY ? prettyLines() : (/** @type {string} */ line) => line;
  /** Restart times per app within the last minute. */
  /** @type {Map<string, number[]>} */
  const restarts = new Map();
  let ready = false;

  /** @param {string} app @param {number} i */
  const spawnApp = (app, i) => {
    const child = spawn(process.execPath, [entryOf(app)], {
      cwd: ROOT,
      env: { ...env, ...kafkaEnv(app) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = process.stdout.isTTY
      ? `\x1b[${COLORS[i % COLORS.length]}m${app.padEnd(width)}\x1b[0m |`
      : `${app.padEnd(width)} |`;
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => console.log(`${prefix} ${pretty(line)}`));
    }
    child.once('exit', (code, signal) => {
      children.delete(app);
      if (stopping) return;
      const reason = signal ?? `exit ${code}`;
      // Before the portal is ready, a dying app is a configuration problem: start fails and says so.
      if (!ready) console.error(`[start] ${app} exited unexpectedly (${reason})`);
      else restart(app, i, reason);
    });
    children.set(app, child);
  };

  /** Starts a dead app again after a backoff, or stops the portal when it keeps dying. */
  const restart = (/** @type {string} */ app, /** @type {number} */ i, /** @type {string} */ reason) => {
    const now = Date.now();
    const recent = (restarts.get(app) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= RESTARTS_PER_MINUTE) {
      console.error(
        `[start] ${app} exited (${reason}) after ${recent.length} restarts within a minute: stopping the portal`,
      );
      stopAll().then(
        () => process.exit(1),
        () => process.exit(1),
      );
      return;
    }
    const delay = FIRST_RESTART_DELAY_MS * 2 ** recent.length;
    restarts.set(app, [...recent, now]);
    console.error(
      `[start] ${app} exited unexpectedly (${reason}); restarting in ${delay} ms (restart ${recent.length + 1} of ${RESTARTS_PER_MINUTE} a minute)`,
    );
    setTimeout(() => {
      if (stopping) return;
      const t = Date.now();
      spawnApp(app, i);
      waitReady(app, url(app), () => children.has(app)).then(
        () => console.log(`[start] ${app} is back (${since(t)})`),
        () => undefined, // it died again: its exit handler decides
      );
    }, delay);
  };

  for (const [i, app] of apps.entries()) spawnApp(app, i);

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
  ready = true;
  console.log(`
[start] portal ready (apps ${since(tApps)}, total ${since(t0)})
  Gateway     ${url('gateway')}
  Swagger UI  ${url('gateway')}/api/docs
  Mailpit     ${infra.env.MAILPIT_URL ?? '(external SMTP)'}
  Jaeger      ${tracing ? (infra.env.JAEGER_URL ?? `(external, spans to ${infra.env.OTEL_EXPORTER_OTLP_ENDPOINT})`) : '(off: npm start -- --tracing)'}
  stripe-mock ${infra.env.STRIPE_API_URL ?? '(none)'}
  Kafka       ${infra.env.KAFKA_BROKERS} (SASL/SCRAM-SHA-512)
  Scanners    ${infra.env.KAFKA_SCANNER_PROPERTIES ?? '(external Kafka)'} (kcat -F <file> -L)
Press Ctrl-C to stop.`);
}

/**
 * A formatter of the apps' pino lines for a terminal: level, time and message first, the fields
 * after; a line that is not JSON (a crash trace) passes as it is.
 * @returns {(line: string) => string}
 */
function prettyLines() {
  const { prettyFactory } = require('pino-pretty');
  const format = prettyFactory({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return (line) => {
    if (!line.startsWith('{')) return line;
    try {
      return format(JSON.parse(line)).trimEnd();
    } catch {
      return line;
    }
  };
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
