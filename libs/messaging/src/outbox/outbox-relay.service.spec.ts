import { computeImpbCheckDigit, createEnvelope, ScanRecordedV1 } from '@app/contracts';
import type { Model } from 'mongoose';
import type { EventPublisher } from '../event-publisher.service';
import type { ResolvedMessagingOptions } from '../messaging.options';
import { KeyedLock } from '@app/persistence';
import { OutboxRelay } from './outbox-relay.service';

const outbox = {
  sweepIntervalMs: 0,
  retryIntervalMs: 1000,
  sweepMinAgeMs: 0,
  sweepBatchSize: 100,
  removeIdleMs: 30_000,
  maxAwaitingRemoval: 20_000,
  crashAfterWrite: false,
};
const options = { outbox } as unknown as ResolvedMessagingOptions;

const TN = ScanRecordedV1.example.trackingNumber;
const OTHER_BODY = '920510000000000000001';
/** A second valid number (an entry of an invalid one would not be published). */
const OTHER = `${OTHER_BODY}${computeImpbCheckDigit(OTHER_BODY)}`;

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
function setUp(outboxOptions: Partial<typeof outbox> = {}) {
  const log: string[] = [];
  const stored = new Map<string, { _id: string; outbox: unknown[] }>();
  const collection = {
    collectionName: 'parcels',
    findOne: jest.fn(({ _id }: { _id: string }) => Promise.resolve(stored.get(_id) ?? null)),
    bulkWrite: jest.fn((ops: { updateOne: { filter: { _id: string } } }[]) => {
      log.push(`pull ${ops.map((o) => o.updateOne.filter._id).join(',')}`);
      return Promise.resolve({});
    }),
  };
  const publisher = { publish: jest.fn(() => Promise.resolve()) };
  const relay = new OutboxRelay(publisher as unknown as EventPublisher, {
    ...options,
    outbox: { ...outbox, ...outboxOptions },
  });
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

  describe('removing published entries with the next write (removeLater)', () => {
    // The timer is what removes idle documents' entries: without it they are removed at once.
    const started = (outboxOptions: Partial<typeof outbox> = {}) => {
      const set = setUp({ sweepIntervalMs: 600_000, retryIntervalMs: 600_000, ...outboxOptions });
      set.relay.watch(set.model, { lock: new KeyedLock() });
      set.relay.start();
      return set;
    };

    it('publishes without a removal, and the next write leaves the published entries out', async () => {
      const { relay, model, publisher, collection } = started();
      const first = entry(TN);
      await relay.flushWritten(model, [{ _id: TN, outbox: [first] }], { locksHeld: true, removeLater: true });
      expect(publisher.publish).toHaveBeenCalledWith([first]);
      expect(collection.bulkWrite).not.toHaveBeenCalled();
      expect(relay.awaitingRemoval).toBe(1);

      const unpublished = { id: 'not-yet-published' };
      const next = relay.unpublished(model, TN, [first, unpublished]);
      expect(next).toEqual([unpublished]);
      relay.removedByWrite(model, TN, next);
      expect(relay.awaitingRemoval).toBe(0);
      await expect(relay.removeIdle({ all: true })).resolves.toBe(0);
      expect(collection.bulkWrite).not.toHaveBeenCalled();
      await relay.stop();
    });

    it('keeps the entries noted while the write that should have left them out was lost', async () => {
      const { relay, model } = started();
      const first = entry(TN);
      await relay.flushWritten(model, [{ _id: TN, outbox: [first] }], { removeLater: true });
      // a write that lost its race stored nothing: removedByWrite is not called, the note stays
      expect(relay.unpublished(model, TN, [first])).toEqual([]);
      expect(relay.unpublished(model, TN, [first])).toEqual([]);
      relay.removedByWrite(model, TN, [first]);
      expect(relay.awaitingRemoval).toBe(1);
      await relay.stop();
    });

    it('removes the entries of documents idle for removeIdleMs in one bulk write, under their locks', async () => {
      const { relay, model, collection, log } = started({ removeIdleMs: 0 });
      const [a, b] = [entry(TN), entry(OTHER)];
      await relay.flushWritten(
        model,
        [
          { _id: TN, outbox: [a] },
          { _id: OTHER, outbox: [b] },
        ],
        { removeLater: true },
      );
      await expect(relay.removeIdle()).resolves.toBe(2);
      expect(log).toEqual([`pull ${TN},${OTHER}`]);
      expect(collection.bulkWrite).toHaveBeenCalledWith(
        [
          { updateOne: { filter: { _id: TN }, update: { $pullAll: { outbox: [a] } } } },
          { updateOne: { filter: { _id: OTHER }, update: { $pullAll: { outbox: [b] } } } },
        ],
        { ordered: false },
      );
      expect(relay.awaitingRemoval).toBe(0);
      await relay.stop();
    });

    it('leaves documents written recently, but removes the oldest beyond maxAwaitingRemoval', async () => {
      const { relay, model, log } = started({ maxAwaitingRemoval: 1 });
      await relay.flushWritten(model, [{ _id: OTHER, outbox: [entry(OTHER)] }], { removeLater: true });
      await relay.flushWritten(model, [{ _id: TN, outbox: [entry(TN)] }], { removeLater: true });
      await expect(relay.removeIdle()).resolves.toBe(1);
      expect(log).toEqual([`pull ${OTHER}`]);
      await expect(relay.removeIdle()).resolves.toBe(0);
      await relay.stop();
      // a clean stop removes what is left, so no sweep publishes it again
      expect(log).toEqual([`pull ${OTHER}`, `pull ${TN}`]);
    });

    it('does not publish again an entry that waits for its removal (retry of a failed flush, sweep)', async () => {
      const { relay, model, publisher, stored } = started();
      const first = entry(TN);
      await relay.flushWritten(model, [{ _id: TN, outbox: [first] }], { removeLater: true });
      const second = entry(TN);
      stored.set(TN, { _id: TN, outbox: [first, second] });
      publisher.publish.mockRejectedValueOnce(new Error('broker down'));
      await relay.flushWritten(model, [{ _id: TN, outbox: [first, second] }], { removeLater: true });
      await expect(relay.retryFailed()).resolves.toBe(1);
      expect(publisher.publish).toHaveBeenLastCalledWith([second]);
      await relay.stop();
    });

    it('removes at once when the timer does not run (nothing would remove them later)', async () => {
      const { relay, model, log } = setUp();
      relay.watch(model);
      await relay.flushWritten(model, [{ _id: TN, outbox: [entry(TN)] }], { removeLater: true });
      expect(log).toEqual([`pull ${TN}`]);
      expect(relay.awaitingRemoval).toBe(0);
    });
  });
});
