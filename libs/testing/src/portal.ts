import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { appKafkaEnv, provisionKafka, readCredentials, type Credentials } from '../../../tools/stack/kafka-access';

export const APP_NAMES = ['gateway', 'auth', 'tracking', 'pickup', 'notifications'] as const;
export type AppName = (typeof APP_NAMES)[number];

export interface StartPortalOptions {
  /** Which apps to run; default all five. */
  apps?: AppName[];
  /** Extra environment for every app (wins over the generated one). */
  env?: Record<string, string>;
  /** How long each app may take to answer `GET /health/ready` with 200; default 60 s. */
  readyTimeoutMs?: number;
  /** Where ports come from; default a free port from the OS (tests of the harness pass a taken one). */
  portSource?: () => Promise<number>;
}

export interface Portal {
  /** The gateway's base URL (the gateway's port even if it is not started). */
  gatewayUrl: string;
  urls: Record<AppName, string>;
  /**
   * The environment the apps share (their own MONGO_DB and Kafka principal aside), including the
   * unique prefixes. Another process of one app (a second worker) takes `envOf(app)`.
   */
  env: Record<string, string>;
  /** The environment `app` runs with: `env` plus its own Kafka principal (its MONGO_DB aside). */
  envOf(app: AppName): Record<string, string>;
  /** The `KAFKA_TOPIC_PREFIX` of this portal, for `collectEvents`/`produce`. */
  topicPrefix: string;
  /** The folder holding each app's output as `<app>.log`. */
  logDir: string;
  /** Stops every app it runs (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Sends `signal` (default SIGKILL) to one app and waits until it exited. */
  kill(app: AppName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts one app again with the same env and port and waits until it is ready. */
  restart(app: AppName): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The built entry point of an app. */
export function appEntry(app: AppName): string {
  return path.join(ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}

/** A port the OS has just handed out and released (another process may still take it first). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The last lines of a log, from byte `from` on (the output of one launch). */
function tail(file: string, from = 0, lines = 30): string {
  try {
    return fs.readFileSync(file).subarray(from).toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

interface RunningApp {
  child: ChildProcess;
  exited: Promise<void>;
  /** The INSTANCE_ID it was given, which its health answers must carry. */
  instanceId: string;
  /** Where its output starts in the app's log file. */
  logStart: number;
}

/** The port an app was given was taken by someone else before the app could listen on it. */
class PortTakenError extends Error {}

/** Launch attempts of a whole portal when a port is taken between freePort() and the app's listen. */
const PORT_ATTEMPTS = 3;

/** Every child of every portal, killed if the test process exits without stopping them. */
const allChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of allChildren) child.kill('SIGKILL');
});

/**
 * Runs the built apps as child processes against the infrastructure in process.env, with ports
 * from the OS and a unique Kafka topic prefix, database names and Redis prefix, so portals of
 * different test files never see each other's data.
 */
export async function startPortal(options: StartPortalOptions = {}): Promise<Portal> {
  const apps = options.apps ?? [...APP_NAMES];
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const id = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const metricsToken = randomBytes(18).toString('base64url');
  const logDir = path.join(ROOT, '.data', 'portal-logs', id);
  fs.mkdirSync(logDir, { recursive: true });

  for (const app of apps) {
    if (!fs.existsSync(appEntry(app))) {
      throw new Error(`${app} is not built (${path.relative(ROOT, appEntry(app))} missing): run npm run build`);
    }
  }

  // The admin's Kafka credentials (set for in-process apps) stay here: each app gets its own principal.
  const adminOnly = new Set(['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_CREDENTIALS_FILE']);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !adminOnly.has(entry[0]),
    ),
  );
  // A test may run its apps against a broker of its own (options.env), with that broker's credentials.
  const brokers = options.env?.KAFKA_BROKERS ?? process.env.KAFKA_BROKERS;
  const credentialsFile = options.env?.KAFKA_CREDENTIALS_FILE ?? process.env.KAFKA_CREDENTIALS_FILE;
  const credentials: Credentials | undefined = credentialsFile ? readCredentials(credentialsFile) : undefined;
  /** Topics under this portal's prefix and every principal's ACLs on them, created as the admin. */
  const provision = async (prefix: string): Promise<void> => {
    if (!credentials || !brokers) return;
    await provisionKafka({
      brokers,
      credentials,
      prefix,
      partitions: Number(options.env?.KAFKA_PARTITIONS ?? process.env.KAFKA_PARTITIONS ?? 3),
    });
  };
  const kafkaEnvOf = (app: AppName): Record<string, string> =>
    credentials && app !== 'gateway' ? { ...appKafkaEnv(credentials, app), KAFKA_MANAGE_TOPICS: 'false' } : {};
  let urls = {} as Record<AppName, string>;
  let env: Record<string, string> = {};
  /** New ports from the OS, and the environment naming them. */
  const assignPorts = async (): Promise<void> => {
    const ports = {} as Record<AppName, number>;
    for (const app of APP_NAMES) ports[app] = await (options.portSource ?? freePort)();
    urls = Object.fromEntries(APP_NAMES.map((app) => [app, `http://127.0.0.1:${ports[app]}`])) as Record<
      AppName,
      string
    >;
    env = {
      ...inherited,
      LOG_LEVEL: process.env.PORTAL_LOG_LEVEL ?? 'info',
      HOST: '127.0.0.1',
      PORTAL_ENV: 'development',
      // The harness reads verification codes from the SMS sink; nobody else may (see notifications config).
      SMS_SINK_SHOW_CODES: 'true',
      METRICS_TOKEN: metricsToken,
      KAFKA_TOPIC_PREFIX: `${id}.`,
      REDIS_PREFIX: `${id}:`,
      GATEWAY_PORT: String(ports.gateway),
      AUTH_PORT: String(ports.auth),
      TRACKING_PORT: String(ports.tracking),
      PICKUP_PORT: String(ports.pickup),
      NOTIFICATIONS_PORT: String(ports.notifications),
      AUTH_URL: urls.auth,
      TRACKING_URL: urls.tracking,
      PICKUP_URL: urls.pickup,
      NOTIFICATIONS_URL: urls.notifications,
      ...options.env,
    };
    // jest sets these for its own workers; the apps are not jest workers.
    delete env.JEST_WORKER_ID;
  };

