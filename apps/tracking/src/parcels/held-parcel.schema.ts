import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const HELD_PARCEL_MODEL = 'HeldParcel';

/** An entry of the list of held parcels: `_id` is the tracking number. */
@Schema({ collection: 'held_parcels', versionKey: false })
export class HeldParcel {
  @Prop({ type: String })
  _id: string;

  @Prop({ type: Date, required: true })
  listedAt: Date;
}

export const HeldParcelSchema = SchemaFactory.createForClass(HeldParcel);
