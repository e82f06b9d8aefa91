import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { IdentityAddress } from '@app/contracts';

/** A verification letter to print and mail; the code appears only inside the PDF. */
@Schema({ collection: 'address_letters', versionKey: false, autoIndex: false })
export class AddressLetterDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ type: String, required: true })
  addressId: string;

  @Prop({ type: Object, required: true })
  address: IdentityAddress;

  @Prop({ type: Buffer, required: true })
  pdf: Buffer;

  @Prop({ type: Date, required: true })
  createdAt: Date;
}

export const ADDRESS_LETTER_MODEL = 'AddressLetter';

export const AddressLetterSchema = SchemaFactory.createForClass(AddressLetterDocument);
