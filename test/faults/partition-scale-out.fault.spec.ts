import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { ConsumerGroups, Topics, topicName } from '@app/contracts';
import { kafkaSasl, startPortal, waitFor, type Portal } from '@app/testing';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import type { Connection } from 'mongoose';
import { compareWithOracle, oracle, scanEnvelope, scanStream } from './support/scans';
import { report, size } from './support/sizes';
import {
  consumerLag,
  openDatabase,
  readParcels,
  sendAll,
  spawnExtra,
  testProducer,
  waitHttpReady,
  type ExtraProcess,
} from './support/stores';

jest.setTimeout(600_000);

const partitions = size('FAULTS_SCALEOUT_PARTITIONS', 12);
const parcels = size('FAULTS_SCALEOUT_PARCELS', 600, 1000);
const total = size('FAULTS_SCALEOUT_SCANS', 3000, 6000);

interface Run {
  instances: number;
  /** postal.scans partitions each member of the tracking group owns, by member. */
  partitionsPerMember: number[];
  seconds: number;
  eventsPerSecond: number;
  lost: number;
  doubled: number;
  mismatches: number;
}

describe(`tracking scaled out over the ${partitions} partitions of postal.scans`, () => {
  let issuer: TestTokenIssuer;
  const portals: Portal[] = [];
  const dbs: Connection[] = [];
  const extras: ExtraProcess[] = [];

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await Promise.all(extras.map((e) => e.kill('SIGTERM')));
    await Promise.all(dbs.map((db) => db.close()));
    await Promise.all(portals.map((p) => p.stop()));
    await issuer.close();
  });

  const brokers = () => process.env.KAFKA_BROKERS ?? '';

  /** The postal.scans partitions of each member of the portal's tracking group, once it is stable with `members`. */
  async function assignment(portal: Portal, members: number): Promise<number[]> {
    const admin = new Kafka({
      clientId: `faults-scaleout-${process.pid}`,
      brokers: brokers().split(','),
      sasl: kafkaSasl(),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const group = topicName(ConsumerGroups.Tracking, portal.topicPrefix);
      const topic = topicName(Topics.PostalScans, portal.topicPrefix);
      return await waitFor(
        async () => {
          const { groups } = await admin.describeGroups([group]);
          const g = groups[0];
          if (g?.state !== 'Stable' || g.members.length !== members) return undefined;
          const owned = g.members.map(
            (m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic]?.length ?? 0,
          );
          return owned.every((n) => n > 0) ? owned.sort((a, b) => a - b) : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500, description: `${members} tracking instances sharing ${topic}` },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** A fresh portal with `instances` tracking processes; the same-size stream is sent, then drained. */
  async function measure(instances: number): Promise<Run> {
    const portal = await startPortal({
      apps: ['tracking'],
      env: { AUTH_URL: issuer.baseUrl, KAFKA_PARTITIONS: String(partitions) },
    });
    portals.push(portal);
    const db = await openDatabase(portal, 'tracking');
    dbs.push(db);
    const started = await Promise.all(Array.from({ length: instances - 1 }, () => spawnExtra(portal, 'tracking')));
    extras.push(...started);
    await Promise.all(started.map((e) => waitHttpReady(e.url)));
    const partitionsPerMember = await assignment(portal, instances);

    const stream = scanStream(parcels, total);
    const producer = testProducer(brokers());
    await producer.connect();
    const t0 = Date.now();
    await sendAll(
      producer,
      topicName(Topics.PostalScans, portal.topicPrefix),
      stream.sent.map((s) => ({ key: s.trackingNumber, value: JSON.stringify(scanEnvelope(s)) })),
    );
    await producer.disconnect();
    await waitFor(
      async () => (await consumerLag(brokers(), portal.topicPrefix, ConsumerGroups.Tracking, Topics.PostalScans)) === 0,
      { timeoutMs: 300_000, intervalMs: 250, description: 'consumer lag back to 0' },
    );
    const seconds = (Date.now() - t0) / 1000;
    const result = compareWithOracle(oracle(stream.scans), await readParcels(db, stream.numbers));
    // Stopped before the next run, so the two runs do not share the machine.
    await Promise.all(started.map((e) => e.kill('SIGTERM')));
    await portal.stop();
    return {
      instances,
      partitionsPerMember,
      seconds,
      eventsPerSecond: Math.round((stream.sent.length / seconds) * 10) / 10,
      lost: result.lost,
      doubled: result.doubled,
      mismatches: result.mismatches.length,
    };
  }

  it('shares the partitions among three instances, applies no event twice, and reports against one instance', async () => {
    const t0 = Date.now();
    const one = await measure(1);
    const three = await measure(3);
    report('13 partition scale-out', {
      partitions,
      parcels,
      scans: total,
      one,
      three,
      ratioThreeToOne: Math.round((three.eventsPerSecond / one.eventsPerSecond) * 100) / 100,
      testSeconds: (Date.now() - t0) / 1000,
    });
    expect(one.partitionsPerMember).toEqual([partitions]);
    expect(three.partitionsPerMember).toHaveLength(3);
    expect(three.partitionsPerMember.reduce((a, b) => a + b, 0)).toBe(partitions);
    // Range assignment of 12 partitions over 3 members: 4 each.
    expect(Math.max(...three.partitionsPerMember) - Math.min(...three.partitionsPerMember)).toBeLessThanOrEqual(1);
    for (const run of [one, three]) {
      expect({ instances: run.instances, lost: run.lost, doubled: run.doubled, mismatches: run.mismatches }).toEqual({
        instances: run.instances,
        lost: 0,
        doubled: 0,
        mismatches: 0,
      });
    }
  });
});
