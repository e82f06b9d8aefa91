import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { ConsumerGroups, createEnvelope, LabelCreatedV1, Topics, topicName } from '@app/contracts';
import { startPortal, waitFor, type Portal } from '@app/testing';
import type { Connection } from 'mongoose';
import { compareWithOracle, newTrackingNumbers, oracle, scanAt, scanEnvelope } from './support/scans';
import { report, size } from './support/sizes';
import { consumerLag, openDatabase, readParcels, testProducer } from './support/stores';

jest.setTimeout(300_000);

// A parcel keeps at most 100 events: the burst stays under that so every one must be there.
const viaHttp = size('FAULTS_LOST_HTTP_SCANS', 40);
const viaKafka = size('FAULTS_LOST_KAFKA_SCANS', 40);
const watchers = size('FAULTS_LOST_WATCHERS', 15);

describe('lost updates on one parcel', () => {
  let issuer: TestTokenIssuer;
  let portal: Portal | undefined;
  let db: Connection | undefined;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await db?.close();
    await portal?.stop();
    await issuer.close();
  });

  it('keeps every scan, the label and every watcher written to one parcel in one burst', async () => {
    const brokers = process.env.KAFKA_BROKERS ?? '';
    portal = await startPortal({ apps: ['tracking'], env: { AUTH_URL: issuer.baseUrl } });
    db = await openDatabase(portal, 'tracking');
    const prefix = portal.topicPrefix;
    const [tn] = newTrackingNumbers(1);
    const scans = Array.from({ length: viaHttp + viaKafka }, (_, i) => scanAt(tn, i));
    const owner = 'label-owner';
    const label = createEnvelope({
      type: LabelCreatedV1.type,
      version: 1,
      key: tn,
      source: 'faults',
      data: { ...LabelCreatedV1.example, trackingNumber: tn, userId: owner, createdAt: '2025-04-30T10:00:00.000Z' },
    });
    const scanner = await issuer.sign({ sub: 'scanner-key', roles: ['scanner'] });
    const users = Array.from({ length: watchers }, (_, i) => `watcher-${i}`);
    const tokens = await Promise.all(users.map((sub) => issuer.sign({ sub, username: sub })));
    const producer = testProducer(brokers);
    await producer.connect();

    const post = (path: string, token: string, body: unknown) =>
      fetch(`${portal!.urls.tracking}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.status);
    const t0 = Date.now();
    const statuses = await Promise.all([
      ...scans.slice(0, viaHttp).map((s) => post('/scans', scanner, { events: [s] })),
      ...scans.slice(viaHttp).map((s) =>
        producer
          .send({
            topic: topicName(Topics.PostalScans, prefix),
            messages: [{ key: tn, value: JSON.stringify(scanEnvelope(s)) }],
          })
          .then(() => 0),
      ),
      producer
        .send({ topic: topicName(Topics.Pickup, prefix), messages: [{ key: tn, value: JSON.stringify(label) }] })
        .then(() => 0),
      ...tokens.map((token) => post('/tracking/watchlist', token, { trackingNumber: tn })),
    ]);
    await producer.disconnect();
    for (const topic of [Topics.PostalScans, Topics.Pickup]) {
      await waitFor(async () => (await consumerLag(brokers, prefix, ConsumerGroups.Tracking, topic)) === 0, {
        timeoutMs: 120_000,
        intervalMs: 250,
        description: `${topic} consumed`,
      });
    }
    const stored = (await readParcels(db, [tn])).get(tn);
    const result = compareWithOracle(
      oracle(scans),
      new Map([[tn, { ...stored!, events: stored!.events.filter((e) => e.code !== 'label_created') }]]),
    );
    report('4 lost updates', {
      writers: statuses.length,
      httpStatuses: [...new Set(statuses.filter((s) => s !== 0))],
      seconds: (Date.now() - t0) / 1000,
      scansStored: stored?.events.filter((e) => e.code !== 'label_created').length,
      labelStored: stored?.events.some((e) => e.code === 'label_created'),
      watchersStored: (stored as { watchers?: string[] } | undefined)?.watchers?.length,
      lost: result.lost,
      doubled: result.doubled,
    });
    expect(statuses.filter((s) => s !== 0 && s !== 201 && s !== 202)).toEqual([]);
    expect(result).toEqual({ mismatches: [], lost: 0, doubled: 0 });
    expect(stored?.events.filter((e) => e.code === 'label_created').map((e) => e.eventId)).toEqual([label.id]);
    expect([...((stored as { watchers?: string[] }).watchers ?? [])].sort()).toEqual([owner, ...users].sort());
  });
});
