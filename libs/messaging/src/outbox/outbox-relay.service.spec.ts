import { computeImpbCheckDigit, createEnvelope, ScanRecordedV1 } from '@app/contracts';
import type { Model } from 'mongoose';
import type { EventPublisher } from '../event-publisher.service';
import type { ResolvedMessagingOptions } from '../messaging.options';
import { type DocumentLock, KeyedLock } from '@app/persistence';
import { type OutboxPendingDocuments, PendingSetUnavailableError } from './outbox-pending-set';
import { OutboxRelay } from './outbox-relay.service';

const options = {
  outbox: { sweepIntervalMs: 0, retryIntervalMs: 1000, sweepMinAgeMs: 0, sweepBatchSize: 100, crashAfterWrite: false },
} as unknown as ResolvedMessagingOptions;

const TN = ScanRecordedV1.example.trackingNumber;
/** Another valid number: the body of TN with its last digit changed, and its check digit. */
const TN2 = `${TN.slice(0, -2)}${(Number(TN.at(-2)) + 1) % 10}`;
const OTHER = `${TN2}${computeImpbCheckDigit(TN2)}`;

function entry(trackingNumber: string) {
  return createEnvelope({
    type: ScanRecordedV1.type,
    version: 1,
    key: trackingNumber,
    source: 'spec',
    data: { ...ScanRecordedV1.example, trackingNumber },
  });
}

/** A collection that records its bulk writes, and the relay under test. */
function setUp() {
  const log: string[] = [];
  const stored = new Map<string, { _id: string; outbox: unknown[] }>();
  const collection = {
    collectionName: 'parcels',
    findOne: jest.fn(({ _id }: { _id: string }) => Promise.resolve(stored.get(_id) ?? null)),
    // The sweep's query: every stored document holding entries (the fake ignores filter and limit).
    find: jest.fn(() => ({ toArray: () => Promise.resolve([...stored.values()].filter((d) => d.outbox.length > 0)) })),
    bulkWrite: jest.fn((ops: { updateOne: { filter: { _id: string } } }[]) => {
      log.push(`pull ${ops.map((o) => o.updateOne.filter._id).join(',')}`);
      return Promise.resolve({});
    }),
  };
  const publisher = { publish: jest.fn(() => Promise.resolve()) };
  const relay = new OutboxRelay(publisher as unknown as EventPublisher, options);
  const model = { collection } as unknown as Model<unknown>;
  return { log, collection, publisher, relay, model, stored };
}

