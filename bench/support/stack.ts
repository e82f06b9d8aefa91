import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { devSecrets } from '../../tools/dev-secrets';
import { startInfra, type Infra } from '../../tools/stack';
import { appKafkaEnv, provisionKafka, readCredentials } from '../../tools/stack/kafka-access';
import type { BenchConfig } from '../config';

export const ROOT = path.resolve(__dirname, '..', '..');
export const APP_NAMES = ['gateway', 'auth', 'tracking', 'pickup', 'notifications'] as const;
export type AppName = (typeof APP_NAMES)[number];

/**
 * Ports of the bench's own infrastructure, apart from the dev (9092…) and test (19092…) stacks.
 * BENCH_PORT_BASE=<n> uses n … n+6 instead, so two runs can go side by side.
 */
const BENCH_PORTS = portsFrom(process.env.BENCH_PORT_BASE);

function portsFrom(base: string | undefined) {
  const n = Number(base);
  if (!base || !Number.isInteger(n) || n < 1024 || n > 65530) {
    return {
      kafka: 43092,
      kafkaController: 43093,
      mongo: 43017,
      redis: 43379,
      smtp: 43025,
      mailpit: 43825,
      stripeMock: 43111,
    };
  }
  return {
    kafka: n,
    kafkaController: n + 1,
    mongo: n + 2,
    redis: n + 3,
    smtp: n + 4,
    mailpit: n + 5,
    stripeMock: n + 6,
  };
}
const HIGH_LIMIT = String(1_000_000_000);

export interface AppInstance {
  name: string;
  app: AppName;
  url: string;
  child: ChildProcess;
  exited: Promise<void>;
}

export interface BenchStack {
  id: string;
  env: Record<string, string>;
  topicPrefix: string;
  gatewayUrl: string;
  mailpitUrl: string;
  /** The run's folder of app logs (and CPU profiles, `<instance>.cpuprofile`). */
  logDir: string;
  instances: AppInstance[];
  dbName(app: AppName): string;
  /** Starts one more instance of an app (same env and database, its own port, plus `extraEnv`) and waits until it is ready. */
  startInstance(app: AppName, name: string, extraEnv?: Record<string, string>): Promise<AppInstance>;
  stopInstance(instance: AppInstance): Promise<void>;
  /** Resident set size of each running instance, in MiB. */
  rssMb(): Record<string, number>;
  /** Process ids by name: the infrastructure this run started, every app instance, and `bench` (this process, the load generator). */
  processes(): Record<string, number>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

/** The bench ports (fixed, or from BENCH_PORT_BASE), or free ones when another bench (another worktree's) holds any of them. */
async function benchPorts(log: (msg: string) => void): Promise<typeof BENCH_PORTS> {
  const taken = await Promise.all(Object.values(BENCH_PORTS).map(portTaken));
  if (!taken.some(Boolean)) return BENCH_PORTS;
  const ports = { ...BENCH_PORTS };
  for (const name of Object.keys(ports) as (keyof typeof BENCH_PORTS)[]) ports[name] = await freePort();
  log(`[stack] bench ports taken (another bench running?): infrastructure on free ports ${JSON.stringify(ports)}`);
  return ports;
}

function entryOf(distDir: string, app: AppName): string {
  return path.join(distDir, 'apps', app, 'apps', app, 'src', 'main.js');
}

/**
 * A private copy of the built apps: other builds in the same tree (tests, other runs) rewrite dist/
 * while the bench's apps start. Under .bench/, so the apps still resolve the root node_modules.
 */
function snapshotDist(id: string): string | undefined {
  const target = path.join(ROOT, '.bench', 'dist', id);
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'dist', 'apps'), path.join(target, 'apps'), { recursive: true });
  if (APP_NAMES.every((app) => fs.existsSync(entryOf(target, app)))) return target;
  fs.rmSync(target, { recursive: true, force: true });
  return undefined;
}

const SNAPSHOT_ATTEMPTS = 4;

