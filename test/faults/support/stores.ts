import { topicName } from '@app/contracts';
import { appEntry, type AppName, kafkaSasl, type Portal } from '@app/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import type { StoredParcel } from './scans';
import { freePort } from './owned-infra';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The database startPortal gives `app` (`<app>_<portal id>`). */
export function databaseOf(portal: Portal, app: AppName): string {
  return `${app}_${portal.topicPrefix.replace(/\.$/, '')}`;
}

/** A read connection to one app's database, for checking its state from outside. */
export async function openDatabase(portal: Portal, app: AppName): Promise<Connection> {
  const url = portal.env.MONGO_URL ?? process.env.MONGO_URL;
  if (!url) throw new Error('MONGO_URL is not set');
  return mongoose.createConnection(url, { dbName: databaseOf(portal, app) }).asPromise();
}

/** Every parcel of `numbers` as stored by tracking. */
export async function readParcels(db: Connection, numbers: readonly string[]): Promise<Map<string, StoredParcel>> {
  const wanted = new Set(numbers);
  const out = new Map<string, StoredParcel>();
  // A whole-collection scan: FerretDB on SQLite scans for an `$in` anyway.
  const docs = await db.collection<StoredParcel>('parcels').find({}).toArray();
  for (const doc of docs) if (wanted.has(doc._id)) out.set(doc._id, doc);
  return out;
}

/** How many of `numbers` have every scan in `count` applied (events stored). */
export async function appliedScanCount(db: Connection, numbers: readonly string[]): Promise<number> {
  const parcels = await readParcels(db, numbers);
  let n = 0;
  for (const parcel of parcels.values()) n += parcel.events.length;
  return n;
}

/** A client of `brokers` as the admin of the broker whose credentials are in `credentialsFile` (default the suite's). */
function kafka(brokers: string, retries = 3, credentialsFile?: string): Kafka {
  return new Kafka({
    clientId: `faults-${process.pid}`,
    brokers: brokers.split(','),
    sasl: kafkaSasl(undefined, credentialsFile),
    logLevel: logLevel.NOTHING,
    retry: { retries, maxRetryTime: 3000 },
  });
}

/** A consumer group's lag on a topic: the sum over partitions of end offset minus committed offset. */
export async function consumerLag(
  brokers: string,
  prefix: string,
  group: string,
  topic: string,
  credentialsFile?: string,
): Promise<number> {
  const admin = kafka(brokers, 3, credentialsFile).admin();
  await admin.connect();
  try {
    const fullTopic = topicName(topic, prefix);
    const ends = await admin.fetchTopicOffsets(fullTopic);
    const [committed] = await admin.fetchOffsets({ groupId: topicName(group, prefix), topics: [fullTopic] });
    let lag = 0;
    for (const end of ends) {
      const c = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      const from = Number(c) < 0 ? Number(end.low) : Number(c);
      lag += Number(end.high) - from;
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

/** A producer for the tests' own stream into the portal's topics. */
export function testProducer(brokers: string, credentialsFile?: string) {
  // Patient enough for a topic whose leaders were elected moments ago ("not the leader" is retriable).
  return kafka(brokers, 8, credentialsFile).producer({ allowAutoTopicCreation: false });
}

export interface ExtraProcess {
  child: ChildProcess;
  /** Its HTTP base URL (a notifications worker serves none). */
  url: string;
  exited: Promise<void>;
  logFile: string;
  /** Sends `signal` (default SIGKILL) and waits until it exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const extras = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of extras) child.kill('SIGKILL');
});

/**
 * One more process of a portal's app (a second tracking instance, a notifications worker) with the
 * portal's environment, the app's database, and its own HTTP port.
 */
export async function spawnExtra(
  portal: Portal,
  app: AppName,
  env: Record<string, string> = {},
): Promise<ExtraProcess> {
  const logFile = path.join(
    ROOT,
    '.data',
    'portal-logs',
    portal.topicPrefix.replace(/\.$/, ''),
    `${app}-extra-${Date.now()}.log`,
  );
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  const port = await freePort();
  const child = spawn(process.execPath, [appEntry(app)], {
    cwd: ROOT,
    env: {
      ...portal.envOf(app),
      MONGO_DB: databaseOf(portal, app),
      [`${app.toUpperCase()}_PORT`]: String(port),
      ...env,
    },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  extras.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      extras.delete(child);
      resolve();
    }),
  );
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    exited,
    logFile,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until an extra process answers `GET /health/ready` (it must serve HTTP). */
export async function waitHttpReady(baseUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${baseUrl} not ready within ${timeoutMs} ms`);
}

/** How many messages a consumer group has committed on a topic (the topic is fresh: it starts at 0). */
export async function committedCount(brokers: string, prefix: string, group: string, topic: string): Promise<number> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    const fullTopic = topicName(topic, prefix);
    const [committed] = await admin.fetchOffsets({ groupId: topicName(group, prefix), topics: [fullTopic] });
    return (committed?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Sends messages in chunks, resolving with how many were acknowledged. */
export async function sendAll(
  producer: ReturnType<typeof testProducer>,
  topic: string,
  messages: { key: string; value: string }[],
  chunk = 500,
): Promise<number> {
  let acked = 0;
  for (let i = 0; i < messages.length; i += chunk) {
    await producer.send({ topic, messages: messages.slice(i, i + chunk) });
    acked += Math.min(chunk, messages.length - i);
  }
  return acked;
}
