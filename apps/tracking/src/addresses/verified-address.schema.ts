import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const ADDRESS_INDEX_MODEL = 'AddressIndex';
export const USER_ADDRESSES_MODEL = 'UserAddresses';

/** Users whose verified address has this key (`ZIP5|LINE1` or `ZIP5|LINE1|UNIT`, see `addressKey`), so matching a parcel is an `_id` lookup. */
@Schema({ collection: 'address_index', versionKey: false })
export class AddressIndexDocument {
  @Prop({ type: String })
  _id: string;

  @Prop({ type: Object, default: () => [] })
  users: { userId: string; addressId: string }[];
}

/** A user's verified addresses and their keys, to answer "incoming" and to undo a removal. */
@Schema({ collection: 'user_addresses', versionKey: false })
export class UserAddressesDocument {
  @Prop({ type: String })
  _id: string;

  @Prop({ type: Object, default: () => [] })
  addresses: { addressId: string; key: string }[];
}

export const AddressIndexSchema = SchemaFactory.createForClass(AddressIndexDocument);

export const UserAddressesSchema = SchemaFactory.createForClass(UserAddressesDocument);
