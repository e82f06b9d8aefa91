import { ConsumerGroups, createEnvelope, type EventEnvelope, Topics } from '@app/contracts';
import type { TestingModule } from '@nestjs/testing';
import type { Connection, Model } from 'mongoose';
import { WriteClaims } from '@app/persistence';
import { Redis } from 'ioredis';
import {
  EventConsumer,
  OutboxPendingSet,
  OutboxRelay,
  type RunningConsumer,
  toOutboxEntries,
  withOutbox,
} from '../src';
import { connectMongo, eventually, sleep, startMessaging, uniquePrefix, useSampleEvent } from './support/harness';
import { type Ledger, ledgerModel } from './support/ledger.model';
import { SampleHappenedV1, sampleEvent } from './support/sample-event';

describe('outbox inside the aggregate', () => {
  useSampleEvent();
  const prefix = uniquePrefix('outbox');
  let mongo: Connection;
  let ledgers: Model<Ledger>;
  let consumerModule: TestingModule;
  let running: RunningConsumer;
  const received: EventEnvelope[] = [];
  const receivedIds = () => received.map((e) => e.id);

  beforeAll(async () => {
    mongo = await connectMongo(prefix);
    ledgers = ledgerModel(mongo);
    consumerModule = await startMessaging(prefix, { outbox: { sweepIntervalMs: 0 } });
    running = await consumerModule.get(EventConsumer).run({
      groupId: ConsumerGroups.Notifications,
      topics: [Topics.Tracking],
      handle: (envelope) => {
        received.push(envelope);
        return Promise.resolve();
      },
    });
  });

  afterAll(async () => {
    await running?.stop();
    await consumerModule?.close();
    await mongo?.dropDatabase();
    await mongo?.close();
  });

  describe('with the immediate flush', () => {
    let moduleRef: TestingModule;
    let relay: OutboxRelay;
    beforeAll(async () => {
      moduleRef = await startMessaging(prefix, { outbox: { sweepIntervalMs: 0 } });
      relay = moduleRef.get(OutboxRelay);
      relay.watch(ledgers);
    });
    afterAll(() => moduleRef?.close());

    it('publishes the events stored with a new document, then removes exactly those', async () => {
      const created = sampleEvent('flush-1', 2);
      await ledgers.create({ _id: 'flush-1', total: 2, outbox: toOutboxEntries([created]) });
      await relay.flush(ledgers, ['flush-1']);

      await eventually(() => receivedIds().includes(created.id), 30_000, 'the created event');
      expect((await ledgers.findById('flush-1').lean())?.outbox).toEqual([]);
    });

    it('publishes the events pushed by an update in the same write as the change', async () => {
      await ledgers.create({ _id: 'flush-2', total: 0 });
      const events = [sampleEvent('flush-2', 1), sampleEvent('flush-2', 2)];
      await ledgers.updateOne({ _id: 'flush-2' }, withOutbox({ $inc: { total: 3 } }, events));
      const stored = await ledgers.findById('flush-2').lean();
      expect(stored?.total).toBe(3);
      expect(stored?.outbox.map((e) => e.id)).toEqual(events.map((e) => e.id));

      await relay.flush(ledgers, ['flush-2']);
      await eventually(() => events.every((e) => receivedIds().includes(e.id)), 30_000, 'both events');
      expect((await ledgers.findById('flush-2').lean())?.outbox).toEqual([]);
      const delivered = received.filter((e) => e.key === 'flush-2').map((e) => e.id);
      expect(delivered).toEqual(events.map((e) => e.id));
    });
    it('removes only what it published and keeps an entry it cannot publish', async () => {
      const good = sampleEvent('flush-3', 1);
      const unknown = { ...sampleEvent('flush-3', 1), type: 'NotRegisteredHere' };
      await ledgers.collection.insertOne({ _id: 'flush-3', total: 1, outbox: [good, unknown] } as never);
      await relay.flush(ledgers, ['flush-3']);

      await eventually(() => receivedIds().includes(good.id), 30_000, 'the valid event');
      expect((await ledgers.findById('flush-3').lean())?.outbox).toEqual([unknown]);
    });
    it('drains a backlog far over the broker message size limit (3,000 events of ~1 KB)', async () => {
      const docIds = Array.from({ length: 30 }, (_, d) => `backlog-${d}`);
      const padding = 'p'.repeat(900);
      const byDoc = docIds.map((id) =>
        Array.from({ length: 100 }, (_, i) =>
          createEnvelope({
            type: SampleHappenedV1.type,
            version: SampleHappenedV1.version,
            key: id,
            data: { aggregateId: `${id}-${i}-${padding}`, amount: i },
            source: 'messaging-e2e',
          }),
        ),
      );
      const all = byDoc.flat();
      expect(all.reduce((n, e) => n + JSON.stringify(e).length, 0)).toBeGreaterThan(3 * 1024 * 1024);
      await ledgers.insertMany(docIds.map((id, d) => ({ _id: id, total: 0, outbox: toOutboxEntries(byDoc[d]) })));

      await relay.flush(ledgers, docIds);

      const pending = new Set(all.map((e) => e.id));
      await eventually(
        () => {
          for (const e of received) pending.delete(e.id);
          return pending.size === 0;
        },
        60_000,
        'all 3,000 events',
      );
      const left = await ledgers.find({ _id: { $in: docIds } }, { outbox: 1 }).lean();
      expect(left).toHaveLength(docIds.length);
      expect(left.every((doc) => doc.outbox.length === 0)).toBe(true);
      const delivered = received.filter((e) => e.key === 'backlog-7').map((e) => e.id);
      expect(delivered).toEqual(byDoc[7].map((e) => e.id));
    });
  });

  describe('after a crash between the write and the publish (OUTBOX_CRASH_AFTER_WRITE)', () => {
    let moduleRef: TestingModule;
    let relay: OutboxRelay;
    beforeAll(async () => {
      moduleRef = await startMessaging(prefix, {
        outbox: { crashAfterWrite: true, sweepIntervalMs: 300, sweepMinAgeMs: 1_000 },
      });
      relay = moduleRef.get(OutboxRelay);
      relay.watch(ledgers);
    });
    afterAll(() => moduleRef?.close());

    it('leaves the events in the document, and the sweep publishes them', async () => {
      const lost = sampleEvent('crash-1', 4);
      await ledgers.create({ _id: 'crash-1', total: 4, outbox: toOutboxEntries([lost]) });
      await relay.flush(ledgers, ['crash-1']);
      await sleep(300);
      // Younger than sweepMinAgeMs: nothing published yet, the entry is still pending.
      expect(receivedIds()).not.toContain(lost.id);
      expect((await ledgers.findById('crash-1').lean())?.outbox.map((e) => e.id)).toEqual([lost.id]);

      await eventually(() => receivedIds().includes(lost.id), 30_000, 'the swept event');
      await eventually(
        async () => (await ledgers.findById('crash-1').lean())?.outbox.length === 0,
        10_000,
        'the outbox to empty',
      );
      expect(received.filter((e) => e.id === lost.id)).toHaveLength(1);
    });
  });

  describe('with a pending set in Redis', () => {
    let moduleRef: TestingModule;
    let relay: OutboxRelay;
    let redis: Redis;
    let pending: OutboxPendingSet;
    let parcels: Model<Ledger>;
    const key = `${prefix}:outbox-pending`;
    beforeAll(async () => {
      // The flush after a write does nothing, as if the process died right after the write.
      moduleRef = await startMessaging(prefix, {
        outbox: { crashAfterWrite: true, sweepIntervalMs: 0, sweepMinAgeMs: 0 },
      });
      relay = moduleRef.get(OutboxRelay);
      parcels = ledgerModel(mongo, 'pending_ledgers');
      redis = new Redis(process.env.REDIS_URL ?? '');
      pending = new OutboxPendingSet(redis, key);
      relay.watch(parcels, { lock: WriteClaims.of(parcels), pending });
    });
    afterAll(async () => {
      await redis?.del(key);
      redis?.disconnect();
      await moduleRef?.close();
    });

    /** Writes a document with one event as a writer does (mark, then write), then "crashes". */
    async function crashAfterWrite(id: string, mark = true) {
      const event = sampleEvent(id, 1);
      if (mark) await relay.markPending(parcels, [id]);
      await parcels.create({ _id: id, total: 1, outbox: toOutboxEntries([event]) });
      await relay.flushWritten(parcels, [{ _id: id, outbox: [event] }], { locksHeld: true });
      return event;
    }

    it('publishes what a crash left by reading only the marked documents', async () => {
      await parcels.create({ _id: 'pending-quiet', total: 0 });
      // The first pass reads the collection whole and marks the set complete.
      await relay.sweep();
      expect((await pending.sample(10)).complete).toBe(true);

      const lost = await crashAfterWrite('pending-1');
      expect(await redis.sismember(key, 'pending-1')).toBe(1);
      const scans = jest.spyOn(parcels.collection, 'find');
      await expect(relay.sweep()).resolves.toEqual({ published: 1, more: false });
      const scanned = scans.mock.calls.length;
      scans.mockRestore();
      expect(scanned).toBe(0);
      await eventually(() => receivedIds().includes(lost.id), 30_000, 'the swept event');
      expect((await parcels.findById('pending-1').lean())?.outbox).toEqual([]);
      expect(await redis.sismember(key, 'pending-1')).toBe(0);
      await expect(relay.sweep()).resolves.toEqual({ published: 0, more: false });
      expect(received.filter((e) => e.id === lost.id)).toHaveLength(1);
    });

    it('reads the collection whole again once Redis lost the set', async () => {
      await relay.sweep();
      await redis.del(key);
      // Unmarked: the mark went with the set.
      const lost = await crashAfterWrite('pending-2', false);
      const scans = jest.spyOn(parcels.collection, 'find');
      await expect(relay.sweep()).resolves.toEqual({ published: 1, more: false });
      const scanned = scans.mock.calls.length;
      scans.mockRestore();
      expect(scanned).toBe(1);
      await eventually(() => receivedIds().includes(lost.id), 30_000, 'the swept event');
      expect((await pending.sample(10)).complete).toBe(true);
    });

    it('finds an unmarked leftover in the full pass even while the set says it is complete', async () => {
      await relay.sweep();
      const lost = await crashAfterWrite('pending-3', false);
      await expect(relay.sweep()).resolves.toEqual({ published: 0, more: false });
      await expect(relay.sweep({ full: true })).resolves.toEqual({ published: 1, more: false });
      await eventually(() => receivedIds().includes(lost.id), 30_000, 'the swept event');
    });

    it('is not complete in a Redis run other than the one whose full pass marked it (a restart may lose marks)', async () => {
      await relay.sweep();
      expect((await pending.sample(10)).complete).toBe(true);
      const marks = (await redis.smembers(key)).filter((m) => m.startsWith('\u0000complete:'));
      expect(marks).toHaveLength(1);
      // As the set reads after a restart from the AOF: marked complete by the run before.
      await redis.srem(key, marks[0]);
      await redis.sadd(key, '\u0000complete:0000000000000000000000000000000000000000');
      expect((await pending.sample(10)).complete).toBe(false);
      expect((await pending.membership([])).complete).toBe(false);
      await relay.sweep();
      expect((await pending.membership([])).complete).toBe(true);
    });
  });

  describe('pruned by the next write', () => {
    let moduleRef: TestingModule;
    let relay: OutboxRelay;
    let redis: Redis;
    let pending: OutboxPendingSet;
    let docs: Model<Ledger>;
    const key = `${prefix}:outbox-pending-pruned`;
    const raw = () => docs.collection;
    const storedOf = async (id: string) =>
      (await raw().findOne({ _id: id } as never)) as unknown as { outbox: { id: string }[]; outboxUnmarked?: boolean };
    beforeAll(async () => {
      moduleRef = await startMessaging(prefix, { outbox: { sweepIntervalMs: 0, sweepMinAgeMs: 0 } });
      relay = moduleRef.get(OutboxRelay);
      docs = ledgerModel(mongo, 'pruned_ledgers');
      redis = new Redis(process.env.REDIS_URL ?? '');
      pending = new OutboxPendingSet(redis, key);
      relay.watch(docs, { lock: WriteClaims.of(docs), pending, prunedByNextWrite: true });
      // Complete from here on (an empty collection).
      await relay.sweep();
    });
    afterAll(async () => {
      await redis?.del(key);
      redis?.disconnect();
      await moduleRef?.close();
    });

    /** A write as the collection's writer makes it, under its claims: mark, write, flush. */
    async function write(id: string, unmarked = false) {
      const event = sampleEvent(id, 1);
      if (!unmarked) await relay.markPending(docs, [id]);
      await raw().insertOne({
        _id: id,
        total: 1,
        outbox: toOutboxEntries([event]),
        ...(unmarked ? { outboxUnmarked: true } : {}),
      } as never);
      await relay.flushWritten(docs, [{ _id: id, outbox: [event] }], { locksHeld: true });
      await eventually(() => receivedIds().includes(event.id), 30_000, 'the written event');
      return event;
    }

    it('leaves the published entries in the document and takes it out of the set', async () => {
      const event = await write('pruned-1');
      expect((await storedOf('pruned-1')).outbox.map((e) => e.id)).toEqual([event.id]);
      expect(await redis.sismember(key, 'pruned-1')).toBe(0);
      expect([...(await relay.unpublishedAmong(docs, ['pruned-1']))]).toEqual([]);
      await relay.markPending(docs, ['pruned-1']);
      expect([...(await relay.unpublishedAmong(docs, ['pruned-1']))]).toEqual(['pruned-1']);
      await pending.remove(['pruned-1']);
    });

    it('reads only the flagged documents in the full pass of a complete set, and unflags them', async () => {
      const quiet = await write('pruned-2');
      const flagged = await write('pruned-3', true);
      await expect(relay.sweep({ full: true })).resolves.toEqual({ published: 1, more: false });
      await eventually(
        () => received.filter((e) => e.id === flagged.id).length === 2,
        30_000,
        'the flagged event again',
      );
      expect((await storedOf('pruned-3')).outboxUnmarked).toBeUndefined();
      expect((await storedOf('pruned-3')).outbox).toEqual([]);
      expect((await storedOf('pruned-2')).outbox.map((e) => e.id)).toEqual([quiet.id]);
      await sleep(500);
      expect(received.filter((e) => e.id === quiet.id)).toHaveLength(1);
    });

    it('publishes every document with entries once after Redis lost the set', async () => {
      const before = await storedOf('pruned-2');
      await redis.del(key);
      const swept = await relay.sweep();
      expect(swept.published).toBeGreaterThanOrEqual(1);
      await eventually(
        () => received.filter((e) => e.id === before.outbox[0].id).length === 2,
        30_000,
        'the published entry once more',
      );
      expect((await pending.membership([])).complete).toBe(true);
      expect((await storedOf('pruned-2')).outbox).toEqual([]);
    });
  });
});
