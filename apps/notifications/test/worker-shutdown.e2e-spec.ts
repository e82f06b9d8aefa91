import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { NotificationQueues, Topics } from '@app/contracts';
import {
  appEntry,
  freePort,
  MailpitClient,
  produce,
  startPortal,
  verificationCodeEvents,
  waitFor,
  type Portal,
} from '@app/testing';
import { Queue } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { MessageRecord, MessageSchema } from '../src/messages/message.schema';

jest.setTimeout(240_000);

/**
 * A TCP relay to the test Mailpit's SMTP port that holds every reply of the server for `delayMs`:
 * an SMTP exchange takes about six round trips, so each email is in flight for over a second and a
 * SIGTERM lands while the worker holds jobs.
 */
function startSlowSmtpRelay(target: URL, delayMs: number): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    client.pipe(upstream);
    // Equal delays keep the order of the chunks.
    upstream.on('data', (chunk) => setTimeout(() => !client.destroyed && client.write(chunk), delayMs));
    upstream.on('end', () => setTimeout(() => client.end(), delayMs));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

type Exit = { code: number | null; signal: NodeJS.Signals | null } | 'still running';

/** How the child exited, or 'still running' after `timeoutMs`. */
function exitWithin(child: ChildProcess, timeoutMs: number): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still running'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** A batch of emails queued by the api, and what became of them. */
interface Batch {
  records: () => Promise<MessageRecord[]>;
  /** the Message-IDs of the raw copies each recipient received */
  messageIds: () => Promise<string[][]>;
  delivered: () => Promise<number>;
  /** how many of the batch's jobs (job id = record id) are in each state */
  jobStates: () => Promise<Record<string, number>>;
}

/**
 * A worker told to stop (SIGTERM, as a deployment or Ctrl-C does) while it holds jobs finishes them,
 * fails none, leaves none active and exits 0; the next worker sends the rest. Unlike a kill -9
 * (delivery-faults.e2e-spec.ts), no email may go out twice.
 */
