import { chunks, duplicateKeyIndexes, isDuplicateKeyError, WRITE_CHUNK } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, mongo } from 'mongoose';
import { HELD_PARCEL_MODEL, type HeldParcel } from './held-parcel.schema';

/** Marks the list complete: every parcel held before the list existed was added to it (never a tracking number). */
const COMPLETE_MARK = '#complete';

/**
 * The parcels held at the post office, listed apart from the parcels: the hold reminder reads this
 * short list instead of filtering every parcel by status, which FerretDB answers by reading the
 * whole collection (34–36 s of its CPU per 100,000 parcels, measured in session 13).
 *
 * The list is a superset. A parcel's writer lists it before the write that makes it held, and
 * unlists it after the write that ends its hold; a crash in between leaves an entry whose parcel is
 * not held, which the reminder removes under the parcel's claim. Writers hold the parcel's claim,
 * so an entry is never removed while a write is making its parcel held.
 */
@Injectable()
export class HeldParcelsRepository {
  constructor(@InjectModel(HELD_PARCEL_MODEL) private readonly model: Model<HeldParcel>) {}

  /** Adds the parcels; an entry already there stays as it is. */
  async list(trackingNumbers: readonly string[], now = new Date()): Promise<void> {
    for (const chunk of chunks([...new Set(trackingNumbers)], WRITE_CHUNK)) {
      try {
        // Keyed by tracking number, not ObjectId: the driver's default typing of `_id` does not apply.
        await (this.model.collection as unknown as mongo.Collection<HeldParcel>).insertMany(
          chunk.map((_id) => ({ _id, listedAt: now })),
          { ordered: false },
        );
      } catch (error) {
        if (!duplicateKeyIndexes(error) && !isDuplicateKeyError(error)) throw error;
      }
    }
  }

  /** Removes the parcels' entries, one point delete each (FerretDB serves only `{_id}` from its index). */
  async unlist(trackingNumbers: readonly string[]): Promise<void> {
    for (const _id of new Set(trackingNumbers)) await this.model.deleteOne({ _id }).exec();
  }

  /**
   * The listed tracking numbers. The first time ever (no completeness mark yet) the parcels held
   * before the list existed are added first, from `heldNow` (a scan of every parcel, run once).
   */
  async trackingNumbers(heldNow: () => Promise<readonly string[]>): Promise<string[]> {
    if (!(await this.model.exists({ _id: COMPLETE_MARK }))) {
      await this.list(await heldNow());
      await this.list([COMPLETE_MARK]);
    }
    const entries = await this.model.find({}, { _id: 1 }).lean<{ _id: string }[]>().exec();
    return entries.map((e) => e._id).filter((id) => id !== COMPLETE_MARK);
  }
}
