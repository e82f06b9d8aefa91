import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import { ConsumerGroups, dlqTopic, Topics, topicName } from '@app/contracts';
import { collectEvents, startPortal, waitFor, type EventCollector, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { compareWithOracle, newTrackingNumbers, oracle, scanAt, scanEnvelope } from './support/scans';
import { report, size } from './support/sizes';
import { consumerLag, openDatabase, readParcels, sendAll, testProducer } from './support/stores';

jest.setTimeout(300_000);

const parcelCount = size('FAULTS_POISON_PARCELS', 30);

describe('poison messages on postal.scans', () => {
  let issuer: TestTokenIssuer;
  let portal: Portal | undefined;
  let db: Connection | undefined;
  let dlq: EventCollector | undefined;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(async () => {
    await dlq?.stop();
    await db?.close();
    await portal?.stop();
    await issuer.close();
  });

  it('sends exactly the bad messages to the DLQ with their reasons and applies the good ones', async () => {
    const brokers = process.env.KAFKA_BROKERS ?? '';
    portal = await startPortal({ apps: ['tracking'], env: { AUTH_URL: issuer.baseUrl } });
    db = await openDatabase(portal, 'tracking');
    dlq = await collectEvents(dlqTopic(Topics.PostalScans), { prefix: portal.topicPrefix });

    const numbers = newTrackingNumbers(parcelCount);
    const good = numbers.flatMap((tn) => [0, 1, 2, 3].map((step) => scanAt(tn, step)));
    // The poison shares keys (so partitions) with good scans sent after it.
    type Poison = { key: string; value: string; marker: string; reason: RegExp };
    const poison: Poison[] = numbers.flatMap((tn, i): Poison[] => {
      const marker = randomUUID();
      const wrongDigit = tn.slice(0, -1) + String((Number(tn.at(-1)) + 1) % 10);
      const bad = (data: Record<string, unknown>) => {
        const envelope = scanEnvelope({ ...scanAt(tn, 9), eventId: marker }) as unknown as Record<string, unknown>;
        return JSON.stringify({ ...envelope, data: { ...(envelope.data as object), ...data } });
      };
      switch (i % 5) {
        case 0:
          return [{ key: tn, value: `not json ${marker}`, marker, reason: /json/i }];
        case 1:
          return [{ key: tn, value: JSON.stringify({ hello: marker }), marker, reason: /./ }];
        case 2:
          return [{ key: tn, value: bad({ trackingNumber: wrongDigit }), marker, reason: /check digit/i }];
        case 3:
          return [{ key: tn, value: bad({ code: 'teleported' }), marker, reason: /code/i }];
        default:
          return [
            { key: tn, value: bad({ facility: { name: 'NOWHERE' } }), marker, reason: /facility|city|zip|state/i },
          ];
      }
    });
    const messages: { key: string; value: string }[] = [];
    const firstHalf = good.filter((_, i) => i % 4 < 2);
    const secondHalf = good.filter((_, i) => i % 4 >= 2);
    for (const s of firstHalf) messages.push({ key: s.trackingNumber, value: JSON.stringify(scanEnvelope(s)) });
    for (const p of poison) messages.push({ key: p.key, value: p.value });
    for (const s of secondHalf) messages.push({ key: s.trackingNumber, value: JSON.stringify(scanEnvelope(s)) });

    const producer = testProducer(brokers);
    await producer.connect();
    const t0 = Date.now();
    await sendAll(producer, topicName(Topics.PostalScans, portal.topicPrefix), messages);
    await producer.disconnect();
    await waitFor(
      async () => (await consumerLag(brokers, portal!.topicPrefix, ConsumerGroups.Tracking, Topics.PostalScans)) === 0,
      { timeoutMs: 120_000, intervalMs: 250, description: 'the stream consumed' },
    );
    await waitFor(() => (dlq!.events.length >= poison.length ? true : undefined), {
      timeoutMs: 30_000,
      description: 'every poison message in the DLQ',
    });
    await new Promise((r) => setTimeout(r, 1000));
    const seconds = (Date.now() - t0) / 1000;

    const dlqMarkers = dlq.events.map((e) => {
      const raw = typeof e.value === 'string' ? e.value : JSON.stringify(e.value);
      return { marker: poison.find((p) => raw.includes(p.marker))?.marker, reason: e.headers['x-dlq-reason'] ?? '' };
    });
    const wrongReasons = poison.filter((p) => {
      const hit = dlqMarkers.find((d) => d.marker === p.marker);
      return !hit || !p.reason.test(hit.reason);
    });
    const stored = await readParcels(db, numbers);
    const result = compareWithOracle(oracle(good), stored);
    report('7 poison messages', {
      good: good.length,
      poison: poison.length,
      dlq: dlq.events.length,
      unrecognisedInDlq: dlqMarkers.filter((d) => !d.marker).length,
      wrongOrMissingReasons: wrongReasons.length,
      goodApplied: good.length - result.lost,
      mismatches: result.mismatches.length,
      seconds,
      sampleReasons: [...new Set(dlqMarkers.map((d) => d.reason))].slice(0, 5),
    });
    expect(dlq.events).toHaveLength(poison.length);
    expect(dlqMarkers.filter((d) => !d.marker)).toEqual([]);
    expect(wrongReasons.map((p) => ({ value: p.value.slice(0, 80), expected: String(p.reason) }))).toEqual([]);
    expect(result).toEqual({ mismatches: [], lost: 0, doubled: 0 });
  });
});
