import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A provider event applied: `_id` is the event id, so a replayed event is seen and skipped. */
@Schema({ collection: 'payment_webhook_events', versionKey: false })
export class WebhookEvent {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  type: string;

  @Prop({ required: true })
  receivedAt: Date;
}

export const WebhookEventSchema = SchemaFactory.createForClass(WebhookEvent);
