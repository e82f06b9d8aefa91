import {
  chunks,
  type DocumentLock,
  findByIds,
  KeyedLock,
  StoreWriteGate,
  usesFerretDbPlan,
  WRITE_CHUNK,
  WriteClaims,
} from '@app/persistence';
import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, mongo } from 'mongoose';
import { HeldParcelsRepository } from './held-parcels.repository';
import { HOLD_CODES, isHeld, type ParcelState } from './parcel-state';
import { PARCEL_MODEL, type ParcelDocument } from './parcel.schema';
import { IdGenerator } from '@app/platform';
import { ParcelNumbersRepository } from './parcel-numbers.repository';

export interface ParcelWrite {
  parcel: ParcelState;
  /** the version read; undefined when the parcel did not exist */
  readVersion: number | undefined;
}

/** The version a write stores: one more than the version it read. */
export function writtenVersion(write: ParcelWrite): number {
  return (write.readVersion ?? 0) + 1;
}

@Injectable()
export class ParcelRepository implements OnModuleInit {
  /**
   * Internal switch for the lost-update test only: off, replaces ignore the version read (last
   * writer wins), which shows what the guard prevents. Never turned off in production code.
   */
  versionGuard = true;

  /**
   * FerretDB v1 (SQLite) serves only a filter of exactly `{_id}` from the index: a `{_id, version}`
   * guard scans the whole collection for every statement, and it is not compare-and-set there
   * anyway (one writer per parcel is the job of `claims`). So on FerretDB replaces are keyed by
   * `_id` alone; MongoDB keeps the guard, which it honours atomically.
   */
  private guardInStore = true;

  private readonly gate: StoreWriteGate;

  /**
   * What every writer of a parcel holds (ingest, the outbox relay, watchers, hold extensions): the
   * process's KeyedLock, and on FerretDB a claim document, because an HTTP request in one tracking
   * process may write the parcel that ingest in another is writing. Replaced only by the
   * lost-update test.
   */
  claims: DocumentLock;

  constructor(
    @InjectModel(PARCEL_MODEL) readonly model: Model<ParcelDocument>,
    private readonly ids: IdGenerator,
    @Optional() gate?: StoreWriteGate,
    @Optional() lock?: KeyedLock,
    @Optional() private readonly numbers?: ParcelNumbersRepository,
    @Optional() private readonly held?: HeldParcelsRepository,
  ) {
    this.gate = gate ?? new StoreWriteGate();
    this.claims = WriteClaims.of(model, lock);
  }

  async onModuleInit(): Promise<void> {
    this.guardInStore = !(await usesFerretDbPlan(this.model.db));
  }

  async findById(id: string): Promise<ParcelState | null> {
    const doc = await this.model.findById(id).lean<ParcelState>().exec();
    return doc ? withListDefaults(doc) : null;
  }

  /** Point reads by `_id` (FerretDB serves `{_id: {$in}}` with a full scan). */
  async findMany(ids: readonly string[]): Promise<Map<string, ParcelState>> {
    const docs = await findByIds<ParcelState>(this.model.collection, ids);
    return new Map(docs.map((d) => [d._id, withListDefaults(d)]));
  }

  /**
   * The same, without reading the numbers Redis knows have no parcel (ParcelNumbersRepository): absent from the
   * answer, like a number the store lacks. Only for a writer that retries a lost insert.
   */
  async findManyStored(ids: readonly string[]): Promise<Map<string, ParcelState>> {
    if (!this.numbers) return this.findMany(ids);
    const maybe = await this.numbers.mayExist(ids);
    return this.findMany(ids.filter((_, i) => maybe[i]));
  }

