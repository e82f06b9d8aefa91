import type { Connection, mongo } from 'mongoose';
import { duplicateKeyIndexes, isDuplicateKeyError } from './duplicate-key';
import { chunks, WRITE_CHUNK } from './store-limits';

/** An entry of a pending list: the id of a document that needs the work, and when it was listed. */
export interface PendingListEntry {
  _id: string;
  listedAt: Date;
}

/** Says the list is complete: the documents that needed the work before the list existed were added (never an id). */
const COMPLETE_MARK = '#complete';

/**
 * A short list of ids kept beside a large collection, for periodic work that would otherwise filter
 * the collection by a field: FerretDB answers any filter but an exact `_id` by reading every
 * document (tens of seconds of its CPU per 100,000), and MongoDB would need an index of its own.
 * The held parcels for the hold reminder and the ledger entries whose effect is not applied use it.
 *
 * The list is a superset. A writer adds an id before the write that makes its document need the
 * work, and removes it once the work is done or no longer needed; a crash between the two leaves an
 * extra entry, which the reader checks against the document and drops. The first read fills the
 * list once from a scan of the collection (what needed the work before the list existed) and marks
 * it complete.
 */
export class PendingList {
  constructor(
    private readonly connection: Connection,
    /** the list's collection, in the connection's database */
    private readonly name: string,
  ) {}

  private get collection(): mongo.Collection<PendingListEntry> {
    return this.connection.db!.collection<PendingListEntry>(this.name);
  }

  /** Adds ids; an entry already there keeps its time. */
  async add(ids: readonly string[], listedAt = new Date()): Promise<void> {
    for (const chunk of chunks([...new Set(ids)], WRITE_CHUNK)) {
      try {
        await this.collection.insertMany(
          chunk.map((_id) => ({ _id, listedAt })),
          { ordered: false },
        );
      } catch (error) {
        if (!duplicateKeyIndexes(error) && !isDuplicateKeyError(error)) throw error;
      }
    }
  }

  /**
   * Removes ids: a point delete each (FerretDB serves only `{_id}` from its index), up to
   * WRITE_CHUNK of them in one unordered command.
   */
  async remove(ids: readonly string[]): Promise<void> {
    for (const chunk of chunks([...new Set(ids)], WRITE_CHUNK)) {
      await this.collection.bulkWrite(
        chunk.map((_id) => ({ deleteOne: { filter: { _id } } })),
        { ordered: false },
      );
    }
  }

  /**
   * The listed entries (listed before `listedBefore`, at most `limit`, when given). The first time
   * ever, the ids `fill` answers (a scan of the large collection, run once) are added first, listed
   * at `filledAt` (default now; an id a writer listed already keeps its own time).
   */
  async entries(
    fill: () => Promise<readonly string[]>,
    options: { listedBefore?: Date; limit?: number; filledAt?: Date } = {},
  ): Promise<PendingListEntry[]> {
    if (!(await this.collection.findOne({ _id: COMPLETE_MARK }))) {
      await this.add(await fill(), options.filledAt);
      await this.add([COMPLETE_MARK]);
    }
    const filter: mongo.Filter<PendingListEntry> = { _id: { $ne: COMPLETE_MARK } };
    if (options.listedBefore) filter.listedAt = { $lt: options.listedBefore };
    const cursor = this.collection.find(filter);
    if (options.limit !== undefined) cursor.limit(options.limit);
    return cursor.toArray();
  }
}
