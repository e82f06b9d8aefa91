import type { AddressRemovedData, AddressVerifiedData } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { addressKey } from '../parcels/parcel-state';
import {
  ADDRESS_INDEX_MODEL,
  USER_ADDRESSES_MODEL,
  type AddressIndexDocument,
  type UserAddressesDocument,
} from './verified-address.schema';

/**
 * Projection of identity's verified addresses. Every write is a set operation keyed by
 * (userId, addressId), so a replayed event leaves the same state.
 */
@Injectable()
export class AddressesService {
  constructor(
    @InjectModel(ADDRESS_INDEX_MODEL) private readonly index: Model<AddressIndexDocument>,
    @InjectModel(USER_ADDRESSES_MODEL) private readonly users: Model<UserAddressesDocument>,
  ) {}

  async addressVerified(data: AddressVerifiedData): Promise<void> {
    const key = addressKey(data.address);
    const previous = await this.keyOf(data.userId, data.addressId);
    if (previous && previous !== key) await this.unindex(previous, data.userId, data.addressId);
    await this.index
      .updateOne(
        { _id: key },
        { $addToSet: { users: { userId: data.userId, addressId: data.addressId } } },
        { upsert: true },
      )
      .exec();
    await this.users.updateOne({ _id: data.userId }, { $setOnInsert: { addresses: [] } }, { upsert: true }).exec();
    await this.users.updateOne({ _id: data.userId }, { $pull: { addresses: { addressId: data.addressId } } }).exec();
    await this.users
      .updateOne({ _id: data.userId }, { $push: { addresses: { addressId: data.addressId, key } } })
      .exec();
  }

  async addressRemoved(data: AddressRemovedData): Promise<void> {
    const key = await this.keyOf(data.userId, data.addressId);
    if (!key) return;
    await this.unindex(key, data.userId, data.addressId);
    await this.users.updateOne({ _id: data.userId }, { $pull: { addresses: { addressId: data.addressId } } }).exec();
  }

  /** The verified-address keys of a user. */
  async keysOf(userId: string): Promise<string[]> {
    const doc = await this.users.findById(userId).lean<UserAddressesDocument>().exec();
    return [...new Set((doc?.addresses ?? []).map((a) => a.key))];
  }

  /** A user's verified addresses with their keys. */
  async verifiedAddressesOf(userId: string): Promise<{ addressId: string; key: string }[]> {
    const doc = await this.users.findById(userId).lean<UserAddressesDocument>().exec();
    return doc?.addresses ?? [];
  }

  /** Users whose verified address matches each key: one `{_id: {$in}}` query. */
  async addresseesByKey(keys: readonly string[]): Promise<Map<string, string[]>> {
    if (keys.length === 0) return new Map();
    const docs = await this.index
      .find({ _id: { $in: [...new Set(keys)] } })
      .lean<AddressIndexDocument[]>()
      .exec();
    return new Map(docs.map((d) => [d._id, [...new Set(d.users.map((u) => u.userId))]]));
  }

  private async keyOf(userId: string, addressId: string): Promise<string | undefined> {
    const doc = await this.users.findById(userId).lean<UserAddressesDocument>().exec();
    return doc?.addresses.find((a) => a.addressId === addressId)?.key;
  }

  private async unindex(key: string, userId: string, addressId: string): Promise<void> {
    await this.index.updateOne({ _id: key }, { $pull: { users: { userId, addressId } } }).exec();
  }
}
