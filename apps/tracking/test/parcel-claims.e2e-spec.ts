import { OutboxRelay } from '@app/messaging';
import {
  type DocumentLock,
  KeyedLock,
  type LockHold,
  type QueryPlan,
  WRITE_CLAIMS_COLLECTION,
  withQueryPlan,
} from '@app/persistence';
import { raceInProcesses } from '@app/testing';
import type { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { startMessaging } from '../../../libs/messaging/test/support/harness';
import { createEnvelope, ScanRecordedV1, type ScanRecordedData } from '@app/contracts';
import { Clock, IdGenerator } from '@app/platform';
import type { AddressesService } from '../src/addresses/addresses.service';
import { PARCELS_PER_HOLD, ParcelIngestService } from '../src/ingest/parcel-ingest.service';
import type { TrackingReadModel } from '../src/lookup/tracking-read-model';
import { ParcelRepository } from '../src/parcels/parcel.repository';
import { PARCEL_MODEL, type ParcelDocument, ParcelSchema } from '../src/parcels/parcel.schema';
import { WatchlistRepository } from '../src/watchlist/watchlist.repository';
import { WATCHLIST_MODEL, type WatchlistDocument, WatchlistSchema } from '../src/watchlist/watchlist.schema';
import { trackingNumberOf } from './support/race-numbers';

jest.setTimeout(300_000);

const CHILD = path.join(__dirname, 'support', 'parcel-race.child.ts');

interface RaceResult {
  acknowledged: string[];
  failures: string[];
}

/** A scan of `trackingNumber` as the consumer hands it to ingest. */
function scanInput(eventId: string, trackingNumber: string, code: ScanRecordedData['code'], atMs: number) {
  const data: ScanRecordedData = {
    eventId,
    trackingNumber,
    code,
    occurredAt: new Date(Date.UTC(2025, 4, 1) + atMs).toISOString(),
    facility: { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' },
  };
  const envelope = createEnvelope({
    id: eventId,
    type: ScanRecordedV1.type,
    version: 1,
    key: trackingNumber,
    data,
    source: 'e2e',
  });
  return { kind: 'scan' as const, envelope };
}

/**
 * Two tracking processes writing one document on the real local store, where FerretDB's updates
 * are not atomic across connections: a user's watchlist changed from both (its `{_id, version}`
 * compare), and a parcel that one process's ingest writes while a user adds it to a watchlist
 * through the other. Each process is built from tracking's own repositories with its own
 * connection; every acknowledged write must be in the store afterwards.
 */
describe('tracking writes across two processes (real FerretDB)', () => {
  const prefix = `t-parcel-claims-${randomUUID().slice(0, 8)}`;
  let connection: Connection;
  let messaging: TestingModule;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL!, { dbName: prefix.replace(/-/g, '_') })
      .asPromise();
    // the topics ingest's outbox relay publishes to
    messaging = await startMessaging(prefix, { outbox: { sweepIntervalMs: 0 } });
  });

  afterAll(async () => {
    await messaging?.close();
    await connection?.dropDatabase();
    await connection?.close();
  });

  function race(lock: 'claims' | 'local', modes: string[], extra: Record<string, string>, iterations: number) {
    return raceInProcesses<RaceResult>(
      CHILD,
      modes.map((mode, i) => ({
        RACE_MODE: mode,
        RACE_LOCK: lock,
        RACE_TAG: i === 0 ? 'a' : 'b',
        RACE_ITERATIONS: String(iterations),
        RACE_DB: connection.name,
        TEST_TOPIC_PREFIX: prefix,
        ...extra,
      })),
    );
  }

  const watchlistOf = async (userId: string) =>
    (await connection.db!.collection<WatchlistDocument>('watchlists').findOne({ _id: userId }))?.items ?? [];
  /** Ingest over this store and the real relay (Kafka); addresses and views are not what these tests look at. */
  function ingestOf(parcels: ParcelRepository): ParcelIngestService {
    const addresses = { addresseesByKey: () => Promise.resolve(new Map()) } as unknown as AddressesService;
    const views = { publish: () => Promise.resolve() } as unknown as TrackingReadModel;
    return new ParcelIngestService(
      parcels,
      addresses,
      messaging.get(OutboxRelay),
      new Clock(),
      new IdGenerator(),
      views,
    );
  }

  const parcelOf = (id: string) => connection.db!.collection<ParcelDocument>('parcels').findOne({ _id: id });

  describe('one watchlist changed from two processes', () => {
    it('keeps every acknowledged addition under claims', async () => {
      const results = await race('claims', ['watchlist', 'watchlist'], { RACE_USER: 'list-claims' }, 30);
      const acknowledged = results.flatMap((r) => r.acknowledged);
      const listed = (await watchlistOf('list-claims')).map((i) => i.trackingNumber);
      expect(listed.sort()).toEqual([...acknowledged].sort());
      // a compare lost to the other process is read again and retried, so each addition lands
      expect(acknowledged.length).toBeGreaterThanOrEqual(55);
      expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
    });

    it('loses acknowledged additions with only in-process locks (what the claims prevent)', async () => {
      const results = await race('local', ['watchlist', 'watchlist'], { RACE_USER: 'list-local' }, 30);
      const listed = new Set((await watchlistOf('list-local')).map((i) => i.trackingNumber));
      const lost = results.flatMap((r) => r.acknowledged).filter((n) => !listed.has(n));
      expect(lost.length).toBeGreaterThan(0);
    });
  });

  describe('a watcher added through one process while ingest in the other writes the parcel', () => {
    it('keeps every scan and every watcher under claims', async () => {
      const parcel = trackingNumberOf('a', 900_001);
      const [ingested, watched] = await race('claims', ['ingest', 'watch'], { RACE_PARCEL: parcel }, 40);
      expect(ingested.failures).toEqual([]);
      expect(watched.failures).toEqual([]);
      const stored = (await parcelOf(parcel))!;
      expect(stored.watchers.sort()).toEqual([...watched.acknowledged].sort());
      expect(stored.events.map((e) => e.eventId).sort()).toEqual([...ingested.acknowledged].sort());
      // what ingest published, its relay removed (under the same claims)
      expect(stored.outbox).toEqual([]);
    });

    it('loses writes with only in-process locks (what the claims prevent)', async () => {
      const parcel = trackingNumberOf('a', 900_002);
      const [ingested, watched] = await race('local', ['ingest', 'watch'], { RACE_PARCEL: parcel }, 40);
      const stored = (await parcelOf(parcel))!;
      const lostWatchers = watched.acknowledged.filter((u) => !stored.watchers.includes(u));
      const lostScans = ingested.acknowledged.filter((id) => !stored.events.some((e) => e.eventId === id));
      expect(lostWatchers.length + lostScans.length).toBeGreaterThan(0);
    });
  });

  // Production's plan: the compare on `version` is one findAndModify (atomic on MongoDB), no
  // claim; FerretDB's: a point read by `_id` and a write by `_id` under the claim, never a filter
  // FerretDB would answer by reading the whole collection.
  it.each<[QueryPlan, string[]]>([
    ['auto', ['find {_id}', 'update {_id}']],
    ['mongodb', ['findAndModify {_id,version}']],
  ])('with the %s plan, a watchlist change sends %j to the watchlists', async (plan, expected) => {
    const planned = withQueryPlan(plan)(
      await mongoose
        .createConnection(process.env.MONGO_URL!, { dbName: connection.name, monitorCommands: true })
        .asPromise(),
    );
    try {
      const seen: string[] = [];
      planned.getClient().on('commandStarted', (e) => {
        const command = e.command as Record<string, unknown>;
        // mongoose creates the collection when the model is first used (`create`): not the change's commands
        if (command[e.commandName] !== 'watchlists' || e.commandName === 'create') return;
        const filter = (command.filter ??
          command.query ??
          (command.updates as { q: unknown }[] | undefined)?.[0]?.q) as Record<string, unknown> | undefined;
        seen.push(
          `${e.commandName} {${Object.keys(filter ?? {})
            .sort()
            .join(',')}}`,
        );
      });
      const lists = new WatchlistRepository(planned.model<WatchlistDocument>(WATCHLIST_MODEL, WatchlistSchema));
      const user = `plan-${plan}`;
      await lists.create(user, []);
      seen.length = 0;
      const item = { trackingNumber: trackingNumberOf('b', 800_001), addedAt: new Date().toISOString() };
      await expect(lists.replaceItems(user, 1, [item])).resolves.toBe(true);
      expect(seen).toEqual(expected);
      // a stale version is refused on either plan
      await expect(lists.replaceItems(user, 1, [])).resolves.toBe(false);
      expect((await lists.find(user))?.items).toEqual([item]);
      expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
    } finally {
      await planned.close();
    }
  });

  it('records a watcher on MongoDB’s plan without a claim (its $addToSet is atomic there)', async () => {
    const planned = withQueryPlan('mongodb')(
      await mongoose.createConnection(process.env.MONGO_URL!, { dbName: connection.name }).asPromise(),
    );
    try {
      const parcels = new ParcelRepository(
        planned.model<ParcelDocument>(PARCEL_MODEL, ParcelSchema),
        new IdGenerator(),
      );
      await parcels.onModuleInit();
      const parcel = trackingNumberOf('b', 800_002);
      await parcels.addWatcher(parcel, 'mongo-watcher');
      expect((await parcelOf(parcel))?.watchers).toEqual(['mongo-watcher']);
      expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
    } finally {
      await planned.close();
    }
  });

  // A consumer batch can carry thousands of parcels: claimed all at once, their renewal came too
  // late on FerretDB and the whole batch was refused (ClaimLostError) and retried event by event.
  it('writes a batch of more parcels than one hold in parts, each under its own claims', async () => {
    const parcels = new ParcelRepository(
      connection.model<ParcelDocument>(PARCEL_MODEL, ParcelSchema),
      new IdGenerator(),
    );
    await parcels.onModuleInit();
    const claims = parcels.claims;
    const holds: number[] = [];
    const recording: DocumentLock = {
      runExclusive: <T>(keys: readonly string[], fn: (hold: LockHold) => Promise<T>) => {
        holds.push(keys.length);
        return claims.runExclusive(keys, fn);
      },
    };
    parcels.claims = recording;
    const ingest = ingestOf(parcels);
    const count = 2 * PARCELS_PER_HOLD + 50;
    const numbers = Array.from({ length: count }, (_, i) => trackingNumberOf('b', 600_000 + i));
    // Two scans of each parcel, the second in a later part of the list: both land in the parcel's part.
    const inputs = [...numbers, ...numbers].map((trackingNumber, i) =>
      scanInput(`parts-${i}`, trackingNumber, i < count ? 'arrived_at_facility' : 'in_transit', i * 1000),
    );

    await ingest.apply(inputs);

    expect(holds).toEqual([PARCELS_PER_HOLD, PARCELS_PER_HOLD, 50]);
    const stored = await connection
      .db!.collection<{ _id: string; events?: unknown[] }>('parcels')
      .find({ _id: { $in: numbers } }, { projection: { events: 1 } })
      .toArray();
    expect(stored).toHaveLength(count);
    expect(stored.every((parcel) => parcel.events?.length === 2)).toBe(true);
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
  });

  // Ingest is the hot path that takes claims: batches of scans as the consumer hands them over,
  // with the real outbox relay (Kafka), once under claims and once under the in-process lock
  // alone, interleaved in the same run on the same store.
  it('measures what claims cost ingest (beside the in-process lock alone, same run)', async () => {
    const parcels = new ParcelRepository(
      connection.model<ParcelDocument>(PARCEL_MODEL, ParcelSchema),
      new IdGenerator(),
    );
    await parcels.onModuleInit();
    const claims = parcels.claims;
    const ingest = ingestOf(parcels);
    ingest.onModuleInit();
    const batches = 6;
    const batchSize = 100;
    let serial = 0;
    const run = async (round: string) => {
      const started = process.hrtime.bigint();
      for (let b = 0; b < batches; b++) {
        const inputs = Array.from({ length: batchSize }, (_, i) => {
          const trackingNumber = trackingNumberOf('b', 700_000 + ((b * batchSize + i) % 200));
          const eventId = `${round}-${serial++}`;
          return scanInput(
            eventId,
            trackingNumber,
            serial % 2 === 0 ? 'in_transit' : 'arrived_at_facility',
            serial * 1000,
          );
        });
        await ingest.apply(inputs);
      }
      return (batches * batchSize) / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    parcels.claims = new KeyedLock();
    await run('warm');
    const withClaims: number[] = [];
    const without: number[] = [];
    for (let round = 0; round < 3; round++) {
      parcels.claims = new KeyedLock();
      without.push(await run(`local${round}`));
      parcels.claims = claims;
      withClaims.push(await run(`claims${round}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    const row = {
      metric: 'ingest_with_claims_events_per_s',
      value: Math.round(median(withClaims)),
      unit: 'events/s',
      baseline: 'ingest_in_process_lock_events_per_s',
      baselineValue: Math.round(median(without)),
      ratio: Number((median(withClaims) / median(without)).toFixed(2)),
    };
    console.log(JSON.stringify(row));
    expect(await connection.db!.collection(WRITE_CLAIMS_COLLECTION).countDocuments()).toBe(0);
    expect(row.value).toBeGreaterThan(0);
  });
});
