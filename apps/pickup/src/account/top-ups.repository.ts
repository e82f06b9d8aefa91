import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { TopUp, type TopUpStatus } from './top-up.schema';

/** Balance top-ups, keyed by the provider's payment id. */
@Injectable()
export class TopUpsRepository {
  constructor(@InjectModel(TopUp.name) private readonly topUps: Model<TopUp>) {}

  /** Records the top-up (owner, amount, time) the first time, and its status every time. */
  async record(paymentId: string, fields: Omit<TopUp, '_id' | 'status'>, status: TopUpStatus): Promise<void> {
    await this.topUps
      .updateOne({ _id: paymentId }, { $setOnInsert: fields, $set: { status } }, { upsert: true })
      .exec();
  }

  findById(paymentId: string): Promise<TopUp | null> {
    return this.topUps.findById(paymentId).lean<TopUp>().exec();
  }

  async markSucceeded(paymentId: string): Promise<void> {
    await this.topUps.updateOne({ _id: paymentId }, { $set: { status: 'succeeded' } }).exec();
  }

  /** A pending top-up failed; a settled one keeps its status. */
  async markFailed(paymentId: string): Promise<void> {
    await this.topUps.updateOne({ _id: paymentId, status: 'pending' }, { $set: { status: 'failed' } }).exec();
  }
}
