import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { WriteClaims } from '@app/persistence';
import {
  ADDRESS_INDEX_MODEL,
  USER_ADDRESSES_MODEL,
  type AddressIndexDocument,
  type UserAddressesDocument,
} from './verified-address.schema';

/**
 * The two stored sides of verified addresses: by address key (who lives there) and by user (which
 * keys are theirs). Every write is a set operation, so a replayed event leaves the same state.
 */
@Injectable()
export class VerifiedAddressesRepository {
  /**
   * An address key's document is written by the events of every user living there, which arrive on
   * different partitions and so in different tracking processes; FerretDB rewrites the whole document
   * for `$addToSet`/`$pull`, so each write holds the key's claim (none on MongoDB's plan). A user's
   * own document has one writer: the consumer of that user's partition.
   */
  readonly indexClaims: WriteClaims;

  constructor(
    @InjectModel(ADDRESS_INDEX_MODEL) private readonly index: Model<AddressIndexDocument>,
    @InjectModel(USER_ADDRESSES_MODEL) private readonly users: Model<UserAddressesDocument>,
  ) {
    this.indexClaims = WriteClaims.of(index);
  }

  /** A user's addresses with their keys; empty for a user the projection has not seen. */
  async addressesOf(userId: string): Promise<{ addressId: string; key: string }[]> {
    const doc = await this.users.findById(userId).lean<UserAddressesDocument>().exec();
    return doc?.addresses ?? [];
  }

  /** Users per key, for the keys that have any: one `{_id: {$in}}` query. */
  async residentsByKey(keys: readonly string[]): Promise<Map<string, string[]>> {
    const docs = await this.index
      .find({ _id: { $in: [...new Set(keys)] } })
      .lean<AddressIndexDocument[]>()
      .exec();
    return new Map(docs.map((d) => [d._id, [...new Set(d.users.map((u) => u.userId))]]));
  }

  async addResident(key: string, userId: string, addressId: string): Promise<void> {
    await this.indexClaims.runExclusive([key], async (hold) => {
      hold.assertHeld();
      await this.index
        .updateOne({ _id: key }, { $addToSet: { users: { userId, addressId } } }, { upsert: true })
        .exec();
    });
  }

  async removeResident(key: string, userId: string, addressId: string): Promise<void> {
    await this.indexClaims.runExclusive([key], async (hold) => {
      hold.assertHeld();
      await this.index.updateOne({ _id: key }, { $pull: { users: { userId, addressId } } }).exec();
    });
  }

  /** Records (or moves) a user's address to `key`; each step is idempotent. */
  async setUserAddress(userId: string, addressId: string, key: string): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $setOnInsert: { addresses: [] } }, { upsert: true }).exec();
    await this.removeUserAddress(userId, addressId);
    await this.users.updateOne({ _id: userId }, { $push: { addresses: { addressId, key } } }).exec();
  }

  async removeUserAddress(userId: string, addressId: string): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $pull: { addresses: { addressId } } }).exec();
  }
}
