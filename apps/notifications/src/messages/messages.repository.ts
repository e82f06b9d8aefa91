import type { EventEnvelope } from '@app/contracts';
import { mergePush, OUTBOX_FIELD, OutboxRelay, toOutboxEntries } from '@app/messaging';
import {
  chunks,
  ConditionalUpdates,
  duplicateKeyIndexes,
  findByIds,
  isDuplicateKeyError,
  StoreWriteGate,
  WRITE_CHUNK,
  WriteClaims,
} from '@app/persistence';
import { Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { QueryFilter, Model } from 'mongoose';
import { afterTimeCursor, type TimeCursor } from '@app/platform';
import { GroupCommit } from '../common/group-commit';
import type { DeliveryChannel } from '../queues/delivery-queues';
import { MessageRecord, type MessageStatus } from './message.schema';
import { LISTED_CHANNELS, type MessageRef, UnsettledMessages } from './unsettled-messages';

export interface MessageCount {
  channel: string;
  status: MessageStatus;
  count: number;
}

/** `planned` and `sending` are only found in records written before the two-write path; still unsettled. */
const UNSETTLED: MessageStatus[] = ['planned', 'queued', 'sending'];

export function isUnsettled(status: MessageStatus): boolean {
  return UNSETTLED.includes(status);
}

/** A listed record missing this long after its listing was never written (its insert failed): the entry is dropped. */
const UNWRITTEN_AFTER_MS = 10 * 60_000;

/** What a sent record's fields become, however its NotificationSent was published. */
function sentFields(delivery: { providerMessageId: string | null; attempts: number }, now: Date) {
  return {
    status: 'sent',
    providerMessageId: delivery.providerMessageId,
    attempts: delivery.attempts,
    sentAt: now,
    updatedAt: now,
    lastError: null,
  } as const;
}

/**
 * Every read and conditional write of message records (the state machine lives in the conditions).
 * Conditional writes go through ConditionalUpdates: on FerretDB a filter other than `{_id}` scans the
 * whole collection, which made every status change cost more as the records grew. For the same
 * reason the unsettled email and SMS records are listed apart (UnsettledMessages), kept by the
 * writes here: listed before the insert that makes a record unsettled, unlisted after the write
 * that settles it.
 */
@Injectable()
export class MessagesRepository implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagesRepository.name);
  private readonly updates: ConditionalUpdates<MessageRecord>;
  private readonly claims: WriteClaims;
  /** outboxes just written, waiting for the relay (see `flushSoon`) */
  private pendingFlush: { _id: string; outbox: unknown[] }[] = [];
  private flushing?: Promise<void>;
  /** the inserts of records planned meanwhile (a Kafka batch's events), one insert command each */
  private readonly inserts: GroupCommit<MessageRecord, boolean>;
  /** the workers' `sent` writes of the emails sent meanwhile, one update command each */
  private readonly sentWrites: GroupCommit<{ id: string; fields: ReturnType<typeof sentFields> }, boolean>;
  private readonly gate: StoreWriteGate;
  private readonly unsettled: UnsettledMessages;
  /** the removals from the lists of the messages settled meanwhile, one command at a time */
  private readonly unlists: GroupCommit<MessageRef, void>;

  constructor(
    @InjectModel(MessageRecord.name) private readonly model: Model<MessageRecord>,
    private readonly relay: OutboxRelay,
    @Optional() gate?: StoreWriteGate,
  ) {
    this.claims = WriteClaims.of(model);
    this.updates = new ConditionalUpdates(model, this.claims);
    this.gate = gate ?? new StoreWriteGate();
    this.unsettled = new UnsettledMessages(model.db);
    relay.watch(model, { lock: this.updates.lock });
    // One command in flight per kind: what arrives meanwhile waits for it and goes in the next one
    // (SQLite has one writer, so a second command in flight would only queue in FerretDB).
    this.inserts = new GroupCommit((records) => this.insertBatch(records), { maxBatch: 100, maxInFlight: 1 });
    this.sentWrites = new GroupCommit((writes) => this.writeSentBatch(writes), {
      maxBatch: WRITE_CHUNK,
      maxInFlight: 1,
    });
    this.unlists = new GroupCommit((refs) => this.unlistBatch(refs), { maxBatch: WRITE_CHUNK, maxInFlight: 1 });
  }

  /**
   * Hands a record's just-written outbox to the relay without waiting for it. The relay removes
   * published entries one write command at a time per process (StoreWriteGate): one flush per email
   * made every worker slot queue behind that gate. Outboxes written meanwhile go in the next flush
   * together (one publish, removals in commands of 25). Nothing is lost by not waiting: the entries
   * are stored, a failed flush is retried by the relay, and a crash leaves them to its sweep.
   */
  private flushSoon(doc: { _id: string; outbox: unknown[] }): void {
    this.pendingFlush.push(doc);
    this.flushing ??= this.drainFlushes();
  }

  private async drainFlushes(): Promise<void> {
    while (this.pendingFlush.length > 0) {
      const batch = this.pendingFlush;
      this.pendingFlush = [];
      await this.relay.flushWritten(this.model, batch);
    }
    this.flushing = undefined;
  }

  /** Waits for the outboxes handed over so far to be flushed (tests, shutdown). */
  async flushed(): Promise<void> {
    await Promise.all([this.inserts.idle(), this.sentWrites.idle()]);
    while (this.flushing) await this.flushing;
    await this.unlists.idle();
  }

  /**
   * Before the store connection and the producer close (their `onApplicationShutdown`). A flush
   * handed over later (a worker still draining) may not get out: its entries stay in the record and
   * the relay's sweep publishes them after the next start.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flushed();
  }

  /**
   * Inserts the record unless one with its id exists; returns the existing one, or null when inserted.
   * `events` are stored in the record's outbox by the same insert, then published.
   */
  async insertIfAbsent(record: MessageRecord, events: readonly EventEnvelope[] = []): Promise<MessageRecord | null> {
    const outbox = toOutboxEntries(events);
    // Resolves once the insert command carrying this record is acknowledged (group commit).
    const inserted = await this.inserts.submit({ ...record, outbox });
    if (!inserted) {
      const existing = await this.model.findById(record._id).lean<MessageRecord>().exec();
      // The insert listed it again; a settled record needs no entry.
      if (existing && !isUnsettled(existing.status)) this.unlistSoon(existing);
      return existing;
    }
    // The outbox as written: published and removed without reading the record again.
    if (outbox.length > 0) this.flushSoon({ _id: record._id, outbox });
    return null;
  }

  /**
   * One insert command for the records of several callers; answers, per record, whether it was
   * inserted (false: a record with its `_id` exists). Unordered, so a duplicate does not stop the others.
   * The driver's own insert: the records are complete as `toRecord` builds them, and mongoose's
   * per-document casting and validation cost more CPU than the command (a profile of the arrival bench).
   */
  private async insertBatch(records: MessageRecord[]): Promise<boolean[]> {
    // Listed before the insert that makes them unsettled (a replay's record already stored is listed
    // too, and unlisted in insertIfAbsent when it is settled).
    await this.unsettled.add(records.filter((r) => isUnsettled(r.status)));
    try {
      await this.model.collection.insertMany(records as never[], { ordered: false });
      return records.map(() => true);
    } catch (error) {
      const duplicates =
        duplicateKeyIndexes(error) ?? (records.length === 1 && isDuplicateKeyError(error) ? new Set([0]) : undefined);
      if (!duplicates) throw error;
      return records.map((_, index) => !duplicates.has(index));
    }
  }

  /**
   * Adds events to a stored record's outbox and hands them to the relay: for an event that could
   * not be published straight away (SentEvents answered false). A conditional write under the
   * record's write claim, like every outbox write; false when the record is gone.
   */
  async keepInOutbox(id: string, events: readonly EventEnvelope[]): Promise<boolean> {
    const outbox = toOutboxEntries(events);
    if (outbox.length === 0) return true;
    const before = await this.updates.updateIf(id, {}, mergePush({}, OUTBOX_FIELD, { $each: outbox }));
    if (before) this.flushSoon({ _id: id, outbox });
    return before !== null;
  }

  findById(id: string): Promise<MessageRecord | null> {
    return this.model.findById(id).lean<MessageRecord>().exec();
  }

  /**
   * planned → queued, never anything else. Only records written by versions before the two-write
   * path are `planned` (reconciliation moves them on); new records are inserted `queued`.
   */
  async markQueued(id: string, now: Date): Promise<void> {
    await this.updates.updateIf(id, { status: 'planned' }, { $set: { status: 'queued', updatedAt: now } });
  }

  /**
   * The record a worker is about to send: one point read, no write. Null when it is settled (sent or
   * failed) or unknown, so a replayed or re-enqueued job never sends a settled message again.
   */
  async findDeliverable(id: string): Promise<MessageRecord | null> {
    const record = await this.model.findById(id).lean<MessageRecord>().exec();
    return record && isUnsettled(record.status) ? record : null;
  }

  /**
   * unsettled → sent, in one write right after the provider accepted the message, with the attempt
   * count (BullMQ's: every start of the job, retries and stalled restarts included); `events` go into
   * its outbox in the same write (only once: the filter). sent is final: nothing moves it back.
   * Returns false when the record was already settled (a concurrent attempt got there first).
   */
  async markSent(
    id: string,
    channel: MessageRef['channel'],
    delivery: { providerMessageId: string | null; attempts: number },
    now: Date,
    events: readonly EventEnvelope[],
  ): Promise<boolean> {
    const outbox = toOutboxEntries(events);
    const set = { $set: sentFields(delivery, now) };
    const before = await this.updates.updateIf(
      id,
      { status: { $in: UNSETTLED } },
      outbox.length > 0 ? mergePush(set, OUTBOX_FIELD, { $each: outbox }) : set,
    );
    if (before && outbox.length > 0) this.flushSoon({ _id: id, outbox });
    // Settled now, or already (by another attempt): either way it needs no entry.
    this.unlistSoon({ _id: id, channel });
    return before !== null;
  }

  /**
   * → sent, when its NotificationSent is already published (SentEvents): one point write by `_id`,
   * no read, no outbox, no write claim. The worker read the record unsettled just before the send;
   * from the insert on, an email's record has no other writer but the attempts of its one job
   * (BullMQ runs a job once at a time; only a stalled restart overlaps) and the relay, which writes
   * only records with an outbox (`markSent`). A late concurrent `failed` is overwritten: the email
   * did go out. Returns false when the record is gone.
   */
  async markSentPublished(
    id: string,
    channel: MessageRef['channel'],
    delivery: { providerMessageId: string | null; attempts: number },
    now: Date,
  ): Promise<boolean> {
    // Resolves once the update command carrying this write is acknowledged (group commit).
    const marked = await this.sentWrites.submit({ id, fields: sentFields(delivery, now) });
    this.unlistSoon({ _id: id, channel });
    return marked;
  }

  /**
   * The `sent` writes of several workers' slots in one update command (a point update by `_id`
   * each, unordered), under the in-process locks of their records (memory only: this process's
   * relay removal of the same record queues behind it) and the process's write-command gate.
   * The driver's bulkWrite: the fields are typed as stored, nothing for mongoose to cast.
   */
  private async writeSentBatch(writes: { id: string; fields: ReturnType<typeof sentFields> }[]): Promise<boolean[]> {
    const ids = writes.map((w) => w.id);
    const result = await this.claims.local.runExclusive(ids, () =>
      this.gate.run(() =>
        this.model.collection.bulkWrite(
          // String `_id`s: the driver's default typing assumes ObjectIds.
          writes.map((w) => ({ updateOne: { filter: { _id: w.id }, update: { $set: w.fields } } })) as never,
          { ordered: false },
        ),
      ),
    );
    if (result.matchedCount >= new Set(ids).size) return writes.map(() => true);
    // Some record is gone (the count does not say which): a point read of each tells.
    return Promise.all(ids.map(async (id) => (await this.model.exists({ _id: id })) !== null));
  }

  /**
   * unsettled → failed: the last attempt failed, or BullMQ gave up on the job without a failed
   * attempt of ours (it stalled too often). No attempt of that job runs any more. A failed attempt
   * with retries left writes nothing: the record stays `queued`, the reason is on the BullMQ job.
   */
  async markFailed(
    id: string,
    channel: MessageRef['channel'],
    error: string,
    now: Date,
    attempts?: number,
  ): Promise<void> {
    await this.updates.updateIf(
      id,
      { status: { $in: UNSETTLED } },
      {
        $set: {
          status: 'failed',
          lastError: error.slice(0, 1000),
          updatedAt: now,
          ...(attempts === undefined ? {} : { attempts }),
        },
      },
    );
    // Settled now, or already: either way it needs no entry.
    this.unlistSoon({ _id: id, channel });
  }

  /**
   * Unlists a settled message without the caller waiting: a removal that never happens (a crash, a
   * store error) leaves an entry behind, which reconciliation drops once it reads the record settled.
   */
  private unlistSoon(message: MessageRef): void {
    void this.unlists.submit(message);
  }

  private async unlistBatch(messages: MessageRef[]): Promise<void[]> {
    try {
      // One write command at a time per process, like the other multi-statement writes.
      await this.gate.run(() => this.unsettled.remove(messages));
    } catch (error) {
      this.logger.warn(
        `could not unlist ${messages.length} settled message(s), left to reconciliation: ${String(error)}`,
      );
    }
    return messages.map(() => undefined);
  }

  /**
   * The records that are not settled, untouched since `before` and due at `now` (an SMS held for
   * quiet hours is not, until its `notBefore`): candidates for re-enqueueing, in pages of at most
   * `pageSize` records, oldest listing first. Read from the lists of unsettled messages (the entries
   * listed before `before`, each record by `_id`), not by filtering the records, which FerretDB does
   * by reading every one. An entry whose record is settled is dropped, and so is one whose record
   * is still missing UNWRITTEN_AFTER_MS after its listing (its insert failed).
   */
  async *unsettledDue(before: Date, now: Date, pageSize: number): AsyncGenerator<MessageRecord[]> {
    const unwritten = now.getTime() - UNWRITTEN_AFTER_MS;
    for (const channel of LISTED_CHANNELS) {
      const listed = await this.unsettled.entries(channel, () => this.scanUnsettled(channel), before);
      listed.sort((a, b) => a.listedAt.getTime() - b.listedAt.getTime() || a._id.localeCompare(b._id));
      for (const page of chunks(listed, pageSize)) {
        const found = new Map(
          (
            await findByIds<MessageRecord>(
              this.model.collection,
              page.map((e) => e._id),
            )
          ).map((r) => [r._id, r]),
        );
        const dropped = page.filter((e) => {
          const record = found.get(e._id);
          return record ? !isUnsettled(record.status) : e.listedAt.getTime() < unwritten;
        });
        if (dropped.length > 0) {
          await this.gate.run(() => this.unsettled.remove(dropped.map((e) => ({ _id: e._id, channel }))));
        }
        const due = [...found.values()].filter(
          (r) =>
            isUnsettled(r.status) &&
            r.updatedAt.getTime() < before.getTime() &&
            (!r.notBefore || r.notBefore.getTime() <= now.getTime()),
        );
        yield due.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a._id.localeCompare(b._id));
      }
    }
  }

  /**
   * The unsettled messages per channel, from the lists (a message settled a moment ago may still be
   * counted), reported as `queued`: what current code writes for them.
   */
  async countUnsettled(): Promise<MessageCount[]> {
    const counts: MessageCount[] = [];
    for (const channel of LISTED_CHANNELS) {
      const listed = await this.unsettled.entries(channel, () => this.scanUnsettled(channel));
      counts.push({ channel, status: 'queued', count: listed.length });
    }
    return counts;
  }

  /** The ids of a channel's unsettled records, by a scan of the records: only to fill its list once. */
  private async scanUnsettled(channel: DeliveryChannel): Promise<string[]> {
    const rows = await this.model
      .find({ channel, status: { $in: UNSETTLED } }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return rows.map((r) => r._id);
  }

  /**
   * Every record counted by channel and status: an aggregate over the whole collection (FerretDB
   * reads every record), so the metrics run it rarely (NOTIFICATIONS_SETTLED_COUNT_REFRESH_MS).
   */
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
    const filter: QueryFilter<MessageRecord> = { userId, channel: 'in_app', ...afterTimeCursor(cursor) };
    return this.model.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<MessageRecord[]>().exec();
  }

  unreadCount(userId: string): Promise<number> {
    return this.model.countDocuments({ userId, channel: 'in_app', readAt: null }).exec();
  }

  async markRead(id: string, now: Date): Promise<void> {
    await this.updates.updateIf(id, { readAt: null }, { $set: { readAt: now } });
  }
}
