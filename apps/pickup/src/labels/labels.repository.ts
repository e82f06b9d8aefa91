import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { afterTimeCursor, decodeTimeCursor } from '@app/platform';
import { Label } from './label.schema';

const DUPLICATE_KEY = 11000;

@Injectable()
export class LabelsRepository {
  constructor(@InjectModel(Label.name) readonly model: Model<Label>) {}

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

  async update(filter: Record<string, unknown>, update: Record<string, unknown>): Promise<boolean> {
    const result = await this.model.updateOne(filter, update).exec();
    return result.modifiedCount > 0;
  }
}
