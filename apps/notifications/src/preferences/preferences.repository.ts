import { type DocumentLock, WriteClaims } from '@app/persistence';
import { idPages, MembershipSet, RedisConnection } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PreferenceRecord } from './preference.schema';

/** Redis key of the user ids that have a preferences record (after the deployment's REDIS_PREFIX). */
export const PREFERENCES_MEMBERSHIP_KEY = 'preferences:users';

/**
 * Each user's channel choices per notice kind, one document per user. Most users never change
 * theirs: a membership set in Redis answers that "no record" without a store read (planning asked
 * the store once per recipient of every notice, an arrival's email included).
 */
@Injectable()
export class PreferencesRepository {
  readonly membership: MembershipSet;
  /**
   * Held while a user's record is written: FerretDB applies even a `$set` of one field as a read and
   * a rewrite of the whole document, so two PUTs of different kinds reaching two notifications
   * replicas at once would lose one kind without it (none on MongoDB's plan, where `$set` is atomic).
   */
  readonly claims: DocumentLock;

  constructor(
    @InjectModel(PreferenceRecord.name) private readonly model: Model<PreferenceRecord>,
    redis: RedisConnection,
  ) {
    this.membership = new MembershipSet(redis.client, {
      key: PREFERENCES_MEMBERSHIP_KEY,
      loadAll: () => idPages(model.collection),
    });
    this.claims = WriteClaims.of(model);
  }

  find(userId: string): Promise<PreferenceRecord | null> {
    return this.model.findById(userId).lean<PreferenceRecord>().exec();
  }

  /**
   * The records of `userIds` that exist, read by `_id` one by one (point reads, not a scan, on
   * FerretDB), with the driver's own read: planning makes one per recipient, and mongoose's query
   * machinery adds CPU and nothing else to what a lean `findById` sends. Users the membership set
   * says have no record are not read.
   */
  async findMany(userIds: readonly string[]): Promise<PreferenceRecord[]> {
    const maybe = await this.membership.mayContain(userIds);
    const records = await Promise.all(
      userIds
        .filter((_, i) => maybe[i])
        .map((id) => this.model.collection.findOne<PreferenceRecord>({ _id: id } as Record<string, unknown>)),
    );
    return records.filter((record): record is PreferenceRecord => record !== null);
  }

  /**
   * Sets the channels of the given kinds only, one `$set` per kind under the user's claim, so
   * concurrent updates of other kinds survive; creates the record when the user has none (a member
   * of the set before and after the write, see MembershipSet). Returns it as written.
   */
  setKinds(userId: string, channelsByKind: Record<string, unknown>, now: Date): Promise<PreferenceRecord | null> {
    const set: Record<string, unknown> = { updatedAt: now };
    for (const [kind, channels] of Object.entries(channelsByKind)) set[`channels.${kind}`] = channels;
    return this.membership.around([userId], () =>
      this.claims.runExclusive([userId], async (hold) => {
        hold.assertHeld();
        return this.model
          .findOneAndUpdate({ _id: userId }, { $set: set }, { upsert: true, returnDocument: 'after' })
          .lean<PreferenceRecord>()
          .exec();
      }),
    );
  }
}
