import { outboxPlugin } from '@app/messaging';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const CaseStatuses = ['open', 'closed'] as const;
export type CaseStatus = (typeof CaseStatuses)[number];

export class CaseMessage {
  id: string;
  authorId: string;
  authorRole: 'customer' | 'operator';
  body: string;
  createdAt: Date;
}

/** A support case with its messages inline (one document per case, appended with `$push`). */
@Schema({ collection: 'support_cases', versionKey: false })
export class SupportCaseRecord {
  @Prop({ type: String, required: true })
  _id: string;

  /** the customer who opened it */
  @Prop({ required: true })
  userId: string;

  @Prop({ required: true })
  subject: string;

  @Prop({ type: String, default: null })
  trackingNumber: string | null;

  @Prop({ type: String, required: true, enum: CaseStatuses })
  status: CaseStatus;

  @Prop({
    type: [
      {
        _id: false,
        id: { type: String, required: true },
        authorId: { type: String, required: true },
        authorRole: { type: String, required: true },
        body: { type: String, required: true },
        createdAt: { type: Date, required: true },
      },
    ],
    default: [],
  })
  messages: CaseMessage[];

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;

  @Prop({ type: Date, default: null })
  closedAt: Date | null;
}

export const SupportCaseSchema = SchemaFactory.createForClass(SupportCaseRecord);
// SupportCaseReplied is stored with the operator's reply, so a crash before it is published loses nothing.
SupportCaseSchema.plugin(outboxPlugin);
