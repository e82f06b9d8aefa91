import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ConditionalUpdates, isDuplicateKeyError, WriteClaims } from '@app/persistence';
import { afterTimeCursor, decodeTimeCursor } from '@app/platform';
import { Pickup } from './pickup.schema';

@Injectable()
export class PickupsRepository {
  /** Every update of a document; the outbox relay's removal of published events takes the same lock. */
  readonly updates: ConditionalUpdates<Pickup>;

  constructor(@InjectModel(Pickup.name) readonly model: Model<Pickup>) {
    this.updates = new ConditionalUpdates(model, WriteClaims.of(model));
  }

  /** Inserts a pickup; false when its confirmation number is taken. */
  async insert(pickup: Pickup): Promise<boolean> {
    try {
      await this.model.create(pickup);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  findById(confirmationNumber: string): Promise<Pickup | null> {
    return this.model.findById(confirmationNumber).lean<Pickup>().exec();
  }

  list(userId: string, limit: number, cursor?: string): Promise<Pickup[]> {
    return this.model
      .find({ userId, ...afterTimeCursor(decodeTimeCursor(cursor)) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Pickup[]>()
      .exec();
  }

  /** Scheduled pickups: the candidates for "missed" (a scan; pickups are few per day). */
  findScheduled(): Promise<Pickup[]> {
    return this.model.find({ status: 'scheduled' }).lean<Pickup[]>().exec();
  }

  /** Updates the document `filter._id` when it matches the rest of `filter`; false when it does not. */
  update(filter: { _id: string } & Record<string, unknown>, update: Record<string, unknown>): Promise<boolean> {
    return this.updates.updateWhere(filter, update);
  }
}
