import { PendingList } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PARCEL_MODEL, type ParcelDocument } from './parcel.schema';

/** The collection of the list, beside `parcels`. */
export const HELD_PARCELS_COLLECTION = 'held_parcels';

/**
 * The parcels held at the post office, listed apart from the parcels (a PendingList): the hold
 * reminder reads this short list instead of filtering every parcel by status, which FerretDB
 * answers by reading the whole collection (34–36 s of its CPU per 100,000 parcels, measured in
 * session 13). A parcel's writer lists it before the write that makes it held and unlists it after
 * the write that ends its hold; the reminder drops an entry whose parcel is not held under the
 * parcel's claim, so an entry is never removed while a write is making its parcel held.
 */
@Injectable()
export class HeldParcelsRepository {
  private readonly list: PendingList;

  constructor(@InjectModel(PARCEL_MODEL) parcels: Model<ParcelDocument>) {
    this.list = new PendingList(parcels.db, HELD_PARCELS_COLLECTION);
  }

  add(trackingNumbers: readonly string[], now = new Date()): Promise<void> {
    return this.list.add(trackingNumbers, now);
  }

  remove(trackingNumbers: readonly string[]): Promise<void> {
    return this.list.remove(trackingNumbers);
  }

  /** The listed tracking numbers; the first time ever, the parcels `heldNow` answers (a scan, once) are listed first. */
  async trackingNumbers(heldNow: () => Promise<readonly string[]>): Promise<string[]> {
    return (await this.list.entries(heldNow)).map((e) => e._id);
  }
}
