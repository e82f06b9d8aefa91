import type { EventEnvelope } from '@app/contracts';
import {
  ConditionalUpdates,
  isDuplicateKeyError,
  mergePush,
  OUTBOX_FIELD,
  OutboxRelay,
  toOutboxEntries,
} from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { afterTimeCursor, type TimeCursor } from '@app/platform';
import { MessageRecord, type MessageStatus } from './message.schema';

export interface ClaimedMessage {
  /** the record as this claim left it (status `sending`, `attempts` this attempt's number) */
  message: MessageRecord;
  previousStatus: MessageStatus;
}

export interface MessageCount {
  channel: string;
  status: MessageStatus;
  count: number;
}

const UNSETTLED: MessageStatus[] = ['planned', 'queued', 'sending'];

/** Where the previous page of `findUnsettled` ended. */
export type UnsettledCursor = Pick<MessageRecord, '_id' | 'updatedAt'>;

/**
 * Every read and conditional write of message records (the state machine lives in the conditions).
 * Conditional writes go through ConditionalUpdates: on FerretDB a filter other than `{_id}` scans the
 * whole collection, which made every status change cost more as the records grew.
 */
@Injectable()
export class MessagesRepository {
  private readonly updates: ConditionalUpdates<MessageRecord>;

  constructor(
    @InjectModel(MessageRecord.name) private readonly model: Model<MessageRecord>,
    private readonly relay: OutboxRelay,
  ) {
    this.updates = new ConditionalUpdates(model);
    relay.watch(model, { lock: this.updates.lock });
  }

  /**
   * Inserts the record unless one with its id exists; returns the existing one, or null when inserted.
   * `events` are stored in the record's outbox by the same insert, then published.
   */
  async insertIfAbsent(record: MessageRecord, events: readonly EventEnvelope[] = []): Promise<MessageRecord | null> {
    const outbox = toOutboxEntries(events);
    try {
      await this.model.create({ ...record, outbox });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return this.model.findById(record._id).lean<MessageRecord>().exec();
    }
    // The outbox as written: published and removed without reading the record again.
    if (outbox.length > 0) await this.relay.flushWritten(this.model, [{ _id: record._id, outbox }]);
    return null;
  }

  findById(id: string): Promise<MessageRecord | null> {
    return this.model.findById(id).lean<MessageRecord>().exec();
  }

  /**
   * planned → queued, never anything else. Written before the job is added (callers' duty), so no
   * worker write to this record can precede it: on FerretDB a conditional update is filtered but
   * not atomic, and a late `queued` landing over `sending`/`sent` would strand the record.
   */
  async markQueued(id: string, now: Date): Promise<void> {
    await this.updates.updateIf(id, { status: 'planned' }, { $set: { status: 'queued', updatedAt: now } });
  }

  /**
   * Takes a message for sending (`attempts` counts the claims); null when it is already sent or
   * failed (or unknown). `previousStatus` is `sending` when an earlier attempt died after claiming
   * it: that attempt may have reached the provider, so this one is a possible duplicate.
   */
  async claim(id: string, now: Date): Promise<ClaimedMessage | null> {
    const before = await this.updates.updateIf(
      id,
      { status: { $in: UNSETTLED } },
      { $set: { status: 'sending', updatedAt: now }, $inc: { attempts: 1 } },
    );
    if (!before) return null;
    return {
      message: { ...before, status: 'sending', attempts: before.attempts + 1, updatedAt: now },
      previousStatus: before.status,
    };
  }

  /**
   * sending → sent, in one write right after the provider accepted the message; `events` go into
   * its outbox in the same write (only once: the filter). sent is final: nothing moves it back.
   */
  async markSent(
    id: string,
    providerMessageId: string | null,
    now: Date,
    events: readonly EventEnvelope[],
  ): Promise<void> {
    const outbox = toOutboxEntries(events);
    const set = { $set: { status: 'sent', providerMessageId, sentAt: now, updatedAt: now, lastError: null } };
    const before = await this.updates.updateIf(
      id,
      { status: 'sending' },
      outbox.length > 0 ? mergePush(set, OUTBOX_FIELD, { $each: outbox }) : set,
    );
    if (before && outbox.length > 0) await this.relay.flushWritten(this.model, [{ _id: id, outbox }]);
  }

  /**
   * A failed attempt: sending → queued (a retry follows) or failed (final). Fenced by `attempt`, the
   * claim count of the failing attempt, so it never touches a record a later attempt has claimed
   * or settled.
   */
  async recordAttemptFailure(id: string, attempt: number, error: string, final: boolean, now: Date): Promise<void> {
    await this.updates.updateIf(
      id,
      { status: 'sending', attempts: attempt },
      { $set: { status: final ? 'failed' : 'queued', lastError: error.slice(0, 1000), updatedAt: now } },
    );
  }

  /**
   * A job BullMQ failed for good without a failed attempt of ours (e.g. stalled too often): the
   * record becomes failed unless it is settled. No attempt of that job runs any more.
   */
  async markFailed(id: string, error: string, now: Date): Promise<void> {
    await this.updates.updateIf(
      id,
      { status: { $in: UNSETTLED } },
      { $set: { status: 'failed', lastError: error.slice(0, 1000), updatedAt: now } },
    );
  }

  /**
   * One page of the records that are not settled, untouched since `before` and due at `now` (an SMS
   * held for quiet hours is not, until its `notBefore`): candidates for re-enqueueing. Ordered by
   * (updatedAt, _id); pass the last record of a page as `after` for the next one.
   */
  findUnsettled(before: Date, now: Date, limit: number, after?: UnsettledCursor): Promise<MessageRecord[]> {
    const conditions: FilterQuery<MessageRecord>[] = [
      { status: { $in: UNSETTLED }, updatedAt: { $lt: before } },
      { $or: [{ notBefore: null }, { notBefore: { $lte: now } }] },
    ];
    if (after) {
      conditions.push({
        $or: [{ updatedAt: { $gt: after.updatedAt } }, { updatedAt: after.updatedAt, _id: { $gt: after._id } }],
      });
    }
    return this.model
      .find({ $and: conditions })
      .sort({ updatedAt: 1, _id: 1 })
      .limit(limit)
      .lean<MessageRecord[]>()
      .exec();
  }

  async countByChannelAndStatus(): Promise<MessageCount[]> {
    const rows = await this.model
      .aggregate<{ _id: { channel: string; status: MessageStatus }; count: number }>([
        { $group: { _id: { channel: '$channel', status: '$status' }, count: { $sum: 1 } } },
      ])
      .exec();
    return rows.map((r) => ({ channel: r._id.channel, status: r._id.status, count: r.count }));
  }

  /** A user's inbox, newest first. */
  inbox(userId: string, limit: number, cursor?: TimeCursor): Promise<MessageRecord[]> {
    const filter: FilterQuery<MessageRecord> = { userId, channel: 'in_app', ...afterTimeCursor(cursor) };
    return this.model.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<MessageRecord[]>().exec();
  }

  unreadCount(userId: string): Promise<number> {
    return this.model.countDocuments({ userId, channel: 'in_app', readAt: null }).exec();
  }

  async markRead(id: string, now: Date): Promise<void> {
    await this.updates.updateIf(id, { readAt: null }, { $set: { readAt: now } });
  }
}
