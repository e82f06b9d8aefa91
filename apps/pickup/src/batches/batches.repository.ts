import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { afterTimeCursor, decodeTimeCursor } from '@app/platform';
import { LabelBatch } from './batch.schema';

const DUPLICATE_KEY = 11000;

@Injectable()
export class BatchesRepository {
  constructor(@InjectModel(LabelBatch.name) readonly model: Model<LabelBatch>) {}

  /** Inserts a batch; false when its id exists (a repeated upload with the same Idempotency-Key). */
  async insert(batch: LabelBatch): Promise<boolean> {
    try {
      await this.model.create(batch);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  findById(batchId: string): Promise<LabelBatch | null> {
    return this.model.findById(batchId).lean<LabelBatch>().exec();
  }

  /** The owner's batch, or null: another owner's batch is as absent as a missing one. */
  findOwned(ownerId: string, batchId: string): Promise<LabelBatch | null> {
    return this.model.findOne({ _id: batchId, ownerId }).lean<LabelBatch>().exec();
  }

  list(ownerId: string, limit: number, cursor?: string): Promise<LabelBatch[]> {
    return this.model
      .find({ ownerId, ...afterTimeCursor(decodeTimeCursor(cursor)) }, { rows: 0, items: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<LabelBatch[]>()
      .exec();
  }

  /** The batch's only writer is its job (see LabelBatch), so a plain `$set` loses nothing. */
  async set(batchId: string, fields: Partial<LabelBatch>): Promise<void> {
    await this.model.updateOne({ _id: batchId }, { $set: fields }).exec();
  }
}
