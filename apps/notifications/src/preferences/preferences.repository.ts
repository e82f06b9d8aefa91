import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PreferenceRecord } from './preference.schema';

/** Each user's channel choices per notice kind, one document per user. */
@Injectable()
export class PreferencesRepository {
  constructor(@InjectModel(PreferenceRecord.name) private readonly model: Model<PreferenceRecord>) {}

  find(userId: string): Promise<PreferenceRecord | null> {
    return this.model.findById(userId).lean<PreferenceRecord>().exec();
  }

  /**
   * The records of `userIds` that exist, read by `_id` one by one (point reads, not a scan, on
   * FerretDB), with the driver's own read: planning makes one per recipient, and mongoose's query
   * machinery adds CPU and nothing else to what a lean `findById` sends.
   */
  async findMany(userIds: readonly string[]): Promise<PreferenceRecord[]> {
    const records = await Promise.all(
      userIds.map((id) => this.model.collection.findOne<PreferenceRecord>({ _id: id } as Record<string, unknown>)),
    );
    return records.filter((record): record is PreferenceRecord => record !== null);
  }

  /**
   * Sets the channels of the given kinds only, one `$set` per kind, so concurrent updates of other
   * kinds survive; creates the record when the user has none. Returns it as written.
   */
  setKinds(userId: string, channelsByKind: Record<string, unknown>, now: Date): Promise<PreferenceRecord | null> {
    const set: Record<string, unknown> = { updatedAt: now };
    for (const [kind, channels] of Object.entries(channelsByKind)) set[`channels.${kind}`] = channels;
    return this.model
      .findOneAndUpdate({ _id: userId }, { $set: set }, { upsert: true, returnDocument: 'after' })
      .lean<PreferenceRecord>()
      .exec();
  }
}
