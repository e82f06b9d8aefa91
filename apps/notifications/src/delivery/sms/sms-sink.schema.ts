import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A text message kept instead of sent (the local `sink` provider); `_id` is the message id. */
@Schema({ collection: 'sms_sink', versionKey: false })
export class SinkSmsRecord {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  to: string;

  @Prop({ required: true })
  body: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;
}

export const SinkSmsSchema = SchemaFactory.createForClass(SinkSmsRecord);
