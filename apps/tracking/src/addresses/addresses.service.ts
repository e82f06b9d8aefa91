import type { AddressRemovedData, AddressVerifiedData } from '@app/contracts';
import { Injectable, NotFoundException } from '@nestjs/common';
import { addressKey } from '../parcels/parcel-state';
import { VerifiedAddressesRepository } from './verified-addresses.repository';

/**
 * Projection of identity's verified addresses, used to tell the people who live at a parcel's
 * destination. Keyed by (userId, addressId), so a replayed event leaves the same state.
 */
@Injectable()
export class AddressesService {
  constructor(private readonly store: VerifiedAddressesRepository) {}

  async addressVerified(data: AddressVerifiedData): Promise<void> {
    const key = addressKey(data.address);
    const previous = await this.keyOf(data.userId, data.addressId);
    if (previous && previous !== key) await this.store.removeResident(previous, data.userId, data.addressId);
    await this.store.addResident(key, data.userId, data.addressId);
    await this.store.setUserAddress(data.userId, data.addressId, key);
  }

  async addressRemoved(data: AddressRemovedData): Promise<void> {
    const key = await this.keyOf(data.userId, data.addressId);
    if (!key) return;
    await this.store.removeResident(key, data.userId, data.addressId);
    await this.store.removeUserAddress(data.userId, data.addressId);
  }

  /** The verified-address keys of a user. */
  async keysOf(userId: string): Promise<string[]> {
    return [...new Set((await this.store.addressesOf(userId)).map((a) => a.key))];
  }

  /** A user's verified addresses with their keys. */
  verifiedAddressesOf(userId: string): Promise<{ addressId: string; key: string }[]> {
    return this.store.addressesOf(userId);
  }

  /** The key of one of a user's verified addresses (an address book id); 404 when it is not one. */
  async verifiedKeyOf(userId: string, addressId: string): Promise<string> {
    const key = await this.keyOf(userId, addressId);
    if (!key) throw new NotFoundException(`no verified address ${addressId.slice(0, 100)} in your address book`);
    return key;
  }

  /** Users whose verified address matches each key. */
  async addresseesByKey(keys: readonly string[]): Promise<Map<string, string[]>> {
    if (keys.length === 0) return new Map();
    return this.store.residentsByKey(keys);
  }

  private async keyOf(userId: string, addressId: string): Promise<string | undefined> {
    return (await this.store.addressesOf(userId)).find((a) => a.addressId === addressId)?.key;
  }
}
