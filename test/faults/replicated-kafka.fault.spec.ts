import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { ConsumerGroups, Topics, topicName, type ScanRecordedData } from '@app/contracts';
import { splitByPartition } from '@app/messaging';
import { kafkaSasl, startPortal, waitFor, type Portal } from '@app/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { OwnedKafkaCluster } from './support/owned-infra';
import { newTrackingNumbers, scanAt, scanEnvelope } from './support/scans';
import { report, size, sleep, within } from './support/sizes';
import { consumerLag, openDatabase, readParcels } from './support/stores';

jest.setTimeout(600_000);

const parcels = size('FAULTS_CLUSTER_PARCELS', 300);
const warmMs = size('FAULTS_CLUSTER_WARM_MS', 10_000);
const oneDownMs = size('FAULTS_CLUSTER_ONE_DOWN_MS', 20_000);
const twoDownMs = size('FAULTS_CLUSTER_TWO_DOWN_MS', 12_000);
const afterMs = size('FAULTS_CLUSTER_AFTER_MS', 10_000);

/** Scans acknowledged at a moment, by path, for the rates of each phase. */
interface Ack {
  at: number;
  count: number;
}

/** The events/s acknowledged in [from, to). */
function rate(acks: readonly Ack[], from: number, to: number): number {
  const n = acks.filter((a) => a.at >= from && a.at < to).reduce((sum, a) => sum + a.count, 0);
  return Math.round((n / Math.max(0.001, (to - from) / 1000)) * 10) / 10;
}