describe('notifications worker shutdown (e2e)', () => {
  let issuer: TestTokenIssuer;
  let portal: Portal;
  let mongoDb: string;
  let redis: Redis | undefined;
  let queue: Queue | undefined;
  let db: Connection | undefined;
  const relays: net.Server[] = [];
  const workers: ChildProcess[] = [];
  let queueBatch: (count: number) => Promise<Batch>;
  const mailpitSmtp = new URL(process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025');
  const concurrency = 5;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    const mailpit = new MailpitClient();
    portal = await startPortal({
      apps: ['notifications'],
      env: { AUTH_URL: issuer.baseUrl, NOTIFICATIONS_ROLE: 'api' },
    });
    mongoDb = `notifications_${portal.topicPrefix.replace(/\.$/, '')}`;
    redis = new IORedis(portal.env.REDIS_URL, { maxRetriesPerRequest: null });
    const emailQueue = new Queue(NotificationQueues.Email, {
      connection: redis,
      prefix: `${portal.env.REDIS_PREFIX}bull`,
    });
    queue = emailQueue;
    db = await mongoose.createConnection(portal.env.MONGO_URL, { dbName: mongoDb }).asPromise();
    const messages = db.model<MessageRecord>(MessageRecord.name, MessageSchema);

    /** Produces `count` events that each send one email, and waits until the api stored their records. */
    queueBatch = async (count: number) => {
      const run = randomUUID().slice(0, 8);
      const records = () => messages.find({ to: { $regex: `-${run}@example\\.com$` } }).lean<MessageRecord[]>();
      const events = verificationCodeEvents(run, count);
      await produce(
        Topics.Identity,
        events.map((e) => ({ key: e.key, value: e })),
        { prefix: portal.topicPrefix },
      );
      await waitFor(async () => (await records()).length === count, {
        timeoutMs: 30_000,
        intervalMs: 200,
        description: 'every message record stored by the api',
      });
      const messageIds = () =>
        Promise.all(
          Array.from({ length: count }, async (_, i) =>
            (await mailpit.messages(`u${i}-${run}@example.com`)).map((m) => m.MessageID),
          ),
        );
      return {
        records,
        messageIds,
        delivered: async () => (await messageIds()).filter((ids) => ids.length > 0).length,
        jobStates: async () => {
          const states = await Promise.all((await records()).map((r) => emailQueue.getJobState(r._id)));
          const tally: Record<string, number> = {};
          for (const state of states) tally[String(state)] = (tally[String(state)] ?? 0) + 1;
          return tally;
        },
      };
    };
  });

  afterAll(async () => {
    await Promise.all(
      workers.map(async (w) => {
        if (w.exitCode !== null || w.signalCode !== null) return;
        w.kill('SIGTERM');
        if ((await exitWithin(w, 10_000)) === 'still running') w.kill('SIGKILL');
      }),
    );
    await queue?.close();
    redis?.disconnect();
    await db?.close();
    await Promise.all(relays.map((relay) => new Promise<void>((r) => relay.close(() => r()))));
    await portal?.stop();
    await issuer.close();
  });

  const slowSmtpUrl = async (delayMs: number) => {
    const relay = await startSlowSmtpRelay(mailpitSmtp, delayMs);
    relays.push(relay);
    return `smtp://${mailpitSmtp.hostname}:${(relay.address() as net.AddressInfo).port}`;
  };

  /** A worker of its own; `viaNpm` starts it the README's way, `npm run start:notifications-worker`. */
  const startWorker = (env: Record<string, string>, viaNpm = false) => {
    const log = fs.openSync(path.join(portal.logDir, `notifications-worker-${workers.length + 1}.log`), 'a');
    const [command, args] = viaNpm
      ? ['npm', ['run', '--silent', 'start:notifications-worker']]
      : [process.execPath, [appEntry('notifications')]];
    const child = spawn(command, args, {
      env: {
        ...portal.envOf('notifications'),
        NOTIFICATIONS_ROLE: 'worker',
        MONGO_DB: mongoDb,
        EMAIL_WORKER_CONCURRENCY: String(concurrency),
        ...env,
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    workers.push(child);
    return child;
  };

  it('finishes the jobs in hand on SIGTERM, exits 0, and every email arrives exactly once', async () => {
    const count = 30;
    const batch = await queueBatch(count);
    // Each email takes over a second through the slow relay: a SIGTERM finds every slot busy.
    const first = startWorker({ SMTP_URL: await slowSmtpUrl(250) }, true);
    await waitFor(
      async () => (await batch.delivered()) >= concurrency && (await batch.jobStates()).active === concurrency,
      { timeoutMs: 60_000, intervalMs: 100, description: 'the worker mid-batch, with every slot busy' },
    );
    first.kill('SIGTERM');
    expect(await exitWithin(first, 15_000)).toEqual({ code: 0, signal: null });

    // The jobs it held were finished, not failed nor left for stalled-job recovery: every email that
    // went out has its `sent` record, and the rest wait for the next worker.
    const sentSoFar = (await batch.records()).filter((r) => r.status === 'sent').length;
    expect(sentSoFar).toBeLessThan(count);
    expect(await batch.delivered()).toBe(sentSoFar);
    expect(await batch.jobStates()).toEqual({ completed: sentSoFar, waiting: count - sentSoFar });

    const second = startWorker({});
    await waitFor(async () => (await batch.delivered()) === count, {
      timeoutMs: 60_000,
      intervalMs: 300,
      description: 'every email delivered',
    });
    await waitFor(async () => (await batch.records()).every((r) => r.status === 'sent'), {
      timeoutMs: 15_000,
      intervalMs: 200,
      description: 'every message record sent',
    });
    await new Promise((r) => setTimeout(r, 1500));
    const ids = await batch.messageIds();
    // One raw copy each: a graceful stop never sends an email again.
    expect(ids.map((list) => list.length)).toEqual(Array(count).fill(1));
    expect(ids.flat().filter((id) => !id.endsWith('@notifications.postal-portal'))).toEqual([]);
    expect((await batch.records()).map((r) => r.attempts)).toEqual(Array(count).fill(1));
    expect(await batch.jobStates()).toEqual({ completed: count });
    second.kill('SIGTERM');
    expect(await exitWithin(second, 15_000)).toEqual({ code: 0, signal: null });
  });

  // Kubernetes probes the worker (deploy/k8s notifications-worker): it serves the health routes
  // itself, answers them while it drains, and frees the port when it exits.
  it('serves /health/live and /health/ready on NOTIFICATIONS_HEALTH_PORT until it has stopped', async () => {
    const port = await freePort();
    const metricsToken = 'worker-probe-scraper-token';
    const worker = startWorker({
      NOTIFICATIONS_HEALTH_PORT: String(port),
      INSTANCE_ID: 'worker-probe',
      METRICS_TOKEN: metricsToken,
    });
    const get = async (route: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${route}`, { signal: AbortSignal.timeout(5000) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    let ready: { status: number; body: Record<string, unknown> } | undefined;
    await waitFor(
      async () => {
        ready = await get('/health/ready').catch(() => undefined);
        return ready?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the worker ready on its health port' },
    );
    expect(ready?.body).toMatchObject({ instanceId: 'worker-probe', checks: { mongo: 'up', redis: 'up' } });
    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'ok', instanceId: 'worker-probe' } });
    // Only the probes and the scraper's metrics (what the worker itself measures): no API.
    expect((await get('/api/v1/notifications')).status).toBe(404);
    const scraped = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { Authorization: `Bearer ${metricsToken}` },
    });
    expect(scraped.status).toBe(200);
    const exposition = await scraped.text();
    expect(exposition).toContain('# TYPE notifications_event_to_sent_seconds histogram');
    expect(exposition).toContain('service="notifications"');
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);

    worker.kill('SIGTERM');
    expect(await exitWithin(worker, 15_000)).toEqual({ code: 0, signal: null });
    await expect(get('/health/live')).rejects.toThrow();
  });

  // A provider that hangs must not hold a stop past the supervisor's grace period.
  it('stops within the drain timeout when sends hang, and the jobs it held are sent once by the next worker', async () => {
    const count = 8;
    const batch = await queueBatch(count);
    // About six round trips of 2 s each: a send takes some 12 s, far past the 1 s drain timeout.
    const first = startWorker({ SMTP_URL: await slowSmtpUrl(2000), NOTIFICATIONS_DRAIN_TIMEOUT_MS: '1000' });
    await waitFor(async () => (await batch.jobStates()).active === concurrency, {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'every slot busy',
    });
    first.kill('SIGTERM');
    // Well before the sends in hand could finish.
    expect(await exitWithin(first, 8_000)).toEqual({ code: 0, signal: null });
    // Not failed: left active until their lock expires and a worker takes them back.
    expect(await batch.jobStates()).toEqual({ active: concurrency, waiting: count - concurrency });
    expect(await batch.delivered()).toBe(0);

    startWorker({});
    // Stalled jobs come back once their lock (30 s) has expired and two stalled checks (every 30 s)
    // have seen them: 60 to 90 s.
    await waitFor(async () => (await batch.records()).every((r) => r.status === 'sent'), {
      timeoutMs: 150_000,
      intervalMs: 500,
      description: 'every message record sent',
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await batch.messageIds()).map((list) => list.length)).toEqual(Array(count).fill(1));
    expect(await batch.jobStates()).toEqual({ completed: count });
    // The held jobs were claimed once more by the next worker; the rest once.
    expect((await batch.records()).map((r) => r.attempts).sort()).toEqual([
      ...Array<number>(count - concurrency).fill(1),
      ...Array<number>(concurrency).fill(2),
    ]);
  });
});