  async findByDestinationKeys(
    keys: readonly string[],
    after: string | undefined,
    limit: number,
  ): Promise<ParcelState[]> {
    if (keys.length === 0) return [];
    const filter: Record<string, unknown> = { destinationKey: { $in: [...keys] }, known: true };
    if (after) filter._id = { $gt: after };
    return this.model
      .find(filter, { outbox: 0, outboxUnmarked: 0, appliedEventIds: 0 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<ParcelState[]>()
      .exec();
  }

  /**
   * The tracking numbers of the parcels held at the post office, by a scan of the collection (FerretDB
   * reads every parcel): only to fill the list of held parcels once, where it did not exist yet.
   */
  async scanHeld(): Promise<string[]> {
    const docs = await this.model
      .find({ statusCode: { $in: [...HOLD_CODES] } }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return docs.map((d) => d._id);
  }

  /** The parcels listed as held (HeldParcelsRepository), each read by `_id`; entries whose parcel is no longer held are left out. */
  async findHeld(): Promise<ParcelState[]> {
    if (!this.held) throw new Error('the list of held parcels is not provided');
    const listed = await this.held.trackingNumbers(() => this.scanHeld());
    const found = await this.findMany(listed);
    const stale = listed.filter((id) => !found.has(id) || !isHeld(found.get(id)!));
    for (const id of stale) await this.unlistUnlessHeld(id);
    return [...found.values()].filter(isHeld);
  }

  /** Removes the parcel's entry from the list of held parcels unless it is held, under its claim (no writer is making it held meanwhile). */
  private async unlistUnlessHeld(trackingNumber: string): Promise<void> {
    await this.claims.runExclusive([trackingNumber], async () => {
      const parcel = await this.findById(trackingNumber);
      if (!parcel || !isHeld(parcel)) await this.held?.remove([trackingNumber]);
    });
  }

  /**
   * Writes all changed parcels in one bulkWrite of conditional replaces (guarded by the version
   * read) and inserts. Returns the ids whose write lost to a concurrent writer: read them again and retry.
   */
  async writeMany(writes: readonly ParcelWrite[]): Promise<string[]> {
    if (writes.length === 0) return [];
    const writeId = this.ids.uuid();
    const now = new Date();
    // A parcel this write makes held is listed before it (the list stays a superset of the held
    // parcels); one whose hold it ends is unlisted after it.
    const listing = this.held ? writes.filter((w) => isHeld(w.parcel) && !w.parcel.heldListed) : [];
    const unlisting = this.held ? writes.filter((w) => !isHeld(w.parcel) && w.parcel.heldListed) : [];
    await this.held?.add(
      listing.map((w) => w.parcel._id),
      now,
    );
    const ops: mongo.AnyBulkWriteOperation<ParcelDocument>[] = writes.map(({ parcel, readVersion }) => {
      const doc: ParcelDocument = {
        ...parcel,
        heldListed: this.held ? isHeld(parcel) || undefined : parcel.heldListed,
        version: writtenVersion({ parcel, readVersion }),
        writeId,
        updatedAt: now,
      };
      if (readVersion === undefined) return { insertOne: { document: doc } };
      const guarded = this.versionGuard && this.guardInStore;
      const filter = guarded ? { _id: parcel._id, version: readVersion } : { _id: parcel._id };
      return { replaceOne: { filter, replacement: doc } };
    });
    let clean = true;
    // Small commands, one at a time: FerretDB v1.24.2 deadlocks when concurrent statements reach ~100.
    for (const chunk of chunks(ops, WRITE_CHUNK)) {
      try {
        // The driver's bulkWrite: the documents are complete and plain, and mongoose's casting of each
        // replacement (toObject, clone) was about a tenth of tracking's CPU in the ingest bench (perf-ingest).
        // `ignoreUndefined` keeps mongoose's habit of leaving an undefined field out rather than storing null.
        const result = await this.gate.run(() =>
          // Keyed by tracking number, not ObjectId: the driver's default typing of `_id` does not apply.
          (this.model.collection as unknown as mongo.Collection<ParcelDocument>).bulkWrite(chunk, {
            ordered: false,
            ignoreUndefined: true,
          }),
        );
        clean &&= result.insertedCount + result.matchedCount === chunk.length;
      } catch (error) {
        // A duplicate key on insert means another writer created the parcel first: a conflict, checked below.
        if (!isBulkWriteError(error)) throw error;
        clean = false;
      }
    }
    // Stored now, by this write or by the one an insert lost to.
    await this.numbers?.record(writes.filter((w) => w.readVersion === undefined).map((w) => w.parcel._id));
    if (clean) {
      await this.held?.remove(unlisting.map((w) => w.parcel._id));
      return [];
    }
    const stored = await findByIds<{ _id: string; writeId?: string }>(
      this.model.collection,
      writes.map((w) => w.parcel._id),
      { projection: { writeId: 1 } },
    );
    const ours = new Set(stored.filter((d) => d.writeId === writeId).map((d) => d._id));
    // Only where this write is the one stored: the write that won may have kept the parcel held.
    await this.held?.remove(unlisting.map((w) => w.parcel._id).filter((id) => ours.has(id)));
    return writes.map((w) => w.parcel._id).filter((id) => !ours.has(id));
  }

  /** Records a watcher on the parcel (the source of truth of watchers), creating an unknown placeholder. */
  async addWatcher(trackingNumber: string, userId: string): Promise<void> {
    await this.claims.runExclusive([trackingNumber], () => this.addWatcherNow(trackingNumber, userId));
  }

  private async addWatcherNow(trackingNumber: string, userId: string): Promise<void> {
    await this.model
      .updateOne(
        { _id: trackingNumber },
        {
          $addToSet: { watchers: userId },
          $inc: { version: 1 },
          $set: { writeId: this.ids.uuid(), updatedAt: new Date() },
          $setOnInsert: { known: false, events: [], appliedEventIds: [], outbox: [] },
        },
        { upsert: true },
      )
      .exec();
    await this.numbers?.record([trackingNumber]);
  }

  /** Records the hold extension's days on the parcel (for its public view); the parcel as written, or null. */
  setHoldExtension(trackingNumber: string, days: number): Promise<ParcelState | null> {
    return this.claims.runExclusive([trackingNumber], () => this.setHoldExtensionNow(trackingNumber, days));
  }

  private setHoldExtensionNow(trackingNumber: string, days: number): Promise<ParcelState | null> {
    return this.model
      .findOneAndUpdate(
        { _id: trackingNumber },
        { $set: { holdExtensionDays: days, writeId: this.ids.uuid(), updatedAt: new Date() }, $inc: { version: 1 } },
        // No projection: FerretDB v1 does not implement `fields` in findAndModify.
        { returnDocument: 'after' },
      )
      .lean<ParcelState>()
      .exec();
  }

  async removeWatcher(trackingNumber: string, userId: string): Promise<void> {
    await this.claims.runExclusive([trackingNumber], () => this.removeWatcherNow(trackingNumber, userId));
  }

  private async removeWatcherNow(trackingNumber: string, userId: string): Promise<void> {
    await this.model
      .updateOne(
        { _id: trackingNumber, watchers: userId },
        {
          $pull: { watchers: userId },
          $inc: { version: 1 },
          $set: { writeId: this.ids.uuid(), updatedAt: new Date() },
        },
      )
      .exec();
  }
}

/**
 * A placeholder made by `addWatcher` lacks the empty lists: FerretDB v1.24.2 drops the empty arrays
 * of its `$setOnInsert` (found by the arrival bench: every scan of a watched parcel threw).
 */
function withListDefaults(doc: ParcelState): ParcelState {
  return {
    ...doc,
    events: doc.events ?? [],
    appliedEventIds: doc.appliedEventIds ?? [],
    watchers: doc.watchers ?? [],
    outbox: doc.outbox ?? [],
  };
}

function isBulkWriteError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'MongoBulkWriteError' || 'writeErrors' in error);
}
