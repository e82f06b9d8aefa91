import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** The first answer to a money call made with an `Idempotency-Key`; `_id` is owner, route and key. */
@Schema({ collection: 'idempotency_keys', versionKey: false })
export class IdempotencyRecord {
  @Prop({ type: String, required: true })
  _id: string;

  /** SHA-256 of the method, path and canonical JSON body: another body with the same key is a 422. */
  @Prop({ required: true })
  requestHash: string;

  @Prop({ type: String, required: true })
  state: 'in_progress' | 'done';

  @Prop()
  statusCode?: number;

  /** The first answer's body as sent (JSON text: a stored object would turn `undefined` into `null`). */
  @Prop()
  bodyJson?: string;

  @Prop({ required: true })
  createdAt: Date;

  /** An in-progress record older than this was left by a crash: a retry may run the call again. */
  @Prop({ required: true })
  leaseUntil: Date;
}

export const IdempotencyRecordSchema = SchemaFactory.createForClass(IdempotencyRecord);