/** Builds stale apps and snapshots dist/apps, again after a pause when a concurrent build emptied it meanwhile. */
async function buildAndSnapshot(id: string, log: (msg: string) => void): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const built = spawnSync(process.execPath, [path.join(ROOT, 'tools', 'build.js'), '--if-stale'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error(`npm run build failed (${built.signal ?? `exit ${built.status}`})`);
    const distDir = snapshotDist(id);
    if (distDir) return distDir;
    const missing = APP_NAMES.filter((app) => !fs.existsSync(entryOf(path.join(ROOT, 'dist'), app)));
    if (attempt >= SNAPSHOT_ATTEMPTS) {
      throw new Error(
        `dist/apps has no ${missing.join(', ')} build after ${attempt} attempts (another build running?)`,
      );
    }
    log(`dist/apps lacks ${missing.join(', ') || 'an app'} (another build running?); building again in 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  } catch {
    return '(no output)';
  }
}

function readRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Builds stale apps (tools/build.js), starts or reuses the infrastructure, then runs the five built apps. */
export async function startBenchStack(config: BenchConfig, log: (msg: string) => void): Promise<BenchStack> {
  const id = `bench${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const distDir = await buildAndSnapshot(id, log);
  const logDir = path.join(ROOT, '.bench', 'logs', id);
  fs.mkdirSync(logDir, { recursive: true });
  // BENCH_CPU_PROF=ferretdb: the store's Go CPU profile (tools/ferretdb-runner), for `go tool pprof -top`.
  if (config.cpuProfile.has('ferretdb') && !config.useRunning) {
    process.env.FERRETDB_CPU_PROFILE = path.join(logDir, 'ferretdb.pprof');
  }

  const infra: Infra = await startInfra({
    profile: 'bench',
    fresh: !config.useRunning,
    ports: config.useRunning ? BENCH_PORTS : await benchPorts(log),
    // KAFKA_NODES=3 runs the bench against the replicated cluster (README "Replicated Kafka").
    env: config.useRunning ? config.infraEnv : { KAFKA_NODES: process.env.KAFKA_NODES },
    handleSignals: true,
    log: (msg) => log(`[stack] ${msg}`),
  });
  const mailpitUrl = infra.env.MAILPIT_URL;
  if (!mailpitUrl) throw new Error('no MAILPIT_URL: the arrival-to-email scenario reads Mailpit');

  // BENCH_CPU_PROF=tracking,notifications writes V8 CPU profiles of those instances to the log folder.
  const profiled = config.cpuProfile;
  const nodeArgs = (name: string) =>
    profiled.has(name) ? ['--cpu-prof', `--cpu-prof-dir=${logDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const ports = {} as Record<AppName, number>;
  for (const app of APP_NAMES) ports[app] = await freePort();
  const url = (app: AppName) => `http://127.0.0.1:${ports[app]}`;
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const env: Record<string, string> = {
    ...inherited,
    ...devSecrets(inherited),
    ...infra.env,
    LOG_LEVEL: process.env.BENCH_APP_LOG_LEVEL ?? 'warn',
    PORTAL_ENV: 'development',
    KAFKA_TOPIC_PREFIX: `${id}.`,
    KAFKA_PARTITIONS: String(config.partitions),
    REDIS_PREFIX: `${id}:`,
    // The bench is one client IP doing thousands of requests a second.
    GATEWAY_RATE_LIMIT_PER_MINUTE: HIGH_LIMIT,
    GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: HIGH_LIMIT,
    GATEWAY_TRACKING_RATE_LIMIT_PER_MINUTE: HIGH_LIMIT,
    GATEWAY_TRACKING_BATCH_RATE_LIMIT_PER_MINUTE: HIGH_LIMIT,
    // The email limiter stands for a relay's sending contract; Mailpit has none, and the arrival
    // scenario measures notifications against the relay's own speed (smtp_raw_send_per_s).
    EMAIL_RATE_MAX: HIGH_LIMIT,
    // The arrival scenario's few users watch every parcel of its bursts (thousands each).
    TRACKING_WATCHLIST_MAX: '100000',
    ...Object.fromEntries(APP_NAMES.map((app) => [`${app.toUpperCase()}_PORT`, String(ports[app])])),
    ...Object.fromEntries(
      APP_NAMES.filter((a) => a !== 'gateway').map((app) => [`${app.toUpperCase()}_URL`, url(app)]),
    ),
  };
  const dbName = (app: AppName) => `${app}_${id}`;
  const instances: AppInstance[] = [];
  // Every app as its own Kafka principal, on topics and ACLs the admin creates for this run's prefix.
  const kafkaCredentials = readCredentials(infra.env.KAFKA_CREDENTIALS_FILE);
  await provisionKafka({
    brokers: infra.env.KAFKA_BROKERS,
    credentials: kafkaCredentials,
    prefix: id,
    partitions: config.partitions,
  });
  const kafkaEnv = (app: AppName) => (app === 'gateway' ? {} : appKafkaEnv(kafkaCredentials, app));

  const launch = (app: AppName, name: string, port: number, extraEnv: Record<string, string> = {}): AppInstance => {
    const logFile = path.join(logDir, `${name}.log`);
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, [...nodeArgs(name), entryOf(distDir, app)], {
      cwd: ROOT,
      env: {
        ...env,
        ...kafkaEnv(app),
        MONGO_DB: dbName(app),
        [`${app.toUpperCase()}_PORT`]: String(port),
        ...extraEnv,
      },
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const instance = { name, app, url: `http://127.0.0.1:${port}`, child, exited };
    instances.push(instance);
    return instance;
  };

  const waitReady = async (instance: AppInstance): Promise<void> => {
    const deadline = Date.now() + 120_000;
    let gone = false;
    void instance.exited.then(() => (gone = true));
    for (;;) {
      if (gone)
        throw new Error(
          `${instance.name} exited before it was ready:\n${tail(path.join(logDir, `${instance.name}.log`))}`,
        );
      const ok = await fetch(`${instance.url}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) {
        throw new Error(`${instance.name} not ready within 120 s:\n${tail(path.join(logDir, `${instance.name}.log`))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  const stopInstance = async (instance: AppInstance): Promise<void> => {
    const index = instances.indexOf(instance);
    if (index >= 0) instances.splice(index, 1);
    if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGTERM');
    const timer = setTimeout(() => instance.child.kill('SIGKILL'), 10_000);
    await instance.exited;
    clearTimeout(timer);
  };

  const stop = async (): Promise<void> => {
    // Apps go down before the infrastructure they use.
    await Promise.all([...instances].map(stopInstance));
    await infra.stop();
    fs.rmSync(distDir, { recursive: true, force: true });
  };
  process.once('exit', () => {
    for (const instance of instances) instance.child.kill('SIGKILL');
  });

  try {
    log(`starting the apps (prefix ${id}, logs in ${path.relative(ROOT, logDir)})`);
    await Promise.all(APP_NAMES.map((app) => waitReady(launch(app, app, ports[app]))));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    id,
    env,
    topicPrefix: `${id}.`,
    gatewayUrl: url('gateway'),
    mailpitUrl,
    logDir,
    instances,
    dbName,
    async startInstance(app, name, extraEnv) {
      const instance = launch(app, name, await freePort(), extraEnv);
      await waitReady(instance);
      return instance;
    },
    stopInstance,
    rssMb: () => Object.fromEntries(instances.map((i) => [i.name, readRssMb(i.child.pid)])),
    processes: () => ({
      ...Object.fromEntries(Object.entries(infra.pids()).map(([name, pid]) => [name.toLowerCase(), pid])),
      ...Object.fromEntries(instances.flatMap((i) => (i.child.pid === undefined ? [] : [[i.name, i.child.pid]]))),
      bench: process.pid,
    }),
    stop,
  };
}
