import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { Topics, topicName } from '@app/contracts';
import { startPortal, waitFor, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { byStatus, messageRecords } from './support/mail';
import { codeEvents, emailJobCounts, runMail, total } from './support/notifications';
import { OwnedPiece } from './support/owned-infra';
import { report, size, sleep } from './support/sizes';
import { openDatabase, sendAll, spawnExtra, testProducer, type ExtraProcess } from './support/stores';

jest.setTimeout(600_000);

const jobs = size('FAULTS_REDIS_JOBS', 60);

describe('Redis killed -9 and restarted with jobs queued', () => {
  let issuer: TestTokenIssuer;
  let redis: Awaited<ReturnType<typeof OwnedPiece.redis>> | undefined;
  let portal: Portal | undefined;
  let worker: ExtraProcess | undefined;
  let db: Connection | undefined;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await worker?.kill();
    await db?.close();
    await portal?.stop();
    await redis?.dispose();
    await issuer.close();
  });

  it('delivers every queued email once (reconciliation re-enqueues what Redis lost)', async () => {
    redis = await OwnedPiece.redis();
    portal = await startPortal({
      apps: ['notifications'],
      env: {
        AUTH_URL: issuer.baseUrl,
        REDIS_URL: redis.env.REDIS_URL,
        NOTIFICATIONS_ROLE: 'api',
        RECONCILE_INTERVAL_MS: '3000',
        RECONCILE_MIN_AGE_MS: '2000',
      },
    });
    db = await openDatabase(portal, 'notifications');
    const run = randomUUID().slice(0, 8);
    const producer = testProducer(process.env.KAFKA_BROKERS ?? '');
    await producer.connect();
    const events = codeEvents(run, jobs);
    await sendAll(
      producer,
      topicName(Topics.Identity, portal.topicPrefix),
      events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    );
    await producer.disconnect();
    // No worker yet: every job waits in Redis; kill it right away, inside AOF's one-second window.
    const queued = await waitFor(
      async () => {
        const counts = await emailJobCounts(portal!);
        return counts.waiting >= jobs ? counts : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100, description: 'every job queued' },
    );
    await redis.kill();
    await sleep(2000);
    await redis.start();
    const afterRestart = await emailJobCounts(portal);
    const t0 = Date.now();
    worker = await spawnExtra(portal, 'notifications', { NOTIFICATIONS_ROLE: 'worker', EMAIL_RATE_MAX: '20' });
    await waitFor(async () => total(await runMail(process.env.MAILPIT_URL ?? '', run)) >= jobs, {
      timeoutMs: 180_000,
      intervalMs: 500,
      description: 'every email delivered',
    });
    const seconds = (Date.now() - t0) / 1000;
    await sleep(5000);
    const counts = await runMail(process.env.MAILPIT_URL ?? '', run);
    const records = await messageRecords(db);
    report('10 Redis restart', {
      jobs,
      queuedBeforeKill: queued.waiting,
      waitingAfterRestart: afterRestart.waiting,
      lostByRedis: jobs - afterRestart.waiting,
      seconds,
      received: total(counts),
      duplicates: [...counts.values()].filter((c) => c > 1).length,
      records: byStatus(records),
    });
    expect(counts.size).toBe(jobs);
    expect([...counts.values()].filter((c) => c !== 1)).toEqual([]);
    expect(byStatus(records)).toEqual({ sent: jobs });
  });
});
