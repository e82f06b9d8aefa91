import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Checkout } from '../payments/checkout.schema';

/** Card checkouts between their charge and their ledger entry, keyed by the entry's id. */
@Injectable()
export class CheckoutsRepository {
  constructor(@InjectModel(Checkout.name) private readonly checkouts: Model<Checkout>) {}

  /** Records the checkout unless one with its id exists (a retry keeps the first). */
  async insertIfAbsent(checkout: Checkout): Promise<void> {
    await this.checkouts.updateOne({ _id: checkout._id }, { $setOnInsert: checkout }, { upsert: true }).exec();
  }

  async delete(id: string): Promise<void> {
    await this.checkouts.deleteOne({ _id: id }).exec();
  }

  /** Checkouts still charging that were started before `cutoff`, at most `limit`. */
  findStale(cutoff: Date, limit: number): Promise<Checkout[]> {
    return this.checkouts
      .find({ state: 'charging', createdAt: { $lt: cutoff } })
      .limit(limit)
      .lean<Checkout[]>()
      .exec();
  }
}
