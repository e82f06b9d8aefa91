import type { NotificationPreferences } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { resolvePreferences, type PreferencesUpdate } from './preferences';
import { PreferencesRepository } from './preferences.repository';
import { Clock } from '@app/platform';

@Injectable()
export class PreferencesService {
  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly clock: Clock,
  ) {}

  async get(userId: string): Promise<NotificationPreferences> {
    const record = await this.preferences.find(userId);
    return resolvePreferences(record?.channels);
  }

  /** Sets the given kinds only; the others keep what they were. */
  async update(userId: string, update: PreferencesUpdate): Promise<NotificationPreferences> {
    const record = await this.preferences.setKinds(userId, update, this.clock.now());
    return resolvePreferences(record?.channels);
  }

  async findMany(userIds: readonly string[]): Promise<Map<string, NotificationPreferences>> {
    const records = await this.preferences.findMany(userIds);
    return new Map(records.map((r) => [r._id, resolvePreferences(r.channels)]));
  }
}
