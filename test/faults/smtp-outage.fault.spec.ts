import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { Topics, topicName } from '@app/contracts';
import { startPortal, waitFor, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { byStatus, messageRecords } from './support/mail';
import { codeEvents, runMail, total } from './support/notifications';
import { OwnedPiece } from './support/owned-infra';
import { report, size, sleep } from './support/sizes';
import { openDatabase, sendAll, testProducer } from './support/stores';

const outageMs = size('FAULTS_SMTP_OUTAGE_MS', 30_000, 120_000);
const burst = size('FAULTS_SMTP_BURST', 60);
const backoffMs = 1000;
jest.setTimeout(outageMs + 300_000);

describe('SMTP outage during a burst', () => {
  let issuer: TestTokenIssuer;
  let mailpit: Awaited<ReturnType<typeof OwnedPiece.mailpit>> | undefined;
  let portal: Portal | undefined;
  let db: Connection | undefined;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await db?.close();
    await portal?.stop();
    await mailpit?.dispose();
    await issuer.close();
  });

  it('delivers every email once after Mailpit returns, backing off in between', async () => {
    mailpit = await OwnedPiece.mailpit();
    const mailpitUrl = mailpit.env.MAILPIT_URL;
    portal = await startPortal({
      apps: ['notifications'],
      env: {
        AUTH_URL: issuer.baseUrl,
        SMTP_URL: mailpit.env.SMTP_URL,
        NOTIFICATIONS_BACKOFF_MS: String(backoffMs),
        EMAIL_RATE_MAX: '10',
      },
    });
    db = await openDatabase(portal, 'notifications');
    const run = randomUUID().slice(0, 8);
    const events = codeEvents(run, burst);
    const producer = testProducer(process.env.KAFKA_BROKERS ?? '');
    await producer.connect();
    const send = (list: typeof events) =>
      sendAll(
        producer,
        topicName(Topics.Identity, portal!.topicPrefix),
        list.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
      );
    await send(events.slice(0, burst / 2));
    await waitFor(async () => total(await runMail(mailpitUrl, run)) >= 5, {
      timeoutMs: 60_000,
      intervalMs: 100,
      description: 'the first emails of the burst',
    });
    await mailpit.kill();
    const deliveredBeforeOutage = (await messageRecords(db)).filter((r) => r.status === 'sent').length;
    await send(events.slice(burst / 2));
    await producer.disconnect();
    await sleep(outageMs);
    const duringOutage = await messageRecords(db);
    await mailpit.start();
    const t0 = Date.now();
    await waitFor(async () => total(await runMail(mailpitUrl, run)) >= burst, {
      timeoutMs: 240_000,
      intervalMs: 500,
      description: 'every email delivered after the outage',
    });
    const drainSeconds = (Date.now() - t0) / 1000;
    await sleep(3000);
    const counts = await runMail(mailpitUrl, run);
    const records = await messageRecords(db);
    const attempts = records.map((r) => r.attempts);
    // Doubling from 1 s: a 30 s outage fits about five attempts; without backoff there would be hundreds.
    const attemptCeiling = Math.ceil(Math.log2(outageMs / backoffMs + 1)) + 3;
    report('9 SMTP outage', {
      burst,
      outageMs,
      deliveredBeforeOutage,
      stillPendingAtEndOfOutage: duringOutage.filter((r) => r.status !== 'sent').length,
      drainSeconds,
      received: total(counts),
      duplicates: [...counts.values()].filter((c) => c > 1).length,
      maxAttempts: Math.max(...attempts),
      attemptCeiling,
      records: byStatus(records),
    });
    expect(counts.size).toBe(burst);
    expect([...counts.values()].filter((c) => c !== 1)).toEqual([]);
    expect(byStatus(records)).toEqual({ sent: burst });
    expect(Math.max(...attempts)).toBeGreaterThan(1);
    expect(Math.max(...attempts)).toBeLessThanOrEqual(attemptCeiling);
  });
});
