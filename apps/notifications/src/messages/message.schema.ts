import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  type NotificationChannel,
  type NotificationKind,
} from '@app/contracts';
import { type OutboxEntry, outboxPlugin } from '@app/messaging';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

/**
 * An email or SMS is written twice: inserted `queued` (its job is added right after; reconciliation
 * adds it if a crash came in between), then `sent` when the provider accepted it, or `failed` when
 * every attempt failed (the BullMQ job is kept for inspection). An in-app item is inserted `sent`.
 * `planned` (recorded, not yet handed to Redis) and `sending` (a worker claimed it) are written by
 * no current code, only found in records of earlier versions, and read as unsettled like `queued`.
 */
export const MessageStatuses = ['planned', 'queued', 'sending', 'sent', 'failed'] as const;
export type MessageStatus = (typeof MessageStatuses)[number];

/**
 * One message to one user on one channel. `_id` is the BullMQ job id, derived from (source event,
 * channel, user), so the record is also the sent-marker a replay checks, the inbox item (in_app),
 * what metrics count, what reconciliation re-enqueues, and the outbox of its `NotificationSent`.
 */
@Schema({ collection: 'messages', versionKey: false })
export class MessageRecord {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  userId: string;

  @Prop({ type: String, required: true, enum: NOTIFICATION_KINDS })
  kind: NotificationKind;

  @Prop({ type: String, required: true, enum: NOTIFICATION_CHANNELS })
  channel: NotificationChannel;

  /** email address or phone; null for in_app */
  @Prop({ type: String, default: null })
  to: string | null;

  @Prop({ required: true })
  subject: string;

  /** the text body (the SMS body for sms, the inbox body for in_app) */
  @Prop({ required: true })
  text: string;

  @Prop({ type: String, default: null })
  html: string | null;

  @Prop({ type: String, default: null })
  link: string | null;

  @Prop({ required: true })
  sourceId: string;

  @Prop({ required: true })
  sourceType: string;

  /** the source event's correlation id (older records have none) */
  @Prop({ type: String, default: null })
  correlationId?: string | null;

  /** when what the message tells happened (the arrival scan of a ParcelArrived); older records have none */
  @Prop({ type: Date, default: null })
  sourceOccurredAt?: Date | null;

  @Prop({ type: String, required: true, enum: MessageStatuses })
  status: MessageStatus;

  @Prop({ default: 0 })
  attempts: number;

  @Prop({ type: Date, default: null })
  notBefore: Date | null;

  @Prop({ type: String, default: null })
  providerMessageId: string | null;

  @Prop({ type: String, default: null })
  lastError: string | null;

  @Prop({ type: Date, default: null })
  readAt: Date | null;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;

  @Prop({ type: Date, default: null })
  sentAt: Date | null;

  /** NotificationSent until the relay publishes it; the field comes from `outboxPlugin`. */
  outbox?: OutboxEntry[];
}

export type MessageDocument = HydratedDocument<MessageRecord>;
export const MessageSchema = SchemaFactory.createForClass(MessageRecord);
// NotificationSent waits here, written with the change to `sent`, until the relay publishes it.
MessageSchema.plugin(outboxPlugin);
