// @ts-check
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DATA_ROOT, freePort, portInUse, seconds } = require('./proc');
const kafka = require('./kafka');
const ferretdb = require('./ferretdb');
const redis = require('./redis');
const mailpit = require('./mailpit');
const jaeger = require('./jaeger');
const stripeMock = require('./stripe-mock');

/**
 * @typedef {{ kafka: number, kafkaController: number, mongo: number, redis: number, smtp: number, mailpit: number, stripeMock: number, otlp: number, jaegerUi: number, jaegerGrpc: number }} InfraPorts
 * @typedef {{ KAFKA_BROKERS: string, KAFKA_CREDENTIALS_FILE: string, KAFKA_SCANNER_PROPERTIES?: string, MONGO_URL: string, REDIS_URL: string, SMTP_URL: string, MAILPIT_URL: string, STRIPE_API_URL: string, OTEL_EXPORTER_OTLP_ENDPOINT?: string, JAEGER_URL?: string }} InfraEnv
 * @typedef {{ env: InfraEnv, dataDir: string, stop(): Promise<void>, pids(): Record<string, number> }} Infra
 */

/** @returns {InfraPorts} the dev ports, overridable from the environment */
function defaultPorts(env = process.env) {
  const num = (/** @type {string} */ name, /** @type {number} */ fallback) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const port = Number(value);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`${name} must be a port, got "${value}"`);
    return port;
  };
  return {
    kafka: num('KAFKA_PORT', 9092),
    kafkaController: num('KAFKA_CONTROLLER_PORT', 9093),
    mongo: num('MONGO_PORT', 27017),
    redis: num('REDIS_PORT', 6379),
    smtp: num('SMTP_PORT', 1025),
    mailpit: num('MAILPIT_PORT', 8025),
    // Jaeger, only with tracing on: OTLP/HTTP in, query API and UI, its gRPC query API.
    otlp: num('OTLP_PORT', 4318),
    jaegerUi: num('JAEGER_UI_PORT', 16686),
    jaegerGrpc: num('JAEGER_GRPC_PORT', 16685),
    stripeMock: num('STRIPE_MOCK_PORT', 12111),
  };
}

/**
 * How many Kafka nodes to start: `KAFKA_NODES` 1 (default: one broker, what `npm start` and the
 * tests run) or 3 (a replicated KRaft cluster, replication factor 3, min.insync.replicas 2).
 * @param {NodeJS.ProcessEnv} env
 */
function kafkaNodes(env = process.env) {
  const raw = env.KAFKA_NODES ?? '';
  if (raw === '' || raw === '1') return 1;
  if (raw === '3') return 3;
  throw new Error(`KAFKA_NODES must be 1 or 3, got "${raw}"`);
}

/** The variables a started stack hands its clients (apps, tests, bench): a piece whose URL is given is not started. */
const INFRA_ENV_VARS = /** @type {const} */ ([
  'KAFKA_BROKERS',
  'KAFKA_CREDENTIALS_FILE',
  'MONGO_URL',
  'REDIS_URL',
  'SMTP_URL',
  'MAILPIT_URL',
  'STRIPE_API_URL',
]);

/** @type {InfraPorts} */
const TEST_PORTS = {
  kafka: 19092,
  kafkaController: 19093,
  mongo: 37017,
  redis: 16379,
  smtp: 11025,
  mailpit: 18025,
  otlp: 14318,
  jaegerUi: 26686,
  jaegerGrpc: 26685,
  stripeMock: 22111,
};

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills processes a crashed earlier run left behind on this data dir (matched by command line, so
 * a reused pid is never hit).
 * @param {string} pidFile
 * @param {string} dataDir
 */
