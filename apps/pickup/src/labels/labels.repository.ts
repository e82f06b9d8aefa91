import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ConditionalUpdates } from '@app/messaging';
import { afterTimeCursor, decodeTimeCursor } from '@app/platform';
import { Label } from './label.schema';

const DUPLICATE_KEY = 11000;

@Injectable()
export class LabelsRepository {
  /** Every update of a document; the outbox relay's removal of published events takes the same lock. */
  readonly updates: ConditionalUpdates<Label>;

  constructor(@InjectModel(Label.name) readonly model: Model<Label>) {
    this.updates = new ConditionalUpdates(model);
  }

  /** Inserts a label; false when its tracking number already exists. */
  async insert(label: Label): Promise<boolean> {
    try {
      await this.model.create(label);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  findByTrackingNumber(trackingNumber: string): Promise<Label | null> {
    return this.model.findById(trackingNumber).lean<Label>().exec();
  }

  findOwned(userId: string, labelId: string): Promise<Label | null> {
    return this.model.findOne({ labelId, userId }).lean<Label>().exec();
  }

  findOwnedByTrackingNumbers(userId: string, trackingNumbers: string[]): Promise<Label[]> {
    return this.model
      .find({ _id: { $in: trackingNumbers }, userId })
      .lean<Label[]>()
      .exec();
  }

  findOwnedByLabelIds(userId: string, labelIds: string[]): Promise<Label[]> {
    return this.model
      .find({ labelId: { $in: labelIds }, userId })
      .lean<Label[]>()
      .exec();
  }

  list(userId: string, limit: number, cursor?: string): Promise<Label[]> {
    return this.model
      .find({ userId, ...afterTimeCursor(decodeTimeCursor(cursor)) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Label[]>()
      .exec();
  }

  /** Updates the document `filter._id` when it matches the rest of `filter`; false when it does not. */
  async update(filter: { _id: string } & Record<string, unknown>, update: Record<string, unknown>): Promise<boolean> {
    const { _id, ...condition } = filter;
    return (await this.updates.updateIf(_id, condition, update)) !== null;
  }
}
