import type { NotificationPreferences } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PreferenceRecord } from './preference.schema';
import { resolvePreferences, type PreferencesUpdate } from './preferences';
import { Clock } from '@app/platform';

@Injectable()
export class PreferencesService {
  constructor(
    @InjectModel(PreferenceRecord.name) private readonly model: Model<PreferenceRecord>,
    private readonly clock: Clock,
  ) {}

  async get(userId: string): Promise<NotificationPreferences> {
    const record = await this.model.findById(userId).lean<PreferenceRecord>().exec();
    return resolvePreferences(record?.channels);
  }

  /** Sets the given kinds only (one `$set` per kind, so concurrent updates of other kinds survive). */
  async update(userId: string, update: PreferencesUpdate): Promise<NotificationPreferences> {
    const set: Record<string, unknown> = { updatedAt: this.clock.now() };
    for (const [kind, channels] of Object.entries(update)) set[`channels.${kind}`] = channels;
    const record = await this.model
      .findOneAndUpdate({ _id: userId }, { $set: set }, { upsert: true, new: true })
      .lean<PreferenceRecord>()
      .exec();
    return resolvePreferences(record?.channels);
  }

  async findMany(userIds: readonly string[]): Promise<Map<string, NotificationPreferences>> {
    const records = await Promise.all(userIds.map((id) => this.model.findById(id).lean<PreferenceRecord>().exec()));
    const prefs = new Map<string, NotificationPreferences>();
    for (const r of records) if (r) prefs.set(r._id, resolvePreferences(r.channels));
    return prefs;
  }
}
