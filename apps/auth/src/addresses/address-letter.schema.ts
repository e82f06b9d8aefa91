import type { IdentityAddress } from '@app/contracts';
import { Schema } from 'mongoose';

/** A verification letter to print and mail; the code appears only inside the PDF. */
export interface AddressLetterDocument {
  _id: string;
  userId: string;
  addressId: string;
  address: IdentityAddress;
  pdf: Buffer;
  createdAt: Date;
}

export const ADDRESS_LETTER_MODEL = 'AddressLetter';

export const AddressLetterSchema = new Schema<AddressLetterDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    addressId: { type: String, required: true },
    address: { type: Schema.Types.Mixed, required: true },
    pdf: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'address_letters', versionKey: false, autoIndex: false },
);
