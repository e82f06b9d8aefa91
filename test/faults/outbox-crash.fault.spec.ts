import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { createEnvelope, LabelCreatedV1, ParcelStatusChangedV1, Topics, topicName } from '@app/contracts';
import { collectEvents, startPortal, waitFor, type EventCollector, type Portal } from '@app/testing';
import type { Connection } from 'mongoose';
import { newTrackingNumbers, scanAt, scanEnvelope } from './support/scans';
import { report, size } from './support/sizes';
import {
  openDatabase,
  readParcels,
  sendAll,
  spawnExtra,
  testProducer,
  waitHttpReady,
  type ExtraProcess,
} from './support/stores';

jest.setTimeout(300_000);

const count = size('FAULTS_OUTBOX_EVENTS', 50);

describe('outbox crash window', () => {
  let issuer: TestTokenIssuer;
  let portal: Portal | undefined;
  let tracking: ExtraProcess | undefined;
  let trackingDb: Connection | undefined;
  let notificationsDb: Connection | undefined;
  let published: EventCollector<{ id: string; type: string; data: { trackingNumber: string } }> | undefined;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await published?.stop();
    await tracking?.kill();
    await trackingDb?.close();
    await notificationsDb?.close();
    await portal?.stop();
    await issuer.close();
  });

  it('publishes every event left in the outbox by a crash once tracking restarts, applied once downstream', async () => {
    const brokers = process.env.KAFKA_BROKERS ?? '';
    // tracking runs apart from the portal so that it can restart with other settings.
    portal = await startPortal({ apps: ['notifications'], env: { AUTH_URL: issuer.baseUrl } });
    const prefix = portal.topicPrefix;
    const startTracking = async (env: Record<string, string>) => {
      const p = await spawnExtra(portal!, 'tracking', env);
      await waitHttpReady(p.url);
      return p;
    };
    // The crash window: the write is stored, the immediate publish never happens, and no sweep runs.
    tracking = await startTracking({ OUTBOX_CRASH_AFTER_WRITE: 'true', OUTBOX_SWEEP_INTERVAL_MS: '0' });
    trackingDb = await openDatabase(portal, 'tracking');
    notificationsDb = await openDatabase(portal, 'notifications');
    published = await collectEvents(Topics.Tracking, { prefix });

    const numbers = newTrackingNumbers(count);
    const producer = testProducer(brokers);
    await producer.connect();
    const labels = numbers.map((tn) =>
      createEnvelope({
        type: LabelCreatedV1.type,
        version: 1,
        key: tn,
        source: 'faults',
        data: { ...LabelCreatedV1.example, trackingNumber: tn, userId: `owner-${tn.slice(-6)}` },
      }),
    );
    await sendAll(
      producer,
      topicName(Topics.Pickup, prefix),
      labels.map((l) => ({ key: l.key, value: JSON.stringify(l) })),
    );
    const scans = numbers.map((tn) => scanAt(tn, 0, 'accepted'));
    await sendAll(
      producer,
      topicName(Topics.PostalScans, prefix),
      scans.map((s) => ({ key: s.trackingNumber, value: JSON.stringify(scanEnvelope(s)) })),
    );
    await producer.disconnect();

    const pending = await waitFor(
      async () => {
        const stored = await readParcels(trackingDb!, numbers);
        const withOutbox = [...stored.values()].filter((p) => p.status === 'accepted' && p.outbox.length > 0);
        return withOutbox.length === count ? withOutbox : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: 'every scan stored with its event in the outbox' },
    );
    const publishedBeforeCrash = published.events.filter((e) => e.value.type === ParcelStatusChangedV1.type).length;
    await tracking.kill('SIGKILL');

    const t0 = Date.now();
    tracking = await startTracking({ OUTBOX_CRASH_AFTER_WRITE: 'true', OUTBOX_SWEEP_INTERVAL_MS: '500' });
    const changed = () =>
      published!.events.filter(
        (e) => e.value.type === ParcelStatusChangedV1.type && numbers.includes(e.value.data.trackingNumber),
      );
    await waitFor(() => new Set(changed().map((e) => e.value.id)).size >= count, {
      timeoutMs: 120_000,
      intervalMs: 250,
      description: 'every pending event published by the sweep',
    });
    const recoverySeconds = (Date.now() - t0) / 1000;
    const outboxIds = new Set(pending.flatMap((p) => (p.outbox as { id: string }[]).map((e) => e.id)));
    await waitFor(
      async () => {
        const stored = await readParcels(trackingDb!, numbers);
        return [...stored.values()].every((p) => p.outbox.length === 0);
      },
      { timeoutMs: 30_000, description: 'every outbox emptied' },
    );
    // Downstream: notifications files one in-app message per (event, watcher).
    const downstream = await waitFor(
      async () => {
        const records = await notificationsDb!
          .collection<{ sourceId: string; channel: string }>('messages')
          .find({})
          .toArray();
        const mine = records.filter((r) => outboxIds.has(r.sourceId) && r.channel === 'in_app');
        return new Set(mine.map((r) => r.sourceId)).size === count ? mine : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'every event applied downstream' },
    );
    await new Promise((r) => setTimeout(r, 2000));
    const publishedIds = changed().map((e) => e.value.id);
    report('3 outbox crash window', {
      events: count,
      publishedBeforeCrash,
      publishedAfterRestart: new Set(publishedIds).size,
      publishedCopies: publishedIds.length,
      recoverySeconds,
      downstreamRecords: downstream.length,
    });
    expect(publishedBeforeCrash).toBe(0);
    expect(new Set(publishedIds)).toEqual(outboxIds);
    expect(downstream).toHaveLength(count);
  });
});