  const running = new Map<AppName, RunningApp>();

  let launches = 0;
  const launch = (app: AppName): RunningApp => {
    const logFile = path.join(logDir, `${app}.log`);
    const fd = fs.openSync(logFile, 'a');
    const logStart = fs.fstatSync(fd).size;
    launches += 1;
    const instanceId = `${id}-${app}-${launches}`;
    const child = spawn(process.execPath, [appEntry(app)], {
      cwd: ROOT,
      env: { MONGO_DB: `${app}_${id}`, ...env, ...kafkaEnvOf(app), ...options.env, INSTANCE_ID: instanceId },
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    allChildren.add(child);
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        allChildren.delete(child);
        resolve();
      }),
    );
    const entry = { child, exited, instanceId, logStart };
    running.set(app, entry);
    return entry;
  };

  const waitReady = async (app: AppName, entry: RunningApp): Promise<void> => {
    const deadline = Date.now() + readyTimeoutMs;
    let exitedEarly = false;
    void entry.exited.then(() => (exitedEarly = true));
    for (;;) {
      if (exitedEarly) {
        const output = tail(path.join(logDir, `${app}.log`), entry.logStart);
        if (output.includes('EADDRINUSE')) {
          throw new PortTakenError(`${app} could not listen on ${urls[app]}: the port was taken; output:\n${output}`);
        }
        throw new Error(`${app} exited before it was ready; output:\n${output}`);
      }
      // Only our own child counts: whoever else took the port answers with another instance id.
      const ok = await fetch(`${urls[app]}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
        async (res) =>
          res.status === 200 && ((await res.json()) as { instanceId?: unknown }).instanceId === entry.instanceId,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${app} did not answer GET /health/ready with 200 within ${readyTimeoutMs / 1000} s; output:\n${tail(path.join(logDir, `${app}.log`), entry.logStart)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const stopApp = async (app: AppName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const entry = running.get(app);
    if (!entry) return;
    running.delete(app);
    if (entry.child.exitCode === null && entry.child.signalCode === null) entry.child.kill(signal);
    const timer = setTimeout(() => entry.child.kill('SIGKILL'), 10_000);
    await entry.exited;
    clearTimeout(timer);
  };

  const stop = async (): Promise<void> => {
    await Promise.all([...running.keys()].map((app) => stopApp(app)));
  };

  await provision(id);
  for (let attempt = 1; ; attempt += 1) {
    await assignPorts();
    try {
      await Promise.all(apps.map((app) => waitReady(app, launch(app))));
      break;
    } catch (err) {
      await stop();
      if (!(err instanceof PortTakenError) || attempt === PORT_ATTEMPTS) throw err;
    }
  }

  return {
    gatewayUrl: urls.gateway,
    urls,
    env,
    envOf: (app) => ({ ...env, ...kafkaEnvOf(app), ...options.env }),
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    logDir,
    stop,
    kill: (app, signal = 'SIGKILL') => stopApp(app, signal),
    async restart(app) {
      await stopApp(app, 'SIGKILL');
      // The other apps know this port, so a restart cannot move: a taken port fails with PortTakenError.
      await waitReady(app, launch(app));
    },
  };
}