describe('a replicated Kafka (three nodes, RF 3, min.insync.replicas 2) losing its brokers', () => {
  let issuer: TestTokenIssuer;
  let cluster: OwnedKafkaCluster | undefined;
  let portal: Portal | undefined;
  let db: Connection | undefined;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await db?.close();
    await portal?.stop();
    await cluster?.dispose();
    await issuer.close();
  });

  it('goes on with one broker killed -9, refuses with 503 + Retry-After with two, and applies every scan once after', async () => {
    const t0 = Date.now();
    cluster = await OwnedKafkaCluster.start(3);
    const clusterStartSeconds = (Date.now() - t0) / 1000;
    const brokers = cluster.env.KAFKA_BROKERS;
    const credentials = cluster.env.KAFKA_CREDENTIALS_FILE;
    portal = await startPortal({
      apps: ['tracking'],
      env: { AUTH_URL: issuer.baseUrl, KAFKA_BROKERS: brokers, KAFKA_CREDENTIALS_FILE: credentials },
      // A fresh cluster creates its offsets topic (three replicas) on the first group join.
      readyTimeoutMs: 180_000,
    });
    db = await openDatabase(portal, 'tracking');
    const prefix = portal.topicPrefix;
    const topic = topicName(Topics.PostalScans, prefix);
    const admin = new Kafka({
      clientId: `faults-cluster-${process.pid}`,
      brokers: brokers.split(','),
      sasl: kafkaSasl(undefined, credentials),
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, maxRetryTime: 2000 },
    }).admin();
    await admin.connect();
    const leaderOf0 = async (): Promise<number> => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      return topics[0].partitions.find((p) => p.partitionId === 0)?.leader ?? -1;
    };

    /** Where each of `ids` is in the topic (partition, offset), the committed offsets, and how it was acknowledged. */
    const locate = async (ids: string[]) => {
      const wantedIds = new Set(ids);
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({
        groupId: topicName(ConsumerGroups.Tracking, prefix),
        topics: [topic],
      });
      const found = new Map<string, { partition: number; offset: string }>();
      const reader = new Kafka({
        clientId: `faults-cluster-reader-${process.pid}`,
        brokers: brokers.split(','),
        sasl: kafkaSasl(undefined, credentials),
        logLevel: logLevel.NOTHING,
      }).consumer({ groupId: `faults-reader-${Date.now()}` });
      await reader.connect();
      await reader.subscribe({ topic, fromBeginning: true });
      const remaining = new Map(ends.map((e) => [e.partition, Number(e.high)]));
      const done = new Promise<void>((resolve) => {
        void reader.run({
          eachMessage: async ({ partition, message }) => {
            const id = (JSON.parse(message.value?.toString() ?? '{}') as { data?: { eventId?: string } }).data?.eventId;
            if (id && wantedIds.has(id)) found.set(id, { partition, offset: message.offset });
            if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
            if ([...remaining.values()].every((high) => high === 0) || remaining.size === 0) resolve();
            return Promise.resolve();
          },
        });
      });
      await within(60_000, done, 'reading the topic back').catch(() => undefined);
      await reader.disconnect();
      return ids.map((id) => ({
        id,
        ...ackedHow.get(id),
        inTopic: found.get(id) ?? null,
        committed: committed?.partitions.map((p) => `${p.partition}:${p.offset}`).join(' '),
        ends: ends.map((e) => `${e.partition}:${e.low}-${e.high}`).join(' '),
      }));
    };

    const partitionCount = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length;
    const scanner = await issuer.sign({ sub: 'scanner-key', roles: ['scanner'] });
    const numbers = newTrackingNumbers(parcels);
    const steps = new Map<string, number>();
    const next = (): ScanRecordedData => {
      const tn = numbers[Math.floor(Math.random() * numbers.length)];
      const step = steps.get(tn) ?? 0;
      steps.set(tn, step + 1);
      return scanAt(tn, step);
    };

    // The postal systems' producers as the services' own are set up: acks from all in-sync replicas,
    // idempotent (one request in flight), and a batch is resent until acknowledged.
    const newProducer = (): Producer =>
      new Kafka({
        clientId: `faults-scanner-${process.pid}`,
        brokers: brokers.split(','),
        sasl: kafkaSasl(undefined, credentials),
        logLevel: logLevel.NOTHING,
        retry: { retries: 5, maxRetryTime: 3000 },
      }).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    let producer = newProducer();
    await producer.connect();

    const generated: ScanRecordedData[] = [];
    const acked: ScanRecordedData[] = [];
    /** How and when each acknowledged scan was acknowledged (for the report of a missing one). */
    const ackedHow = new Map<string, { path: 'direct' | 'http'; at: number }>();
    const directAcks: Ack[] = [];
    const httpAcks: Ack[] = [];
    let directFailures = 0;
    const directFailuresAt: number[] = [];
    const httpStatuses = new Map<number, number>();
    const unavailable: { at: number; retryAfter: string | null }[] = [];
    let stop = false;
    // Once `stop` is set, a batch still unacknowledged is resent until this deadline.
    let giveUpAt = Number.POSITIVE_INFINITY;

    const direct = (async () => {
      while (!stop) {
        const batch = Array.from({ length: 20 }, next);
        generated.push(...batch);
        for (;;) {
          if (Date.now() > giveUpAt) return;
          // kafkajs can hang across a broker loss: a send unanswered in 15 s counts as a failure and
          // the producer is replaced (the resend carries the same event ids; tracking skips repeats).
          // One send per partition, as libs/messaging does (splitByPartition: kafkajs can drop the
          // messages of a partition whose leader moved during a multi-partition send, and still ack).
          const sends = splitByPartition(
            [
              {
                topic,
                messages: batch.map((s) => ({ key: s.trackingNumber, value: JSON.stringify(scanEnvelope(s)) })),
              },
            ],
            () => partitionCount,
          );
          const sent = Promise.all(sends.map((send) => producer.send({ ...send, acks: -1 })));
          const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
          const outcome = await Promise.race([sent.then(() => 'ok' as const), timedOut]).catch(() => 'error' as const);
          if (outcome === 'ok') {
            acked.push(...batch);
            for (const scan of batch) ackedHow.set(scan.eventId, { path: 'direct', at: Date.now() });
            directAcks.push({ at: Date.now(), count: batch.length });
            break;
          }
          sent.catch(() => undefined);
          directFailures++;
          directFailuresAt.push(Date.now());
          void producer.disconnect().catch(() => undefined);
          producer = newProducer();
          await within(15_000, producer.connect(), 'producer connect').catch(() => undefined);
          await sleep(1000);
        }
        await sleep(100);
      }
    })();
    const viaHttp = (async () => {
      while (!stop) {
        const batch = Array.from({ length: 5 }, next);
        generated.push(...batch);
        for (;;) {
          if (Date.now() > giveUpAt) return;
          const res = await fetch(`${portal.urls.tracking}/api/v1/scans`, {
            method: 'POST',
            headers: { authorization: `Bearer ${scanner}`, 'content-type': 'application/json' },
            body: JSON.stringify({ events: batch }),
            signal: AbortSignal.timeout(30_000),
          }).catch(() => undefined);
          const status = res?.status ?? 0;
          httpStatuses.set(status, (httpStatuses.get(status) ?? 0) + 1);
          if (status === 202) {
            acked.push(...batch);
            for (const scan of batch) ackedHow.set(scan.eventId, { path: 'http', at: Date.now() });
            httpAcks.push({ at: Date.now(), count: batch.length });
            break;
          }
          // A client does what the answer says: resend the same batch after Retry-After.
          const retryAfter = res?.headers.get('retry-after') ?? null;
          if (status === 503) unavailable.push({ at: Date.now(), retryAfter });
          await sleep(Math.min(Number(retryAfter) || 1, 5) * 1000);
        }
        await sleep(250);
      }
    })();

    // Healthy: the same run's baseline rate.
    const tWarm = Date.now();
    await sleep(warmMs);

    // One broker gone: the leader of partition 0 of postal.scans, killed -9.
    const firstVictim = await leaderOf0();
    const tKill1 = Date.now();
    await cluster.nodes.kill(firstVictim);
    const newLeader = await waitFor(
      async () => {
        const leader = await within(5000, leaderOf0(), 'topic metadata').catch(() => -1);
        return leader > 0 && leader !== firstVictim ? leader : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'a new leader of partition 0' },
    );
    const leaderMovedSeconds = (Date.now() - tKill1) / 1000;
    const ackedBeforeKill1 = acked.length;
    await sleep(Math.max(0, oneDownMs - (Date.now() - tKill1)));
    const ackedWithOneDown = acked.length - ackedBeforeKill1;

    // Two gone: the new leader too. Fewer than min.insync.replicas remain: writes are refused.
    const tKill2 = Date.now();
    await cluster.nodes.kill(newLeader);
    const ackedIdsBeforeKill2 = new Set(acked.map((s) => s.eventId));
    await sleep(twoDownMs);

    // Both back.
    const tRestart = Date.now();
    await Promise.all([cluster.nodes.restart(firstVictim), cluster.nodes.restart(newLeader)]);
    const restartSeconds = (Date.now() - tRestart) / 1000;
    await waitFor(() => directAcks.some((a) => a.at > tRestart) && httpAcks.some((a) => a.at > tRestart), {
      timeoutMs: 120_000,
      intervalMs: 200,
      description: 'both paths acknowledged again',
    }).catch(() => undefined);
    const firstAckAfter = (acks: Ack[]) => {
      const a = acks.find((x) => x.at > tRestart);
      return a ? (a.at - tRestart) / 1000 : null;
    };
    await sleep(afterMs);
    const tStop = Date.now();
    stop = true;
    giveUpAt = Date.now() + 90_000;
    await within(120_000, Promise.all([direct, viaHttp]), 'the stream loops').catch((e: Error) =>
      report('12 replicated Kafka', { error: e.message }),
    );
    await within(15_000, producer.disconnect(), 'producer disconnect').catch(() => undefined);

    const wanted = new Set(acked.map((s) => s.eventId));
    let missing = wanted.size;
    let appliedAt = 0;
    await waitFor(
      async () => {
        const lag = consumerLag(brokers, prefix, ConsumerGroups.Tracking, Topics.PostalScans, credentials);
        if ((await within(10_000, lag, 'consumer lag')) !== 0) return false;
        const stored = await within(20_000, readParcels(db!, numbers), 'reading parcels');
        const have = new Set([...stored.values()].flatMap((p) => p.events.map((e) => e.eventId)));
        missing = [...wanted].filter((id) => !have.has(id)).length;
        appliedAt = Date.now();
        return missing === 0;
      },
      { timeoutMs: 180_000, intervalMs: 1000, description: 'every acknowledged scan applied' },
    ).catch(() => undefined);
    const stored = await readParcels(db, numbers);
    const have = new Set([...stored.values()].flatMap((p) => p.events.map((e) => e.eventId)));
    // A missing scan: is it in the topic (then the consumer skipped it) or not (the log lost it)?
    const missingIds = [...wanted].filter((id) => !have.has(id));
    const missingDetail =
      missingIds.length === 0 ? [] : await locate(missingIds).catch((e: Error) => [{ error: e.message }]);
    await admin.disconnect();
    const lostBeforeKill2 = [...ackedIdsBeforeKill2].filter((id) => !have.has(id)).length;
    const doubled = [...stored.values()].reduce(
      (n, p) => n + p.events.length - new Set(p.events.map((e) => e.eventId)).size,
      0,
    );
    const twoDownUnavailable = unavailable.filter((u) => u.at >= tKill2 && u.at < tRestart + 5000);
    report('12 replicated Kafka', {
      clusterStartSeconds,
      parcels,
      generated: generated.length,
      acked: wanted.size,
      eventsPerSecond: {
        healthy: rate([...directAcks, ...httpAcks], tWarm, tKill1),
        oneBrokerDown: rate([...directAcks, ...httpAcks], tKill1, tKill2),
        twoBrokersDown: rate([...directAcks, ...httpAcks], tKill2, tRestart),
        afterRestart: rate([...directAcks, ...httpAcks], tRestart, tStop),
      },
      leaderMovedSeconds,
      ackedWithOneDown,
      ackedDuringTwoDown: [...directAcks, ...httpAcks]
        .filter((a) => a.at >= tKill2 && a.at < tRestart)
        .reduce((n, a) => n + a.count, 0),
      restartSeconds,
      firstAckAfterRestartSeconds: { direct: firstAckAfter(directAcks), http: firstAckAfter(httpAcks) },
      appliedAllSecondsAfterStop: appliedAt ? (appliedAt - tStop) / 1000 : null,
      directSendFailures: directFailures,
      directFailuresWithOneDown: directFailuresAt.filter((t) => t >= tKill1 && t < tKill2).length,
      httpStatuses: Object.fromEntries(httpStatuses),
      http503ByPhase: {
        healthy: unavailable.filter((u) => u.at < tKill1).length,
        oneBrokerDown: unavailable.filter((u) => u.at >= tKill1 && u.at < tKill2).length,
        twoBrokersDown: unavailable.filter((u) => u.at >= tKill2 && u.at < tRestart).length,
        afterRestart: unavailable.filter((u) => u.at >= tRestart).length,
      },
      retryAfter: [...new Set(unavailable.map((u) => u.retryAfter))],
      missing,
      lostBeforeKill2,
      doubled,
      missingDetail,
      phasesAt: { tWarm, tKill1, tKill2, tRestart, tStop },
      testSeconds: (Date.now() - t0) / 1000,
    });
    // One broker gone: ingest went on through both paths.
    expect(ackedWithOneDown).toBeGreaterThan(0);
    expect(directAcks.some((a) => a.at > tKill1 + leaderMovedSeconds * 1000 && a.at < tKill2)).toBe(true);
    expect(httpAcks.some((a) => a.at > tKill1 + leaderMovedSeconds * 1000 && a.at < tKill2)).toBe(true);
    // Two gone: the HTTP edge refused with 503 and a Retry-After, never another 5xx.
    expect(twoDownUnavailable.length).toBeGreaterThan(0);
    expect(twoDownUnavailable.every((u) => Number(u.retryAfter) > 0)).toBe(true);
    expect([...httpStatuses.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]);
    // Back: every batch was acknowledged in the end, and every acknowledged scan applied once.
    expect(wanted.size).toBe(generated.length);
    expect({ missing, lostBeforeKill2, doubled }).toEqual({ missing: 0, lostBeforeKill2: 0, doubled: 0 });
  });
});
