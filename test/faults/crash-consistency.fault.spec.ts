import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { ConsumerGroups, Topics, topicName } from '@app/contracts';
import { startPortal, waitFor, type Portal } from '@app/testing';
import type { Connection } from 'mongoose';
import { compareWithOracle, oracle, scanEnvelope, scanStream } from './support/scans';
import { randomInt, report, size } from './support/sizes';
import { committedCount, consumerLag, openDatabase, readParcels, sendAll, testProducer } from './support/stores';

const parcels = size('FAULTS_CRASH_PARCELS', 4000, 20_000);
const total = size('FAULTS_CRASH_SCANS', 20_000, 100_000);
const kills = size('FAULTS_CRASH_KILLS', 3);
jest.setTimeout(Math.max(600_000, total * 30));

describe('crash consistency of scan ingest', () => {
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

  it('ends with every parcel equal to the oracle after tracking is killed -9 mid-stream', async () => {
    const brokers = process.env.KAFKA_BROKERS ?? '';
    const stream = scanStream(parcels, total);
    portal = await startPortal({ apps: ['tracking'], env: { AUTH_URL: issuer.baseUrl } });
    db = await openDatabase(portal, 'tracking');
    const prefix = portal.topicPrefix;
    const producer = testProducer(brokers);
    await producer.connect();
    const messages = stream.sent.map((s) => ({ key: s.trackingNumber, value: JSON.stringify(scanEnvelope(s)) }));

    const t0 = Date.now();
    const producing = sendAll(producer, topicName(Topics.PostalScans, prefix), messages);
    // Kill points at random shares of the stream, measured by committed offsets.
    const points = Array.from({ length: kills }, () => randomInt(10, 85) / 100).sort();
    const killedAt: number[] = [];
    for (const share of points) {
      await waitFor(
        async () =>
          (await committedCount(brokers, prefix, ConsumerGroups.Tracking, Topics.PostalScans)) >=
          share * messages.length,
        { timeoutMs: 300_000, intervalMs: 100, description: `${share * 100} % of the stream committed` },
      );
      killedAt.push(await committedCount(brokers, prefix, ConsumerGroups.Tracking, Topics.PostalScans));
      await portal.restart('tracking');
    }
    expect(await producing).toBe(messages.length);
    await producer.disconnect();

    await waitFor(async () => (await consumerLag(brokers, prefix, ConsumerGroups.Tracking, Topics.PostalScans)) === 0, {
      timeoutMs: 600_000,
      intervalMs: 500,
      description: 'consumer lag back to 0',
    });
    const seconds = (Date.now() - t0) / 1000;
    const stored = await readParcels(db, stream.numbers);
    const result = compareWithOracle(oracle(stream.scans), stored);
    const outboxLeft = [...stored.values()].reduce((n, p) => n + (p.outbox?.length ?? 0), 0);
    report('1 crash consistency', {
      parcels,
      scans: stream.scans.length,
      sent: messages.length,
      repeats: stream.repeats,
      outOfOrder: stream.outOfOrder,
      killedAtCommitted: killedAt,
      seconds: Number(seconds.toFixed(1)),
      eventsPerSecond: Math.round(messages.length / seconds),
      parcelsStored: stored.size,
      mismatches: result.mismatches.length,
      lost: result.lost,
      doubled: result.doubled,
      outboxLeft,
    });
    expect(result.mismatches.slice(0, 10)).toEqual([]);
    expect({ lost: result.lost, doubled: result.doubled, parcelsStored: stored.size }).toEqual({
      lost: 0,
      doubled: 0,
      parcelsStored: parcels,
    });
    expect(await consumerLag(brokers, prefix, ConsumerGroups.Tracking, Topics.PostalScans)).toBe(0);
  });
});
