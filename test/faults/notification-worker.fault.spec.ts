import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { ConsumerGroups, createEnvelope, LabelCreatedV1, Topics, topicName } from '@app/contracts';
import { startPortal, waitFor, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { allMessages, byStatus, messageRecords, type MailSummary } from './support/mail';
import { codeEvents, emailJobCounts, runMail, total, userRegistered } from './support/notifications';
import { newTrackingNumbers, scanAt, scanEnvelope } from './support/scans';
import { report, size, sleep } from './support/sizes';
import { consumerLag, openDatabase, sendAll, spawnExtra, testProducer, type ExtraProcess } from './support/stores';

jest.setTimeout(600_000);

const users = size('FAULTS_NOTIFY_USERS', 20);
const parcelsPerUser = size('FAULTS_NOTIFY_PARCELS_PER_USER', 3);
const stalledJobs = size('FAULTS_STALLED_JOBS', 40);

/**
 * Delivery is at least once: a worker killed between the SMTP accept and its `sent` write sends that
 * message again on retry, with the same Message-ID so receivers drop the copy. So each
 * `recipient|subject` must carry exactly one distinct Message-ID; raw copies are counted apart.
 */
async function messageIdsOfRun(mailpitUrl: string, run: string) {
  const ids = new Map<string, string[]>();
  for (const message of (await allMessages(mailpitUrl)) as (MailSummary & { MessageID: string })[]) {
    for (const to of message.To) {
      if (!to.Address.endsWith(`@${run}.faults.example`)) continue;
      const key = `${to.Address}|${message.Subject}`;
      ids.set(key, [...(ids.get(key) ?? []), message.MessageID]);
    }
  }
  const rawCopies = [...ids.values()].reduce((n, list) => n + list.length - 1, 0);
  const notOneId = [...ids.entries()].filter(([, list]) => new Set(list).size !== 1);
  const notOurs = [...ids.values()].flat().filter((id) => !id.endsWith('@notifications.postal-portal'));
  return { ids, rawCopies, notOneId, notOurs };
}

describe('notification worker killed -9', () => {
  let issuer: TestTokenIssuer;
  const portals: Portal[] = [];
  const workers: ExtraProcess[] = [];
  const dbs: Connection[] = [];
  const mailpitUrl = () => process.env.MAILPIT_URL ?? '';

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await Promise.all(dbs.map((db) => db.close()));
    await Promise.all(portals.map((p) => p.stop()));
    await issuer.close();
  });

  const startWorker = async (portal: Portal, env: Record<string, string> = {}) => {
    const worker = await spawnExtra(portal, 'notifications', { NOTIFICATIONS_ROLE: 'worker', ...env });
    workers.push(worker);
    return worker;
  };

  it('sends exactly one email per parcel, milestone and recipient when the worker is killed twice', async () => {
    const brokers = process.env.KAFKA_BROKERS ?? '';
    const run = randomUUID().slice(0, 8);
    const portal = await startPortal({
      apps: ['tracking', 'notifications'],
      env: { AUTH_URL: issuer.baseUrl, NOTIFICATIONS_ROLE: 'api', NOTIFICATIONS_BACKOFF_MS: '500' },
    });
    portals.push(portal);
    const db = await openDatabase(portal, 'notifications');
    dbs.push(db);
    const prefix = portal.topicPrefix;
    const producer = testProducer(brokers);
    await producer.connect();
    const lagZero = (group: string, topic: string) =>
      waitFor(async () => (await consumerLag(brokers, prefix, group, topic)) === 0, {
        timeoutMs: 120_000,
        intervalMs: 250,
        description: `${group} caught up on ${topic}`,
      });

    const registered = Array.from({ length: users }, (_, i) => userRegistered(run, i));
    await sendAll(
      producer,
      topicName(Topics.Identity, prefix),
      registered.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    );
    await lagZero(ConsumerGroups.Notifications, Topics.Identity);
    const numbers = newTrackingNumbers(users * parcelsPerUser);
    const owner = (p: number) => `u-${run}-${p % users}`;
    const labels = numbers.map((tn, p) =>
      createEnvelope({
        type: LabelCreatedV1.type,
        version: 1,
        key: tn,
        source: 'faults',
        data: { ...LabelCreatedV1.example, trackingNumber: tn, userId: owner(p) },
      }),
    );
    await sendAll(
      producer,
      topicName(Topics.Pickup, prefix),
      labels.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    );
    // Scans only once the owners watch their parcels.
    await lagZero(ConsumerGroups.Tracking, Topics.Pickup);
    const scans = numbers.flatMap((tn) =>
      (['accepted', 'in_transit', 'available_for_pickup', 'delivered'] as const).map((code, step) =>
        scanAt(tn, step, code),
      ),
    );
    await sendAll(
      producer,
      topicName(Topics.PostalScans, prefix),
      scans.map((s) => ({ key: s.trackingNumber, value: JSON.stringify(scanEnvelope(s)) })),
    );
    await producer.disconnect();

    // Label receipt, available for pickup, delivered: one each per parcel to its owner.
    const expected = new Set(
      numbers.flatMap((tn, p) => {
        const to = `u${p % users}@${run}.faults.example`;
        return [
          `${to}|Receipt for your shipping label ${tn}`,
          `${to}|Your parcel ${tn} is available for pickup`,
          `${to}|Your parcel ${tn} was delivered`,
        ];
      }),
    );
    const t0 = Date.now();
    let worker = await startWorker(portal, { EMAIL_RATE_MAX: '10', EMAIL_WORKER_CONCURRENCY: '5' });
    const killedAt: number[] = [];
    for (const share of [0.25, 0.6]) {
      await waitFor(async () => total(await runMail(mailpitUrl(), run)) >= share * expected.size, {
        timeoutMs: 240_000,
        intervalMs: 200,
        description: `${share * 100} % of the emails sent`,
      });
      await worker.kill('SIGKILL');
      killedAt.push(total(await runMail(mailpitUrl(), run)));
      worker = await startWorker(portal, { EMAIL_RATE_MAX: '10', EMAIL_WORKER_CONCURRENCY: '5' });
    }
    await waitFor(async () => total(await runMail(mailpitUrl(), run)) >= expected.size, {
      timeoutMs: 300_000,
      intervalMs: 500,
      description: 'every email sent',
    });
    // A worker killed between the SMTP accept and its `sent` write leaves the record `queued` with the
    // email already out: its stalled job runs again once its lock has expired (up to a minute: lock
    // and stalled-check periods of 30 s) and sends the copy with the same Message-ID.
    const records = await waitFor(
      async () => {
        const all = await messageRecords(db);
        return all.length >= expected.size && all.every((r) => r.status === 'sent') && all;
      },
      { timeoutMs: 120_000, intervalMs: 1000, description: 'every message record sent' },
    ).catch(() => messageRecords(db));
    await sleep(3000);
    const counts = await runMail(mailpitUrl(), run);
    const mail = await messageIdsOfRun(mailpitUrl(), run);
    const jobs = await emailJobCounts(portal);
    report('2 exactly-once notifications', {
      parcels: numbers.length,
      expectedEmails: expected.size,
      received: total(counts),
      killedAtReceived: killedAt,
      seconds: (Date.now() - t0) / 1000,
      rawDuplicates: mail.rawCopies,
      missing: [...expected].filter((k) => !counts.has(k)).length,
      unexpected: [...counts.keys()].filter((k) => !expected.has(k)).length,
      records: byStatus(records),
      jobs,
    });
    expect(mail.notOneId).toEqual([]);
    expect(mail.notOurs).toEqual([]);
    // Only a job in flight at a kill can go out twice (5 = the worker's concurrency, set above).
    expect(mail.rawCopies).toBeLessThanOrEqual(killedAt.length * 5);
    expect(new Set(counts.keys())).toEqual(expected);
    expect(records.filter((r) => r.status !== 'sent').map((r) => `${r._id} ${r.status} ${r.lastError}`)).toEqual([]);
    expect(jobs.failed).toBe(0);
  });

  it('completes every job once after the worker is killed with jobs active', async () => {
    const run = randomUUID().slice(0, 8);
    const portal = await startPortal({
      apps: ['notifications'],
      env: { AUTH_URL: issuer.baseUrl, NOTIFICATIONS_ROLE: 'api' },
    });
    portals.push(portal);
    const db = await openDatabase(portal, 'notifications');
    dbs.push(db);
    const producer = testProducer(process.env.KAFKA_BROKERS ?? '');
    await producer.connect();
    const events = codeEvents(run, stalledJobs);
    await sendAll(
      producer,
      topicName(Topics.Identity, portal.topicPrefix),
      events.map((e) => ({ key: e.key, value: JSON.stringify(e) })),
    );
    await producer.disconnect();
    await waitFor(async () => (await emailJobCounts(portal)).waiting >= stalledJobs, {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: 'every job queued',
    });
    const t0 = Date.now();
    // Slow sending so that the kill finds jobs in flight.
    const env = { EMAIL_RATE_MAX: '4', EMAIL_RATE_DURATION_MS: '1000', EMAIL_WORKER_CONCURRENCY: '4' };
    const first = await startWorker(portal, env);
    const atKill = await waitFor(
      async () => {
        const counts = await emailJobCounts(portal);
        return counts.active > 0 && counts.completed >= 4 ? counts : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50, description: 'jobs active' },
    );
    await first.kill('SIGKILL');
    await startWorker(portal, { ...env, EMAIL_RATE_MAX: '20' });
    const done = await waitFor(
      async () => {
        const counts = await emailJobCounts(portal);
        return counts.completed + counts.failed >= stalledJobs ? counts : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 500, description: 'every job finished' },
    );
    await sleep(2000);
    const mail = await messageIdsOfRun(process.env.MAILPIT_URL ?? '', run);
    const records = await messageRecords(db);
    report('8 stalled jobs', {
      jobs: stalledJobs,
      atKill,
      finished: done,
      seconds: (Date.now() - t0) / 1000,
      received: [...mail.ids.values()].reduce((n, list) => n + list.length, 0),
      rawDuplicates: mail.rawCopies,
      records: byStatus(records),
    });
    expect(done).toMatchObject({ completed: stalledJobs, failed: 0, active: 0 });
    expect(mail.ids.size).toBe(stalledJobs);
    expect(mail.notOneId).toEqual([]);
    expect(mail.notOurs).toEqual([]);
    // Only a job active at the kill can have been accepted by SMTP and not yet marked sent.
    expect(mail.rawCopies).toBeLessThanOrEqual(atKill.active);
    expect(byStatus(records)).toEqual({ sent: stalledJobs });
  });
});
