import { createEnvelope, type EventEnvelope, ScanRecordedV1, type ScanRecordedData } from '@app/contracts';
import { type OutboxRelay } from '@app/messaging';
import { type DocumentLock, HELD_UNTIL_DONE, type LockHold, type QueryPlan, withQueryPlan } from '@app/persistence';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection, type Model } from 'mongoose';
import type { AddressesService } from '../src/addresses/addresses.service';
import { ParcelIngestService } from '../src/ingest/parcel-ingest.service';
import type { TrackingReadModel } from '../src/lookup/tracking-read-model';
import { ParcelNumbersRepository } from '../src/parcels/parcel-numbers.repository';
import { ParcelRepository } from '../src/parcels/parcel.repository';
import { type ParcelDocument, ParcelSchema } from '../src/parcels/parcel.schema';
import { Clock, IdGenerator, RedisConnection } from '@app/platform';

jest.setTimeout(120_000);

const TN = '9205590100000000000017';
const WRITERS = 12;
const facility = { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' };

function scan(i: number, trackingNumber = TN): EventEnvelope<ScanRecordedData> {
  const data: ScanRecordedData = {
    eventId: randomUUID(),
    trackingNumber,
    code: 'in_transit',
    occurredAt: new Date(Date.UTC(2025, 4, 1, 0, i)).toISOString(),
    facility,
  };
  return createEnvelope({
    id: data.eventId,
    type: ScanRecordedV1.type,
    version: 1,
    key: trackingNumber,
    data,
    source: 'e2e',
  });
}

/**
 * Concurrent writers to one parcel in one process (Kafka batches of several partitions, HTTP scan
 * batches) through the production path: per-key serialisation (KeyedLock) plus version-guarded
 * bulk writes. FerretDB's conditional writes are not compare-and-set, so inside a process the
 * KeyedLock is what keeps them apart; on MongoDB the version filter also holds across processes.
 */
describe('parcel writes under contention (real FerretDB)', () => {
  let connection: Connection;
  let model: Model<ParcelDocument>;
  const relay = {
    watch: () => undefined,
    markPending: () => Promise.resolve(true),
    unpublishedAmong: (_model: unknown, ids: readonly string[]) => Promise.resolve(new Set(ids)),
    flushWritten: () => Promise.resolve(),
  } as unknown as OutboxRelay;
  const addresses = { addresseesByKey: () => Promise.resolve(new Map()) } as unknown as AddressesService;
  const views = { publish: () => Promise.resolve() } as unknown as TrackingReadModel;

  beforeAll(async () => {
    const url = process.env.MONGO_URL;
    if (!url) throw new Error('MONGO_URL is not set: run through the e2e project');
    connection = await mongoose
      .createConnection(url, { dbName: `parcel_writes_${randomUUID().slice(0, 8)}` })
      .asPromise();
    model = connection.model<ParcelDocument>('Parcel', ParcelSchema);
  });

  afterAll(async () => {
    await connection?.close();
  });

  async function race(versionGuard: boolean): Promise<{ applied: number; sent: number }> {
    await model.deleteOne({ _id: TN });
    const ids = new IdGenerator();
    const repository = new ParcelRepository(model, ids);
    repository.versionGuard = versionGuard;
    const noLock: DocumentLock = {
      runExclusive: <T>(_keys: readonly string[], fn: (hold: LockHold) => Promise<T>) => fn(HELD_UNTIL_DONE),
    };
    if (!versionGuard) repository.claims = noLock;
    const service = new ParcelIngestService(repository, addresses, relay, new Clock(), ids, views);
    const writers = Array.from({ length: WRITERS }, () => service);
    // The parcel exists first, so every writer takes the replace path.
    await writers[0].apply([{ kind: 'scan', envelope: scan(0) }]);
    await Promise.all(
      writers.map(async (writer, i) => {
        const input = { kind: 'scan' as const, envelope: scan(i + 1) };
        // As the consumer does for a transient failure: try again until it is stored.
        for (;;) {
          try {
            return await writer.apply([input]);
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        }
      }),
    );
    const parcel = await model.findById(TN).lean<ParcelDocument>();
    return { applied: parcel?.events.length ?? 0, sent: WRITERS + 1 };
  }

  it('loses no scan when many writers update one parcel at the same time', async () => {
    const { applied, sent } = await race(true);
    expect(applied).toBe(sent);
  });

  it('loses scans without per-key serialisation and the version guard (what they prevent)', async () => {
    const { applied, sent } = await race(false);
    expect(applied).toBeLessThan(sent);
  });

  // MongoDB's plan keeps the version read in the replace's filter, so a stale write is refused by
  // the store (across processes too); FerretDB's keys replaces by `_id` alone (one writer per
  // parcel is the lock's job there). MONGO_QUERY_PLAN=mongodb runs production's plan here.
  it.each<[QueryPlan, boolean]>([
    ['auto', false],
    ['mongodb', true],
  ])('with the %s plan, a replace that read an older version is refused by the store: %s', async (plan, refused) => {
    const planned = withQueryPlan(plan)(
      await mongoose.createConnection(process.env.MONGO_URL!, { dbName: connection.name }).asPromise(),
    );
    try {
      const parcels = planned.model<ParcelDocument>('Parcel', ParcelSchema);
      const repository = new ParcelRepository(parcels, new IdGenerator());
      await repository.onModuleInit();
      await model.deleteOne({ _id: TN });
      const service = new ParcelIngestService(repository, addresses, relay, new Clock(), new IdGenerator(), views);
      await service.apply([{ kind: 'scan', envelope: scan(0) }]);
      await service.apply([{ kind: 'scan', envelope: scan(1) }]);
      const stored = (await repository.findById(TN))!;
      const stale = { ...stored, events: [] };

      const conflicts = await repository.writeMany([{ parcel: stale, readVersion: stored.version - 1 }]);

      expect(conflicts).toEqual(refused ? [TN] : []);
      expect((await model.findById(TN).lean<ParcelDocument>())?.events).toHaveLength(refused ? 2 : 0);
    } finally {
      await planned.close();
    }
  });

  describe('with the stored parcel numbers in Redis (ParcelNumbersRepository)', () => {
    let redis: RedisConnection;

    beforeAll(async () => {
      redis = new RedisConnection({
        url: process.env.REDIS_URL!,
        keyPrefix: `parcel-writes-${randomUUID().slice(0, 8)}:`,
        failFast: true,
      });
      await redis.onModuleInit();
    });

    afterAll(async () => {
      await redis?.onApplicationShutdown();
    });

    it('stores a new parcel without reading it, and a number Redis wrongly lacks loses nothing', async () => {
      const numbers = new ParcelNumbersRepository(redis, model);
      expect(await numbers.membership.rebuild()).toBe(true);
      const ids = new IdGenerator();
      const repository = new ParcelRepository(model, ids, undefined, undefined, numbers);
      const service = new ParcelIngestService(repository, addresses, relay, new Clock(), ids, views);
      const findMany = jest.spyOn(repository, 'findMany');

      const fresh = '9205590100000000000024';
      await model.deleteOne({ _id: fresh });
      await service.apply([{ kind: 'scan', envelope: scan(0, fresh) }]);
      // A number never stored is not read: the scan went straight into an insert.
      expect(findMany).toHaveBeenCalledWith([]);
      expect((await model.findById(fresh).lean<ParcelDocument>())?.events).toHaveLength(1);
      expect(await numbers.mayExist([fresh])).toEqual([true]);

      // A watcher's placeholder stored behind Redis' back: the insert finds it taken, ingest reads it and retries.
      const hidden = '9205590100000000000031';
      await model.deleteOne({ _id: hidden });
      await model.collection.insertOne({
        _id: hidden,
        known: false,
        watchers: ['usr_watcher'],
        events: [],
        appliedEventIds: [],
        outbox: [],
        version: 1,
      } as never);
      expect(await numbers.mayExist([hidden])).toEqual([false]);
      await service.apply([{ kind: 'scan', envelope: scan(1, hidden) }]);
      const stored = await model.findById(hidden).lean<ParcelDocument>();
      expect(stored?.watchers).toEqual(['usr_watcher']);
      expect(stored?.events).toHaveLength(1);
      expect(stored?.version).toBe(2);
      expect(await numbers.mayExist([hidden])).toEqual([true]);
    });
  });
});
