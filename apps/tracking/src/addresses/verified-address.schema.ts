import { Schema } from 'mongoose';

export const ADDRESS_INDEX_MODEL = 'AddressIndex';
export const USER_ADDRESSES_MODEL = 'UserAddresses';

/** Users whose verified address has this key (`ZIP5|LINE1` or `ZIP5|LINE1|UNIT`, see `addressKey`), so matching a parcel is an `_id` lookup. */
export interface AddressIndexDocument {
  _id: string;
  users: { userId: string; addressId: string }[];
}

/** A user's verified addresses and their keys, to answer "incoming" and to undo a removal. */
export interface UserAddressesDocument {
  _id: string;
  addresses: { addressId: string; key: string }[];
}

export const AddressIndexSchema = new Schema<AddressIndexDocument>(
  { _id: String, users: { type: Schema.Types.Mixed, default: () => [] } },
  { collection: 'address_index', versionKey: false },
);

export const UserAddressesSchema = new Schema<UserAddressesDocument>(
  { _id: String, addresses: { type: Schema.Types.Mixed, default: () => [] } },
  { collection: 'user_addresses', versionKey: false },
);