function killLeftovers(pidFile, dataDir) {
  /** @type {number[]} */
  let pids = [];
  try {
    pids = JSON.parse(fs.readFileSync(pidFile, 'utf8'));
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(dataDir)) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * A detached watchdog that kills the children listed in `pidFile` if this process dies without
 * cleaning up (SIGKILL, a crash): nothing is left listening on the ports.
 * @param {string} pidFile
 */
function startWatchdog(pidFile) {
  // A shell loop costs ~1 MB where a node process would cost ~40 MB.
  const script = [
    'while kill -0 "$0" 2>/dev/null; do sleep 1; done',
    '[ -f "$1" ] || exit 0',
    'pids=$(tr -c "0-9" " " < "$1")',
    'kill -TERM $pids 2>/dev/null; sleep 10; kill -KILL $pids 2>/dev/null',
  ].join('; ');
  const child = spawn('sh', ['-c', script, String(process.pid), pidFile], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

/**
 * Starts Kafka, FerretDB, Redis, Mailpit and stripe-mock as children (installing what is missing), and
 * Jaeger with `tracing`, except the pieces whose URL is already in `env`. Resolves when each answers
 * its readiness probe.
 * @param {{ profile?: string, ports?: Partial<InfraPorts>, log?: (msg: string) => void, env?: NodeJS.ProcessEnv, fresh?: boolean, dataDir?: string, handleSignals?: boolean, tracing?: boolean }} [options]
 * @returns {Promise<Infra>}
 */
async function startInfra(options = {}) {
  const profile = options.profile ?? 'dev';
  // The profile names a folder under .data: nothing that could point elsewhere.
  if (!/^[a-z0-9-]+$/.test(profile))
    throw new Error(`data profile must be lowercase letters, digits and dashes, got "${profile}"`);
  const log = options.log ?? ((msg) => console.log(`[stack] ${msg}`));
  const given = options.env ?? process.env;
  const ports = { ...defaultPorts(given), ...options.ports };
  const nodes = kafkaNodes(given);
  const dataDir = options.dataDir ?? path.join(DATA_ROOT, profile);
  const pidFile = path.join(dataDir, 'pids.json');
  killLeftovers(pidFile, dataDir);
  if (options.fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });

  /** @type {{ name: string, url?: string, ports: number[], install: (log: (m: string) => void) => Promise<boolean>, start: () => Promise<{ service: import('./proc').Service, env: Record<string, string> }> }[]} */
  const pieces = [
    {
      name: 'Kafka',
      url: given.KAFKA_BROKERS,
      ports: [ports.kafka, ports.kafkaController],
      install: kafka.install,
      start: async () => {
        const first = { port: ports.kafka, controllerPort: ports.kafkaController };
        // The other nodes of a cluster take ports the OS hands out (KAFKA_BROKERS lists them all).
        const cluster = [first];
        while (cluster.length < nodes) cluster.push({ port: await freePort(), controllerPort: await freePort() });
        return kafka.start({
          dataDir,
          onSpawn,
          log,
          ports: first,
          cluster,
          partitions: Number(given.KAFKA_PARTITIONS || 3),
        });
      },
    },
    {
      name: 'FerretDB',
      url: given.MONGO_URL,
      ports: [ports.mongo],
      install: ferretdb.install,
      start: () => ferretdb.start({ dataDir, onSpawn, ports: { port: ports.mongo } }),
    },
    {
      name: 'Redis',
      url: given.REDIS_URL,
      ports: [ports.redis],
      install: redis.install,
      start: () => redis.start({ dataDir, onSpawn, ports: { port: ports.redis } }),
    },
    {
      name: 'Mailpit',
      url: given.SMTP_URL,
      ports: [ports.smtp, ports.mailpit],
      install: mailpit.install,
      start: () => mailpit.start({ dataDir, onSpawn, ports: { smtpPort: ports.smtp, httpPort: ports.mailpit } }),
    },
    {
      // The payment provider's API (Stripe's own mock): stateless, approves every charge.
      name: 'stripe-mock',
      url: given.STRIPE_API_URL,
      ports: [ports.stripeMock],
      install: stripeMock.install,
      start: () => stripeMock.start({ dataDir, onSpawn, ports: { httpPort: ports.stripeMock } }),
    },
  ];
  // Off by default: apps export nothing and pay nothing without an OTLP endpoint.
  if (options.tracing) {
    pieces.push({
      name: 'Jaeger',
      url: given.OTEL_EXPORTER_OTLP_ENDPOINT,
      ports: [ports.otlp, ports.jaegerUi, ports.jaegerGrpc],
      install: jaeger.install,
      start: () =>
        jaeger.start({
          dataDir,
          onSpawn,
          ports: { otlpPort: ports.otlp, uiPort: ports.jaegerUi, grpcPort: ports.jaegerGrpc },
        }),
    });
  }

  /** @type {Record<string, string>} */
  const env = {};
  if (given.KAFKA_BROKERS) {
    env.KAFKA_BROKERS = given.KAFKA_BROKERS;
    // A running broker requires SASL: its credentials file (see kafka-access.js) comes with it.
    if (given.KAFKA_CREDENTIALS_FILE) env.KAFKA_CREDENTIALS_FILE = given.KAFKA_CREDENTIALS_FILE;
    if (given.KAFKA_SCANNER_PROPERTIES) env.KAFKA_SCANNER_PROPERTIES = given.KAFKA_SCANNER_PROPERTIES;
  }
  if (given.MONGO_URL) env.MONGO_URL = given.MONGO_URL;
  if (given.REDIS_URL) env.REDIS_URL = given.REDIS_URL;
  if (given.SMTP_URL) {
    env.SMTP_URL = given.SMTP_URL;
    if (given.MAILPIT_URL) env.MAILPIT_URL = given.MAILPIT_URL;
  }
  if (options.tracing && given.OTEL_EXPORTER_OTLP_ENDPOINT) {
    env.OTEL_EXPORTER_OTLP_ENDPOINT = given.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (given.JAEGER_URL) env.JAEGER_URL = given.JAEGER_URL;
  }
  if (given.STRIPE_API_URL) env.STRIPE_API_URL = given.STRIPE_API_URL;
  /** @type {import('./proc').Service[]} */
  const started = [];
  let stopping;

  /** @param {import('./proc').Service} service */
  const onSpawn = (service) => {
    started.push(service);
    writePids();
  };
  const writePids = () => fs.writeFileSync(pidFile, JSON.stringify(started.map((s) => s.pid)));
  writePids();
  const watchdog = startWatchdog(pidFile);
  const killAllNow = () => {
    for (const service of started) service.killNow();
  };
  process.once('exit', killAllNow);
  /** @param {NodeJS.Signals} signal */
  const onSignal = (signal) => {
    log(`${signal}: stopping the infrastructure…`);
    void stop().finally(() => process.exit(128 + (os.constants.signals[signal] ?? 1)));
  };
  const signals = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);
  if (options.handleSignals ?? true) for (const signal of signals) process.once(signal, onSignal);

  const stop = () => {
    stopping ??= (async () => {
      const t0 = Date.now();
      await Promise.all(started.map((s) => s.stop()));
      process.removeListener('exit', killAllNow);
      for (const signal of signals) process.removeListener(signal, onSignal);
      if (watchdog.pid) {
        try {
          process.kill(watchdog.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      fs.rmSync(pidFile, { force: true });
      if (started.length) log(`stopped ${started.map((s) => s.name).join(', ')} (${seconds(t0)})`);
    })();
    return stopping;
  };

  const t0 = Date.now();
  const results = await Promise.allSettled(
    pieces.map(async (piece) => {
      if (piece.url) {
        log(`${piece.name}: using ${piece.url}`);
        return;
      }
      for (const port of piece.ports) {
        if (await portInUse(port)) {
          throw new Error(
            `${piece.name}: port ${port} is already in use (another stack running? stop it, pick other ports, or pass its URL)`,
          );
        }
      }
      const ti = Date.now();
      if (await piece.install(log)) log(`${piece.name} installed (${seconds(ti)})`);
      const ts = Date.now();
      const { service, env: pieceEnv } = await piece.start();
      void service.exited.then(() => {
        if (!stopping) log(`${piece.name} exited unexpectedly; see ${service.logFile}`);
      });
      Object.assign(env, pieceEnv);
      const endpoints = Object.entries(pieceEnv).filter(
        ([name]) => !name.startsWith('KAFKA_') || name === 'KAFKA_BROKERS',
      );
      log(`${piece.name} ready on ${endpoints.map(([, value]) => value).join(' ')} (${seconds(ts)})`);
    }),
  );
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (failures.length) {
    await stop();
    throw new Error(failures.map((e) => (e instanceof Error ? e.message : String(e))).join('\n\n'));
  }
  log(`infrastructure ready (${seconds(t0)}); data in ${path.relative(process.cwd(), dataDir) || dataDir}`);
  const releaseSignals = () => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  const pids = () => Object.fromEntries(started.filter((s) => s.isRunning()).map((s) => [s.name, s.pid]));
  return { env: /** @type {InfraEnv} */ (env), dataDir, stop, releaseSignals, pids };
}

module.exports = { startInfra, defaultPorts, kafkaNodes, TEST_PORTS, INFRA_ENV_VARS };
