import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * How far the IMpb serial counter may have gone: no serial above `reservedThrough` was ever handed
 * out, so a lost Redis counter restarts above it. One document per counter (`_id` is its name).
 */
@Schema({ collection: 'serial_reservations', versionKey: false })
export class SerialReservation {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  reservedThrough: number;
}

export const SerialReservationSchema = SchemaFactory.createForClass(SerialReservation);
