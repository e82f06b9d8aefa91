import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { ConsumerGroups, Topics, topicName } from '@app/contracts';
import { startPortal, waitFor, type Portal } from '@app/testing';
import type { Connection } from 'mongoose';
import { compareWithOracle, oracle, scanEnvelope, scanStream } from './support/scans';
import { report, size, sleep } from './support/sizes';
import {
  consumerLag,
  openDatabase,
  readParcels,
  spawnExtra,
  testProducer,
  waitHttpReady,
  type ExtraProcess,
} from './support/stores';

const parcels = size('FAULTS_REBALANCE_PARCELS', 1000, 4000);
const total = size('FAULTS_REBALANCE_SCANS', 6000, 20_000);
const chunk = 100;
const chunkEveryMs = 250;
jest.setTimeout(600_000);

describe('rebalance while scaling tracking', () => {
  let issuer: TestTokenIssuer;
  let portal: Portal | undefined;
  let db: Connection | undefined;
  let second: ExtraProcess | undefined;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await second?.kill();
    await db?.close();
    await portal?.stop();
    await issuer.close();
  });

  it('loses and doubles nothing when a second instance joins and leaves during a stream', async () => {
    const brokers = process.env.KAFKA_BROKERS ?? '';
    const stream = scanStream(parcels, total);
    portal = await startPortal({ apps: ['tracking'], env: { AUTH_URL: issuer.baseUrl } });
    db = await openDatabase(portal, 'tracking');
    const prefix = portal.topicPrefix;
    const producer = testProducer(brokers);
    await producer.connect();
    const messages = stream.sent.map((s) => ({ key: s.trackingNumber, value: JSON.stringify(scanEnvelope(s)) }));
    const chunks = Math.ceil(messages.length / chunk);
    const upAt = Math.floor(chunks * 0.2);
    const downAt = Math.floor(chunks * 0.7);
    let scaling: Promise<void> = Promise.resolve();
    const marks: Record<string, number> = {};
    const t0 = Date.now();
    for (let i = 0; i < chunks; i++) {
      if (i === upAt) {
        scaling = (async () => {
          second = await spawnExtra(portal, 'tracking');
          await waitHttpReady(second.url);
          marks.secondReadyAtSecond = (Date.now() - t0) / 1000;
        })();
      }
      if (i === downAt) {
        await scaling;
        marks.scaleDownAtSecond = (Date.now() - t0) / 1000;
        // Scaling down is a graceful stop: in-flight batches finish, offsets are committed.
        scaling = second!.kill('SIGTERM');
      }
      await producer.send({
        topic: topicName(Topics.PostalScans, prefix),
        messages: messages.slice(i * chunk, (i + 1) * chunk),
      });
      await sleep(chunkEveryMs);
    }
    await scaling;
    await producer.disconnect();
    await waitFor(async () => (await consumerLag(brokers, prefix, ConsumerGroups.Tracking, Topics.PostalScans)) === 0, {
      timeoutMs: 180_000,
      intervalMs: 500,
      description: 'consumer lag back to 0',
    });
    const stored = await readParcels(db, stream.numbers);
    const result = compareWithOracle(oracle(stream.scans), stored);
    report('6 rebalance', {
      parcels,
      scans: stream.scans.length,
      sent: messages.length,
      ...marks,
      seconds: (Date.now() - t0) / 1000,
      mismatches: result.mismatches.length,
      lost: result.lost,
      doubled: result.doubled,
    });
    expect(result.mismatches.slice(0, 10)).toEqual([]);
    expect({ lost: result.lost, doubled: result.doubled }).toEqual({ lost: 0, doubled: 0 });
  });
});
