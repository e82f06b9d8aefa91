import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { ConsumerGroups, Topics, topicName, type ScanRecordedData } from '@app/contracts';
import { startPortal, waitFor, type Portal } from '@app/testing';
import type { Connection } from 'mongoose';
import { OwnedPiece } from './support/owned-infra';
import { newTrackingNumbers, scanAt, scanEnvelope } from './support/scans';
import { report, size, sleep, within } from './support/sizes';
import { consumerLag, openDatabase, readParcels, testProducer } from './support/stores';

jest.setTimeout(600_000);

const parcels = size('FAULTS_BROKER_PARCELS', 300);
const downMs = size('FAULTS_BROKER_DOWN_MS', 8000);
const streamMs = size('FAULTS_BROKER_STREAM_MS', 20_000);

describe('Kafka killed -9 and restarted under a steady stream', () => {
  let issuer: TestTokenIssuer;
  let kafka: Awaited<ReturnType<typeof OwnedPiece.kafka>> | undefined;
  let portal: Portal | undefined;
  let db: Connection | undefined;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await db?.close();
    await portal?.stop();
    await kafka?.dispose();
    await issuer.close();
  });

  it('recovers producers and consumers without an app restart and loses no acknowledged scan', async () => {
    kafka = await OwnedPiece.kafka();
    const brokers = kafka.env.KAFKA_BROKERS;
    const credentials = kafka.env.KAFKA_CREDENTIALS_FILE;
    portal = await startPortal({
      apps: ['tracking'],
      env: { AUTH_URL: issuer.baseUrl, KAFKA_BROKERS: brokers, KAFKA_CREDENTIALS_FILE: credentials },
      // A fresh broker creates its offsets topic on the first group join.
      readyTimeoutMs: 180_000,
    });
    db = await openDatabase(portal, 'tracking');
    const prefix = portal.topicPrefix;
    const scanner = await issuer.sign({ sub: 'scanner-key', roles: ['scanner'] });
    const numbers = newTrackingNumbers(parcels);
    const steps = new Map<string, number>();
    const next = (): ScanRecordedData => {
      const tn = numbers[Math.floor(Math.random() * numbers.length)];
      const step = steps.get(tn) ?? 0;
      steps.set(tn, step + 1);
      return scanAt(tn, step);
    };
    let producer = testProducer(brokers, credentials);
    await producer.connect();

    const acked: ScanRecordedData[] = [];
    let kafkaFailures = 0;
    const httpStatuses = new Map<number, number>();
    let stop = false;
    // Direct producers (the postal systems) and the HTTP path (through tracking's own producer).
    const direct = (async () => {
      while (!stop) {
        const batch = Array.from({ length: 20 }, next);
        try {
          // kafkajs' own producer can hang across a broker restart: a send unanswered in 15 s counts
          // as unacknowledged and the producer is replaced.
          const sent = producer.send({
            topic: topicName(Topics.PostalScans, prefix),
            messages: batch.map((s) => ({ key: s.trackingNumber, value: JSON.stringify(scanEnvelope(s)) })),
          });
          const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
          if ((await Promise.race([sent.then(() => 'ok' as const), timedOut])) === 'timeout') {
            sent.catch(() => undefined);
            kafkaFailures++;
            void producer.disconnect().catch(() => undefined);
            producer = testProducer(brokers, credentials);
            await within(15_000, producer.connect(), 'producer connect').catch(() => undefined);
          } else {
            acked.push(...batch);
          }
        } catch {
          kafkaFailures++;
        }
        await sleep(100);
      }
    })();
    const viaHttp = (async () => {
      while (!stop) {
        const batch = Array.from({ length: 5 }, next);
        const status = await fetch(`${portal.urls.tracking}/api/v1/scans`, {
          method: 'POST',
          headers: { authorization: `Bearer ${scanner}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events: batch }),
          signal: AbortSignal.timeout(30_000),
        }).then(
          (r) => r.status,
          () => 0,
        );
        httpStatuses.set(status, (httpStatuses.get(status) ?? 0) + 1);
        if (status === 202) acked.push(...batch);
        await sleep(250);
      }
    })();

    await sleep(streamMs / 4);
    const ackedBeforeKill = acked.length;
    await kafka.kill();
    await sleep(downMs);
    const t0 = Date.now();
    await kafka.start();
    const restartSeconds = (Date.now() - t0) / 1000;
    await sleep(streamMs / 2);
    const ackedAfterRestart = acked.length;
    stop = true;
    await within(60_000, Promise.all([direct, viaHttp]), 'the stream loops').catch((e: Error) =>
      report('5 broker restart', { error: e.message }),
    );
    await within(15_000, producer.disconnect(), 'producer disconnect').catch(() => undefined);

    const wanted = new Set(acked.map((s) => s.eventId));
    let missing = wanted.size;
    await waitFor(
      async () => {
        const lag = consumerLag(brokers, prefix, ConsumerGroups.Tracking, Topics.PostalScans, credentials);
        if ((await within(10_000, lag, 'consumer lag')) !== 0) return false;
        const stored = await within(20_000, readParcels(db!, numbers), 'reading parcels');
        const have = new Set([...stored.values()].flatMap((p) => p.events.map((e) => e.eventId)));
        missing = [...wanted].filter((id) => !have.has(id)).length;
        return missing === 0;
      },
      { timeoutMs: 180_000, intervalMs: 1000, description: 'every acknowledged scan applied' },
    ).catch(() => undefined);
    const stored = await readParcels(db, numbers);
    const doubled = [...stored.values()].reduce(
      (n, p) => n + p.events.length - new Set(p.events.map((e) => e.eventId)).size,
      0,
    );
    report('5 broker restart', {
      acked: wanted.size,
      ackedBeforeKill,
      ackedAfterRestart: ackedAfterRestart - ackedBeforeKill,
      kafkaSendFailures: kafkaFailures,
      httpStatuses: Object.fromEntries(httpStatuses),
      brokerDownMs: downMs,
      brokerRestartSeconds: restartSeconds,
      missing,
      doubled,
    });
    expect(ackedAfterRestart).toBeGreaterThan(ackedBeforeKill);
    expect({ missing, doubled }).toEqual({ missing: 0, doubled: 0 });
    expect([...httpStatuses.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]);
  });
});