describe('OutboxRelay', () => {
  it('removes published entries only while no other writer holds the document', async () => {
    const { log, relay, model, publisher } = setUp();
    const lock = new KeyedLock();
    relay.watch(model, { lock });
    let releaseWriter!: () => void;
    const writerHolds = new Promise<void>((resolve) => (releaseWriter = resolve));
    const writer = lock.runExclusive([TN], async () => {
      log.push('writer read');
      await writerHolds;
      log.push('writer wrote');
    });

    const flushed = relay.flushWritten(model, [{ _id: TN, outbox: [entry(TN)] }]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(publisher.publish).toHaveBeenCalledTimes(1);
    expect(log).toEqual(['writer read']);

    releaseWriter();
    await Promise.all([writer, flushed]);
    expect(log).toEqual(['writer read', 'writer wrote', `pull ${TN}`]);
  });

  it('does not wait for locks of other documents', async () => {
    const { log, relay, model } = setUp();
    const lock = new KeyedLock();
    relay.watch(model, { lock });
    let releaseWriter!: () => void;
    const writer = lock.runExclusive(['OTHER'], () => new Promise<void>((resolve) => (releaseWriter = resolve)));

    await relay.flushWritten(model, [{ _id: TN, outbox: [entry(TN)] }]);
    expect(log).toEqual([`pull ${TN}`]);
    releaseWriter();
    await writer;
  });

  it('leaves invalid entries in place and publishes the valid ones', async () => {
    const { relay, model, publisher, collection } = setUp();
    relay.watch(model);
    const good = entry(TN);
    await relay.flushWritten(model, [{ _id: TN, outbox: [good, { id: 'broken' }] }]);
    expect(publisher.publish).toHaveBeenCalledWith([good]);
    expect(collection.bulkWrite).toHaveBeenCalledWith(
      [{ updateOne: { filter: { _id: TN }, update: { $pullAll: { outbox: [good] } } } }],
      { ordered: false },
    );
  });

  it('remembers a failed flush and publishes it on retry by reading only that document', async () => {
    const { relay, model, publisher, collection, stored } = setUp();
    relay.watch(model);
    const event = entry(TN);
    stored.set(TN, { _id: TN, outbox: [event] });
    publisher.publish.mockRejectedValueOnce(new Error('broker down'));

    await relay.flushWritten(model, [{ _id: TN, outbox: [event] }]);
    expect(collection.bulkWrite).not.toHaveBeenCalled();

    await expect(relay.retryFailed()).resolves.toBe(1);
    expect(collection.findOne).toHaveBeenCalledWith({ _id: TN }, { projection: { outbox: 1 } });
    expect(publisher.publish).toHaveBeenLastCalledWith([event]);
    expect(collection.bulkWrite).toHaveBeenCalledTimes(1);
    // Published once: nothing is left to retry.
    await expect(relay.retryFailed()).resolves.toBe(0);
  });

  it('sweeps past documents a writer of this process holds, and publishes the others', async () => {
    const { relay, model, publisher, stored } = setUp();
    const lock = new KeyedLock();
    relay.watch(model, { lock });
    const held = entry(OTHER);
    const left = entry(TN);
    stored.set(OTHER, { _id: OTHER, outbox: [held] });
    stored.set(TN, { _id: TN, outbox: [left] });
    let releaseWriter!: () => void;
    const writer = lock.runExclusive([OTHER], () => new Promise<void>((resolve) => (releaseWriter = resolve)));

    // The writer flushes its own entries once it has written: the sweep publishes only the other one.
    await expect(relay.sweep()).resolves.toEqual({ published: 1, more: false });
    expect(publisher.publish).toHaveBeenCalledTimes(1);
    expect(publisher.publish).toHaveBeenLastCalledWith([left]);
    releaseWriter();
    await writer;

    // Once the writer is gone, an entry it left behind (it crashed before its flush) is swept.
    stored.delete(TN);
    await expect(relay.sweep()).resolves.toEqual({ published: 1, more: false });
    expect(publisher.publish).toHaveBeenLastCalledWith([held]);
  });

  it('reads a document the sweep passed over again once its writer lets go, not at the next sweep', async () => {
    const { relay, model, publisher, stored, collection } = setUp();
    const lock = new KeyedLock();
    relay.watch(model, { lock });
    // Left by a crashed process; the writer that holds it now (a redelivered batch) changes nothing.
    const leftover = entry(TN);
    stored.set(TN, { _id: TN, outbox: [leftover] });
    let releaseWriter!: () => void;
    const writer = lock.runExclusive([TN], () => new Promise<void>((resolve) => (releaseWriter = resolve)));

    await expect(relay.sweep()).resolves.toEqual({ published: 0, more: false });
    // Still held: the retry tick waits for the writer.
    await expect(relay.retryFailed()).resolves.toBe(0);
    expect(collection.findOne).not.toHaveBeenCalled();
    releaseWriter();
    await writer;

    await expect(relay.retryFailed()).resolves.toBe(1);
    expect(collection.findOne).toHaveBeenCalledWith({ _id: TN }, { projection: { outbox: 1 } });
    expect(publisher.publish).toHaveBeenLastCalledWith([leftover]);
    await expect(relay.retryFailed()).resolves.toBe(0);
  });

  it('leaves out of a sweep the documents a flush of this process emptied while the sweep read', async () => {
    const { relay, model, publisher, stored, collection } = setUp();
    relay.watch(model, { lock: new KeyedLock() });
    const event = entry(TN);
    stored.set(TN, { _id: TN, outbox: [event] });
    // The read answers with the document as it was, after the writer's flush removed its entry.
    let answer!: (docs: { _id: string; outbox: unknown[] }[]) => void;
    collection.find.mockReturnValueOnce({ toArray: () => new Promise((resolve) => (answer = resolve)) });
    const sweeping = relay.sweep();
    await relay.flushWritten(model, [{ _id: TN, outbox: [event] }]);
    answer([{ _id: TN, outbox: [event] }]);

    await expect(sweeping).resolves.toEqual({ published: 0, more: false });
    expect(publisher.publish).toHaveBeenCalledTimes(1);
  });

  it('keeps the ids for the next retry when the retry fails too', async () => {
    const { relay, model, publisher, stored } = setUp();
    relay.watch(model);
    const event = entry(TN);
    stored.set(TN, { _id: TN, outbox: [event] });
    publisher.publish.mockRejectedValueOnce(new Error('broker down')).mockRejectedValueOnce(new Error('still down'));

    await relay.flush(model, [TN]);
    await expect(relay.retryFailed()).rejects.toThrow('still down');
    await expect(relay.retryFailed()).resolves.toBe(1);
  });
});

/** A pending set in memory, with the Redis one's rules: a marker per full pass, completeness as a member. */
class MemoryPendingSet implements OutboxPendingDocuments {
  readonly members = new Set<string>();
  complete = false;
  down = false;
  private markers = new Set<string>();

  add(ids: readonly string[]): Promise<void> {
    return this.run(() => ids.forEach((id) => this.members.add(id)));
  }
  remove(ids: readonly string[]): Promise<void> {
    return this.run(() => ids.forEach((id) => this.members.delete(id)));
  }
  sample(count: number): Promise<{ complete: boolean; ids: string[] }> {
    return this.run(() => ({ complete: this.complete, ids: [...this.members].slice(0, count) }));
  }
  membership(ids: readonly string[]): Promise<{ complete: boolean; members: boolean[] }> {
    return this.run(() => ({ complete: this.complete, members: ids.map((id) => this.members.has(id)) }));
  }
  beginFullPass(): Promise<string> {
    return this.run(() => {
      const marker = `m${this.markers.size}`;
      this.markers.add(marker);
      return marker;
    });
  }
  endFullPass(marker: string, complete: boolean): Promise<boolean> {
    return this.run(() => {
      const survived = this.markers.delete(marker);
      if (complete && survived) this.complete = true;
      return complete && survived;
    });
  }
  /** What a FLUSHALL does: members, markers and the completeness mark go. */
  lose(): void {
    this.members.clear();
    this.markers.clear();
    this.complete = false;
  }
  private run<T>(fn: () => T): Promise<T> {
    if (this.down) return Promise.reject(new PendingSetUnavailableError('memory', new Error('Connection is closed')));
    return Promise.resolve(fn());
  }
}

describe('OutboxRelay with a pending set', () => {
  /** Like setUp, with a store that applies the relay's `$pullAll`. */
  function setUpPending() {
    const base = setUp();
    const { collection, stored, log } = base;
    collection.bulkWrite.mockImplementation(
      (ops: { updateOne: { filter: { _id: string }; update?: { $pullAll: { outbox: unknown[] } } } }[]) => {
        for (const op of ops) {
          const doc = stored.get(op.updateOne.filter._id);
          const pulled = op.updateOne.update?.$pullAll.outbox ?? [];
          if (doc) doc.outbox = doc.outbox.filter((e) => !pulled.includes(e));
        }
        log.push(`pull ${ops.map((o) => o.updateOne.filter._id).join(',')}`);
        return Promise.resolve({});
      },
    );
    const pending = new MemoryPendingSet();
    const lock = new KeyedLock();
    base.relay.watch(base.model, { lock, pending });
    return { ...base, pending, lock };
  }

  it('refuses a pending set without the documents lock', () => {
    const { relay, model } = setUp();
    expect(() => relay.watch(model, { pending: new MemoryPendingSet() })).toThrow(/needs the documents' lock/);
  });

  it('reads only the members once a full pass has made the set complete', async () => {
    const { relay, model, publisher, stored, collection, pending } = setUpPending();
    const leftover = entry(TN);
    stored.set(TN, { _id: TN, outbox: [leftover] });

    // First pass: the set is not complete, so the whole collection is read; the document is published and settled.
    await expect(relay.sweep()).resolves.toEqual({ published: 1, more: false });
    expect(collection.find).toHaveBeenCalledTimes(1);
    expect(pending.complete).toBe(true);
    expect(pending.members.size).toBe(0);

    // A crash between the mark and the flush: the next pass reads that document by _id, not the collection.
    const crashed = entry(OTHER);
    await relay.markPending(model, [OTHER]);
    stored.set(OTHER, { _id: OTHER, outbox: [crashed] });
    await expect(relay.sweep()).resolves.toEqual({ published: 1, more: false });
    expect(collection.find).toHaveBeenCalledTimes(1);
    expect(collection.findOne).toHaveBeenCalledWith({ _id: OTHER }, { projection: { outbox: 1 } });
    expect(publisher.publish).toHaveBeenLastCalledWith([crashed]);
    expect(pending.members.size).toBe(0);
  });

  it('reads the whole collection when asked for the full pass', async () => {
    const { relay, stored, collection, pending } = setUpPending();
    pending.complete = true;
    // Not a member: its mark was lost (Redis' last second before a crash).
    stored.set(TN, { _id: TN, outbox: [entry(TN)] });
    await expect(relay.sweep()).resolves.toEqual({ published: 0, more: false });
    await expect(relay.sweep({ full: true })).resolves.toEqual({ published: 1, more: false });
    expect(collection.find).toHaveBeenCalledTimes(1);
  });

  it('reads the whole collection again after Redis lost the set, and not after', async () => {
    const { relay, model, stored, collection, pending } = setUpPending();
    await relay.sweep();
    expect(pending.complete).toBe(true);
    await relay.markPending(model, [TN]);
    stored.set(TN, { _id: TN, outbox: [entry(TN)] });
    pending.lose();

    await expect(relay.sweep()).resolves.toEqual({ published: 1, more: false });
    expect(collection.find).toHaveBeenCalledTimes(2);
    await relay.sweep();
    expect(collection.find).toHaveBeenCalledTimes(2);
  });

  it('does not mark the set complete when Redis lost it during the full pass', async () => {
    const { relay, stored, collection, pending } = setUpPending();
    stored.set(TN, { _id: TN, outbox: [entry(TN)] });
    collection.find.mockImplementationOnce(() => {
      pending.lose();
      return { toArray: () => Promise.resolve([...stored.values()].filter((d) => d.outbox.length > 0)) };
    });
    await expect(relay.sweep()).resolves.toEqual({ published: 1, more: false });
    expect(pending.complete).toBe(false);
  });

  it('keeps the member of a document whose entries are too young or invalid', async () => {
    const { relay, model, stored, pending } = setUpPending();
    pending.complete = true;
    await relay.markPending(model, [TN]);
    stored.set(TN, { _id: TN, outbox: [entry(TN), { id: 'broken' }] });
    await expect(relay.sweep()).resolves.toEqual({ published: 1, more: false });
    expect(stored.get(TN)?.outbox).toEqual([{ id: 'broken' }]);
    expect([...pending.members]).toEqual([TN]);
  });

  it('leaves a member a writer of this process holds to that writer', async () => {
    const { relay, model, stored, pending, publisher, lock } = setUpPending();
    pending.complete = true;
    await relay.markPending(model, [TN]);
    stored.set(TN, { _id: TN, outbox: [entry(TN)] });
    let releaseWriter!: () => void;
    const writer = lock.runExclusive([TN], () => new Promise<void>((resolve) => (releaseWriter = resolve)));

    await expect(relay.sweep()).resolves.toEqual({ published: 0, more: false });
    expect(publisher.publish).not.toHaveBeenCalled();
    expect([...pending.members]).toEqual([TN]);
    await expect(relay.retryFailed()).resolves.toBe(0);
    releaseWriter();
    await writer;
    // Once the writer lets go, the retry tick reads it, not the next sweep.
    await expect(relay.retryFailed()).resolves.toBe(1);
  });

  it("removes a member after the writer's own flush under its locks, not after a flush without them", async () => {
    const { relay, model, stored, pending, lock } = setUpPending();
    const event = entry(TN);
    await lock.runExclusive([TN], async () => {
      await relay.markPending(model, [TN]);
      stored.set(TN, { _id: TN, outbox: [event] });
      await relay.flushWritten(model, [{ _id: TN, outbox: [event] }], { locksHeld: true });
    });
    expect(pending.members.size).toBe(0);

    const second = entry(TN);
    await relay.markPending(model, [TN]);
    stored.set(TN, { _id: TN, outbox: [second] });
    await relay.flushWritten(model, [{ _id: TN, outbox: [second] }]);
    expect([...pending.members]).toEqual([TN]);
  });

  it('lets the write go on unmarked when Redis is down, and sweeps the whole collection meanwhile', async () => {
    const { relay, model, stored, collection, pending } = setUpPending();
    pending.complete = true;
    pending.down = true;
    await expect(relay.markPending(model, [TN])).resolves.toBe(false);
    stored.set(TN, { _id: TN, outbox: [entry(TN)] });
    await expect(relay.sweep()).resolves.toEqual({ published: 1, more: false });
    expect(collection.find).toHaveBeenCalledTimes(1);
  });

  it('starts with the members of a complete set, not the whole collection (an instance started under load)', async () => {
    // Another instance's full pass made the set complete; then a crash left an entry on a member.
    const { relay: other, model, publisher, stored, collection, pending } = setUpPending();
    await other.sweep({ full: true });
    expect(pending.complete).toBe(true);
    const crashed = entry(TN);
    await other.markPending(model, [TN]);
    stored.set(TN, { _id: TN, outbox: [crashed] });
    collection.find.mockClear();

    jest.useFakeTimers();
    try {
      const timed = {
        outbox: { ...options.outbox, sweepIntervalMs: 1000, fullSweepIntervalMs: 10_000 },
      } as unknown as ResolvedMessagingOptions;
      const relay = new OutboxRelay(publisher as unknown as EventPublisher, timed);
      relay.watch(model, { lock: new KeyedLock(), pending });
      relay.start();
      await jest.advanceTimersByTimeAsync(1_300);
      expect(publisher.publish).toHaveBeenLastCalledWith([crashed]);
      expect(stored.get(TN)?.outbox).toEqual([]);
      expect(collection.find).not.toHaveBeenCalled();
      // The first full pass comes a full interval (±20 %) after start.
      await jest.advanceTimersByTimeAsync(12_000);
      expect(collection.find).toHaveBeenCalledTimes(1);
      await relay.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads the collection of an incomplete set whole at start, then every fullSweepIntervalMs, and only the members in between', async () => {
    jest.useFakeTimers();
    try {
      const { collection, model, publisher } = setUp();
      const timed = {
        outbox: { ...options.outbox, sweepIntervalMs: 1000, fullSweepIntervalMs: 10_000 },
      } as unknown as ResolvedMessagingOptions;
      const relay = new OutboxRelay(publisher as unknown as EventPublisher, timed);
      const pending = new MemoryPendingSet();
      relay.watch(model, { lock: new KeyedLock(), pending });
      relay.start();
      await jest.advanceTimersByTimeAsync(1_300);
      expect(collection.find).toHaveBeenCalledTimes(1);
      expect(pending.complete).toBe(true);
      // Passes every second (±20 %) in between read the set only.
      await jest.advanceTimersByTimeAsync(7_000);
      expect(collection.find).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(5_000);
      expect(collection.find).toHaveBeenCalledTimes(2);
      await relay.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('does nothing for a collection without a pending set', async () => {
    const { relay, model } = setUp();
    relay.watch(model);
    await expect(relay.markPending(model, [TN])).resolves.toBe(true);
  });
});

describe('OutboxRelay with a collection pruned by the next write', () => {
  type Stored = { _id: string; outbox: unknown[]; outboxUnmarked?: boolean };
  type Op = {
    updateOne: {
      filter: { _id: string };
      update: { $pullAll?: { outbox: unknown[] }; $unset?: Record<string, string> };
    };
  };

  /** Like setUp, with a store that answers the relay's filters and applies its `$pullAll` and `$unset`. */
  function setUpPruned() {
    const base = setUp();
    const stored = base.stored as Map<string, Stored>;
    const { collection, log } = base;
    const reads: unknown[] = [];
    collection.find.mockImplementation(((filter: Record<string, unknown>) => {
      reads.push(filter);
      const flaggedOnly = 'outboxUnmarked' in filter;
      const either = '$or' in filter;
      const docs = [...stored.values()].filter((d) =>
        either
          ? d.outboxUnmarked === true || d.outbox.length > 0
          : flaggedOnly
            ? d.outboxUnmarked === true
            : d.outbox.length > 0,
      );
      return { toArray: () => Promise.resolve(docs) };
    }) as never);
    collection.bulkWrite.mockImplementation(((ops: Op[]) => {
      for (const { updateOne } of ops) {
        const doc = stored.get(updateOne.filter._id);
        if (!doc) continue;
        const pulled = updateOne.update.$pullAll?.outbox;
        if (pulled) {
          doc.outbox = doc.outbox.filter((e) => !pulled.includes(e));
          log.push(`pull ${doc._id}`);
        }
        if (updateOne.update.$unset?.outboxUnmarked !== undefined) {
          delete doc.outboxUnmarked;
          log.push(`unflag ${doc._id}`);
        }
      }
      return Promise.resolve({});
    }) as never);
    const pending = new MemoryPendingSet();
    const lock = new KeyedLock();
    base.relay.watch(base.model, { lock, pending, prunedByNextWrite: true });
    return { ...base, stored, pending, lock, reads };
  }

  it('refuses the mode without a pending set', () => {
    const { relay, model } = setUp();
    expect(() => relay.watch(model, { lock: new KeyedLock(), prunedByNextWrite: true })).toThrow(/needs a pending set/);
  });

  it('publishes a written outbox and removes the members, leaving the entries in the documents', async () => {
    const { relay, model, publisher, stored, pending, log } = setUpPruned();
    const written = entry(TN);
    await relay.markPending(model, [TN]);
    stored.set(TN, { _id: TN, outbox: [written] });
    await relay.flushWritten(model, [{ _id: TN, outbox: [written] }], { locksHeld: true });
    expect(publisher.publish).toHaveBeenCalledWith([written]);
    expect(log).toEqual([]);
    expect(stored.get(TN)?.outbox).toEqual([written]);
    expect(pending.members.has(TN)).toBe(false);
  });

  it('keeps a member that holds an entry it cannot publish', async () => {
    const { relay, model, pending } = setUpPruned();
    await relay.markPending(model, [TN]);
    await relay.flushWritten(model, [{ _id: TN, outbox: [entry(TN), { id: 'bad' }] }], { locksHeld: true });
    expect(pending.members.has(TN)).toBe(true);
  });

  it('names the members as holding unpublished entries, and every document when the set is not complete or Redis is down', async () => {
    const { relay, model, pending } = setUpPruned();
    pending.complete = true;
    await relay.markPending(model, [TN]);
    expect([...(await relay.unpublishedAmong(model, [TN, OTHER]))]).toEqual([TN]);
    pending.down = true;
    expect([...(await relay.unpublishedAmong(model, [TN, OTHER]))]).toEqual([TN, OTHER]);
    pending.down = false;
    pending.lose();
    expect([...(await relay.unpublishedAmong(model, [TN, OTHER]))]).toEqual([TN, OTHER]);
  });

  it('answers false to a mark Redis refused (the write then flags the document)', async () => {
    const { relay, model, pending } = setUpPruned();
    pending.down = true;
    await expect(relay.markPending(model, [TN])).resolves.toBe(false);
  });

  it('names every document as holding unpublished entries in a collection not pruned by the next write', async () => {
    const { relay, model } = setUp();
    relay.watch(model, { lock: new KeyedLock(), pending: new MemoryPendingSet() });
    expect([...(await relay.unpublishedAmong(model, [TN, OTHER]))]).toEqual([TN, OTHER]);
  });

  it('sweeps a member as any other (publish, prune, remove), and skips one its writer took out meanwhile', async () => {
    const { relay, model, publisher, stored, pending, log, lock } = setUpPruned();
    // The claims as another process's writer holds them: not busy here.
    const claims: DocumentLock = { runExclusive: (keys, fn) => lock.runExclusive(keys, fn) };
    relay.watch(model, { lock: claims, pending, prunedByNextWrite: true });
    pending.complete = true;
    const left = entry(TN);
    await relay.markPending(model, [TN, OTHER]);
    stored.set(TN, { _id: TN, outbox: [left] });
    stored.set(OTHER, { _id: OTHER, outbox: [entry(OTHER)] });
    // OTHER's writer (another process) holds it while the sweep samples it, then publishes and takes it out of the set.
    let release!: () => void;
    const writer = lock.runExclusive([OTHER], () => new Promise<void>((resolve) => (release = resolve)));
    const sweep = relay.sweep();
    await new Promise((resolve) => setImmediate(resolve));
    await pending.remove([OTHER]);
    release();
    await writer;
    await expect(sweep).resolves.toEqual({ published: 1, more: false });
    expect(publisher.publish).toHaveBeenCalledWith([left]);
    expect(publisher.publish).toHaveBeenCalledTimes(1);
    expect(pending.members.size).toBe(0);
    expect(log).toEqual([`pull ${TN}`]);
  });

  it('reads only the flagged documents in the full pass of a complete set, so published entries left in the others go out once', async () => {
    const { relay, publisher, stored, pending, log, reads } = setUpPruned();
    pending.complete = true;
    // Published, pruned by its next write: not a member, not flagged.
    stored.set(TN, { _id: TN, outbox: [entry(TN)] });
    // Written while Redis refused the mark, then the process died before its flush.
    const unmarked = entry(OTHER);
    stored.set(OTHER, { _id: OTHER, outbox: [unmarked], outboxUnmarked: true });

    await expect(relay.sweep({ full: true })).resolves.toEqual({ published: 1, more: false });
    expect(reads).toEqual([{ outboxUnmarked: true }]);
    expect(publisher.publish).toHaveBeenCalledTimes(1);
    expect(publisher.publish).toHaveBeenCalledWith([unmarked]);
    expect(log).toEqual([`unflag ${OTHER}`, `pull ${OTHER}`]);
    expect(stored.get(OTHER)?.outboxUnmarked).toBeUndefined();
    expect(pending.members.size).toBe(0);
    expect(pending.complete).toBe(true);

    await expect(relay.sweep({ full: true })).resolves.toEqual({ published: 0, more: false });
    expect(publisher.publish).toHaveBeenCalledTimes(1);
  });

  it('republishes every document with entries once after Redis lost the set, then reads the members only', async () => {
    const { relay, publisher, stored, pending, collection } = setUpPruned();
    const first = entry(TN);
    const second = entry(OTHER);
    stored.set(TN, { _id: TN, outbox: [first] });
    stored.set(OTHER, { _id: OTHER, outbox: [second], outboxUnmarked: true });
    pending.lose();

    await expect(relay.sweep()).resolves.toEqual({ published: 2, more: false });
    expect(publisher.publish).toHaveBeenCalledWith([first, second]);
    expect(pending.complete).toBe(true);
    expect(pending.members.size).toBe(0);
    expect(stored.get(OTHER)?.outboxUnmarked).toBeUndefined();

    collection.find.mockClear();
    await expect(relay.sweep()).resolves.toEqual({ published: 0, more: false });
    expect(collection.find).not.toHaveBeenCalled();
    expect(publisher.publish).toHaveBeenCalledTimes(1);
  });

  /** A relay with these outbox settings whose publishes fail until the test says otherwise. */
  function relayWhoseBrokerIsDown(outbox: Partial<ResolvedMessagingOptions['outbox']>) {
    const publisher = { publish: jest.fn((): Promise<void> => Promise.reject(new Error('broker down'))) };
    const relay = new OutboxRelay(
      publisher as unknown as EventPublisher,
      {
        outbox: { ...options.outbox, ...outbox },
      } as ResolvedMessagingOptions,
    );
    return { relay, publisher };
  }

  it('retries a failed flush by the members only, young entries included, and not a document its writer took out since', async () => {
    const { model, stored, pending, lock, collection } = setUpPruned();
    // Entries younger than the sweep's minimum age: a retry publishes them all the same.
    const { relay, publisher } = relayWhoseBrokerIsDown({ sweepMinAgeMs: 60_000 });
    relay.watch(model, { lock, pending, prunedByNextWrite: true });
    pending.complete = true;
    const mine = entry(TN);
    const theirs = entry(OTHER);
    await relay.markPending(model, [TN, OTHER]);
    stored.set(TN, { _id: TN, outbox: [mine] });
    stored.set(OTHER, { _id: OTHER, outbox: [theirs] });
    await relay.flushWritten(
      model,
      [
        { _id: TN, outbox: [mine] },
        { _id: OTHER, outbox: [theirs] },
      ],
      { locksHeld: true },
    );
    expect(pending.members).toEqual(new Set([TN, OTHER]));

    // OTHER's next write (another process, say) published its entries and took it out of the set.
    await pending.remove([OTHER]);
    publisher.publish.mockImplementation(() => Promise.resolve());
    await expect(relay.retryFailed()).resolves.toBe(1);
    expect(publisher.publish).toHaveBeenLastCalledWith([mine]);
    expect(collection.findOne).not.toHaveBeenCalledWith({ _id: OTHER }, expect.anything());
    expect(stored.get(TN)?.outbox).toEqual([]);
    expect(pending.members.size).toBe(0);
  });

  it('retries a big failed flush in parts of a sweep batch, each under its own hold', async () => {
    const { model, stored, pending, lock } = setUpPruned();
    const { relay, publisher } = relayWhoseBrokerIsDown({ sweepBatchSize: 2 });
    const holds: string[][] = [];
    const claims: DocumentLock = {
      runExclusive: (keys, fn) => {
        holds.push([...keys]);
        return lock.runExclusive(keys, fn);
      },
    };
    relay.watch(model, { lock: claims, pending, prunedByNextWrite: true });
    pending.complete = true;
    const third = `${TN.slice(0, -2)}${(Number(TN.at(-2)) + 2) % 10}`;
    const numbers = [TN, OTHER, `${third}${computeImpbCheckDigit(third)}`];
    const written = numbers.map((n) => ({ _id: n, outbox: [entry(n)] }));
    await relay.markPending(model, numbers);
    for (const doc of written) stored.set(doc._id, { _id: doc._id, outbox: [...doc.outbox] });
    await relay.flushWritten(model, written, { locksHeld: true });

    publisher.publish.mockImplementation(() => Promise.resolve());
    await expect(relay.retryFailed()).resolves.toBe(3);
    expect(holds).toEqual([numbers.slice(0, 2), numbers.slice(2)]);
    expect(pending.members.size).toBe(0);
  });

  it('retries a failed flush with every entry the documents hold while Redis is down', async () => {
    const { relay, model, publisher, stored, pending } = setUpPruned();
    const mine = entry(TN);
    await relay.markPending(model, [TN]);
    stored.set(TN, { _id: TN, outbox: [mine] });
    publisher.publish.mockRejectedValueOnce(new Error('broker down'));
    await relay.flushWritten(model, [{ _id: TN, outbox: [mine] }], { locksHeld: true });
    pending.down = true;
    await expect(relay.retryFailed()).resolves.toBe(1);
    expect(publisher.publish).toHaveBeenLastCalledWith([mine]);
  });

  it('reads only flagged documents with entries while Redis is down', async () => {
    const { relay, publisher, stored, pending, reads } = setUpPruned();
    pending.down = true;
    const unmarked = entry(OTHER);
    stored.set(TN, { _id: TN, outbox: [entry(TN)] });
    stored.set(OTHER, { _id: OTHER, outbox: [unmarked], outboxUnmarked: true });
    await relay.sweep();
    expect(reads).toEqual([{ 'outbox.0': { $exists: true }, outboxUnmarked: true }]);
    expect(publisher.publish).toHaveBeenCalledWith([unmarked]);
    expect(stored.get(OTHER)?.outbox).toEqual([]);
  });
});
