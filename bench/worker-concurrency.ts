/**
 * How fast one notifications worker process drains a backlog of emails, by EMAIL_WORKER_CONCURRENCY
 * (and SMTP_POOL_SIZE): what the default concurrency was set from. Runs the built worker
 * (`npm run build` first), each setting in turn and the list twice, interleaved, so a load change on
 * the machine hits every setting alike. Against running infrastructure:
 *
 *   KAFKA_BROKERS=… KAFKA_CREDENTIALS_FILE=… MONGO_URL=… REDIS_URL=… SMTP_URL=… \
 *     node -r ./bench/ts-register.js bench/worker-concurrency.ts [emails] [c1,c2,…] [pool]
 *
 * or, without KAFKA_BROKERS, on infrastructure of its own (free ports, `.data/worker-concurrency`).
 * The worker publishes NotificationSent itself: each run's topics are provisioned for its prefix and
 * the worker authenticates as the notifications principal.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';
import * as path from 'node:path';
import mongoose from 'mongoose';
import { loadNotificationsConfig } from '../apps/notifications/src/config';
import { MessageRecord, MessageSchema } from '../apps/notifications/src/messages/message.schema';
import { DeliveryQueues } from '../apps/notifications/src/queues/delivery-queues';
import { RedisConnections } from '../apps/notifications/src/queues/redis-connections';
import { devSecrets } from '../tools/dev-secrets';
import { startInfra, type Infra } from '../tools/stack';
import { appKafkaEnv, provisionKafka, readCredentials } from '../tools/stack/kafka-access';
import { sleep } from './support/context';

const ROOT = path.resolve(__dirname, '..');
const WORKER = path.join(ROOT, 'dist', 'apps', 'notifications', 'apps', 'notifications', 'src', 'main.js');

async function drain(emails: number, concurrency: number, pool: number): Promise<number> {
  const run = randomUUID().slice(0, 8);
  let kafkaEnv: Record<string, string> = {};
  if (process.env.KAFKA_CREDENTIALS_FILE && process.env.KAFKA_BROKERS) {
    const credentials = readCredentials(process.env.KAFKA_CREDENTIALS_FILE);
    await provisionKafka({ brokers: process.env.KAFKA_BROKERS, credentials, prefix: `wc-${run}`, partitions: 4 });
    kafkaEnv = appKafkaEnv(credentials, 'notifications');
  }
  const env = {
    ...process.env,
    ...devSecrets(process.env),
    PORTAL_ENV: 'development',
    ...kafkaEnv,
    MONGO_DB: `wc_${run}`,
    REDIS_PREFIX: `wc-${run}:`,
    KAFKA_TOPIC_PREFIX: `wc-${run}.`,
  };
  const config = loadNotificationsConfig(env);
  const connection = await mongoose.createConnection(config.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
  const model = connection.model<MessageRecord>(MessageRecord.name, MessageSchema);
  const redis = new RedisConnections(config);
  const queues = new DeliveryQueues(config, redis);
  const now = new Date();
  const html = `<html><body>${'<p style="margin:0 0 12px">Your parcel is available for pickup.</p>'.repeat(40)}</body></html>`;
  const records: MessageRecord[] = Array.from({ length: emails }, (_, i) => ({
    _id: `${run}${String(i).padStart(8, '0')}`,
    userId: `u${i % 64}`,
    kind: 'available_for_pickup',
    channel: 'email',
    to: `wc${i % 64}@${run}.example`,
    subject: `Your parcel ${i} is available for pickup`,
    text: 'Your parcel is available for pickup at DENVER MAIN POST OFFICE. '.repeat(8),
    html,
    link: null,
    sourceId: randomUUID(),
    sourceType: 'ParcelArrived',
    status: 'queued',
    attempts: 0,
    notBefore: null,
    providerMessageId: null,
    lastError: null,
    readAt: null,
    createdAt: now,
    updatedAt: now,
    sentAt: null,
  }));
  for (let i = 0; i < records.length; i += 100) await model.insertMany(records.slice(i, i + 100));
  for (const r of records) await queues.enqueue('email', r._id, null, now);

  // WC_CPU_PROF=<dir> writes a V8 CPU profile of each worker there.
  const prof = process.env.WC_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.WC_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, WORKER], {
    env: {
      ...env,
      NOTIFICATIONS_ROLE: 'worker',
      EMAIL_WORKER_CONCURRENCY: String(concurrency),
      SMTP_POOL_SIZE: String(pool),
      EMAIL_RATE_MAX: '1000000000',
      RECONCILE_INTERVAL_MS: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    // Timed from the first completed job (boot is not the drain) to the last.
    let first = 0;
    for (;;) {
      const counts = await queues.queues.email.getJobCounts('completed', 'failed');
      const done = (counts.completed ?? 0) + (counts.failed ?? 0);
      if (done > 0 && first === 0) first = performance.now();
      if (done >= emails) break;
      await sleep(20);
    }
    return (emails - 1) / ((performance.now() - first) / 1000);
  } finally {
    child.kill('SIGTERM');
    await exited;
    await queues.onApplicationShutdown();
    await redis.onApplicationShutdown();
    await connection.dropDatabase();
    await connection.close();
  }
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

/** Infrastructure of its own on free ports, unless KAFKA_BROKERS names running infrastructure. */
async function infrastructure(): Promise<Infra | undefined> {
  if (process.env.KAFKA_BROKERS) return undefined;
  const names = ['kafka', 'kafkaController', 'mongo', 'redis', 'smtp', 'mailpit', 'stripeMock'] as const;
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const)));
  const infra = await startInfra({ profile: 'worker-concurrency', fresh: true, ports, env: {}, handleSignals: true });
  Object.assign(process.env, infra.env);
  return infra;
}

async function main(): Promise<void> {
  const infra = await infrastructure();
  try {
    await measure();
  } finally {
    await infra?.stop();
  }
}

async function measure(): Promise<void> {
  const emails = Number(process.argv[2] ?? 1000);
  const settings = (process.argv[3] ?? '5,10,20,40').split(',').map(Number);
  const pool = Number(process.argv[4] ?? 5);
  const rates = new Map<number, number[]>();
  for (let round = 1; round <= Number(process.env.WC_ROUNDS ?? 2); round++) {
    for (const c of settings) {
      const rate = await drain(emails, c, pool);
      rates.set(c, [...(rates.get(c) ?? []), rate]);
      console.log(`round ${round}: concurrency ${c}, pool ${pool}: ${Math.round(rate)} emails/s`);
    }
  }
  for (const [c, list] of rates) {
    console.log(`concurrency ${c}: ${list.map((r) => Math.round(r)).join(', ')} emails/s`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
