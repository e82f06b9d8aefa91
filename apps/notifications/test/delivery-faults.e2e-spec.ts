import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { Topics } from '@app/contracts';
import {
  appEntry,
  MailpitClient,
  produce,
  startPortal,
  verificationCodeEvents,
  waitFor,
  type Portal,
} from '@app/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';

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

/** A TCP relay to the test Mailpit's SMTP port: "the SMTP server" that the test stops and starts. */
function startSmtpRelay(port: number, target: URL): Promise<net.Server> {
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe('email delivery under faults (e2e)', () => {
  let issuer: TestTokenIssuer;
  let mailpit: MailpitClient;
  const portals: Portal[] = [];
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    mailpit = new MailpitClient();
  });

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all(portals.map((p) => p.stop()));
    await issuer.close();
  });

  const deliveredCounts = async (run: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, async (_, i) => (await mailpit.messages(`u${i}-${run}@example.com`)).length),
    );

  /** The Message-IDs of the raw copies each recipient received. */
  const messageIdsOf = async (run: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, async (_, i) =>
        (await mailpit.messages(`u${i}-${run}@example.com`)).map((m) => m.MessageID),
      ),
    );

  it('delivers every queued email once after the SMTP server comes back', async () => {
    const run = randomUUID().slice(0, 8);
    const smtpPort = await freePort();
    const portal = await startPortal({
      apps: ['notifications'],
      env: { AUTH_URL: issuer.baseUrl, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, NOTIFICATIONS_BACKOFF_MS: '300' },
    });
    portals.push(portal);
    const count = 10;
    const events = verificationCodeEvents(run, count);
    await produce(
      Topics.Identity,
      events.map((e) => ({ key: e.key, value: e })),
      { prefix: portal.topicPrefix },
    );
    // Nothing listens: every attempt fails for a while.
    await new Promise((r) => setTimeout(r, 4000));
    expect((await deliveredCounts(run, count)).every((n) => n === 0)).toBe(true);

    const relay = await startSmtpRelay(smtpPort, new URL(process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025'));
    try {
      await waitFor(async () => (await deliveredCounts(run, count)).every((n) => n >= 1), {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: 'every email delivered',
      });
      await new Promise((r) => setTimeout(r, 2000));
      expect(await deliveredCounts(run, count)).toEqual(Array(count).fill(1));
    } finally {
      await new Promise((r) => relay.close(r));
      await portal.stop();
    }
  });

  // At least once (README, Reliability): a worker killed between the SMTP accept and its `sent` write
  // sends that email again with the same Message-ID, which receivers drop. So every email must arrive
  // and carry one Message-ID of ours; raw copies are bounded by the jobs in flight at the kill.
  it('loses nothing and sends no email under two Message-IDs when a worker is killed mid-batch', async () => {
    const run = randomUUID().slice(0, 8);
    const portal = await startPortal({
      apps: ['notifications'],
      env: { AUTH_URL: issuer.baseUrl, NOTIFICATIONS_ROLE: 'api' },
    });
    portals.push(portal);
    const workerEnv = {
      ...portal.envOf('notifications'),
      NOTIFICATIONS_ROLE: 'worker',
      MONGO_DB: `notifications_${portal.topicPrefix.replace(/\.$/, '')}`,
      // Slow enough that the kill lands mid-batch.
      EMAIL_RATE_MAX: '4',
      EMAIL_RATE_DURATION_MS: '1000',
      // The bound on copies below is the jobs in flight at the kill: at most this many.
      EMAIL_WORKER_CONCURRENCY: '5',
    };
    const startWorker = () => {
      const child = spawn(process.execPath, [appEntry('notifications')], { env: workerEnv, stdio: 'ignore' });
      workers.push(child);
      return child;
    };
    const count = 24;
    await produce(
      Topics.Identity,
      verificationCodeEvents(run, count).map((e) => ({ key: e.key, value: e })),
      { prefix: portal.topicPrefix },
    );
    const first = startWorker();
    await waitFor(async () => (await deliveredCounts(run, count)).filter((n) => n > 0).length >= 4, {
      timeoutMs: 30_000,
      intervalMs: 200,
      description: 'the first emails of the batch',
    });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect((await deliveredCounts(run, count)).some((n) => n === 0)).toBe(true);

    const second = startWorker();
    try {
      // Jobs the dead worker held come back once BullMQ finds them stalled (lock expiry, ~30 s).
      await waitFor(async () => (await deliveredCounts(run, count)).every((n) => n >= 1), {
        timeoutMs: 90_000,
        intervalMs: 500,
        description: 'every email delivered',
      });
      await new Promise((r) => setTimeout(r, 2000));
      const ids = await messageIdsOf(run, count);
      expect(ids.map((list) => new Set(list).size)).toEqual(Array(count).fill(1));
      expect(ids.flat().filter((id) => !id.endsWith('@notifications.postal-portal'))).toEqual([]);
      // Only a job in flight at the kill can go out twice (5 = the worker's concurrency).
      expect(ids.reduce((n, list) => n + list.length - 1, 0)).toBeLessThanOrEqual(5);
    } finally {
      second.kill('SIGTERM');
      await portal.stop();
    }
  });
});
