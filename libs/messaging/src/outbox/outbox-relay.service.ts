import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { type EventEnvelope, validateEvent } from '@app/contracts';
import type { Model } from 'mongoose';
import { EventPublisher } from '../event-publisher.service';
import { MESSAGING_OPTIONS, type ResolvedMessagingOptions } from '../messaging.options';
import type { DocumentLock } from '@app/persistence';
import { chunks, findByIds, StoreWriteGate, WRITE_CHUNK } from '@app/persistence';
import { setEventCause } from '../tracing/event-trace';
import { fromOutboxEntry, OUTBOX_FIELD, OUTBOX_UNMARKED_FIELD } from './outbox';
import { type OutboxPendingDocuments, PendingSetUnavailableError } from './outbox-pending-set';

interface OutboxDoc {
  _id: unknown;
  outbox?: unknown[];
  outboxUnmarked?: boolean;
}

// The raw driver collection: the relay works on any aggregate without mongoose casting.
type RelayCollection = Model<unknown>['collection'];

const MAX_BACKOFF_MS = 30_000;

/**
 * Publishes the events kept in aggregate documents (`outbox`), then removes exactly the published
 * ones (or leaves that to the writer's next write, in a collection pruned by it: `watch`). `flush`
 * runs right after a write. A flush that fails (broker down) is remembered and retried every
 * `retryIntervalMs` by reading just those documents. The sweep, at start and every `sweepIntervalMs`, recovers what no process remembers: entries left by a crash between the
 * write and the publish. A full pass reads whole collections (on FerretDB any filter but `{_id}`
 * does: 10 s of FerretDB CPU for 100,000 parcels, README "Outbox sweep"), so a collection watched
 * with a pending set (`OutboxPendingSet`, in Redis) is swept by point reads of its members, and read
 * whole only every `fullSweepIntervalMs` and when the set is not complete (Redis lost it). Not at
 * start: a second instance that starts under load (scale-out) would read every parcel at once, for
 * what the set already names. Other collections get the full pass at every sweep. A crashed
 * process's leftovers are recovered by its restart's first sweep (they are members); what a crash
 * left of writes Redis refused to mark, by the next full pass of any instance; the timer is the
 * safety net for a process that never comes back. Several instances may sweep: a duplicate publish is harmless because consumers are
 * idempotent.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly collections = new Map<string, RelayCollection>();
  private readonly locks = new Map<string, DocumentLock>();
  private readonly pendingSets = new Map<string, OutboxPendingDocuments>();
  /** Collections pruned by the next write (`watch`, `prunedByNextWrite`). */
  private readonly prunedByNextWrite = new Set<string>();
  /** Collections whose last mark Redis refused (logged once until it answers again). */
  private readonly markFailing = new Set<string>();
  /** ids of documents whose flush failed, by collection: retried by point reads */
  private readonly failed = new Map<string, Set<unknown>>();
  private nextSweepAt = 0;
  private nextFullSweepAt = 0;
  private readonly reportedInvalid = new Set<string>();
  /** The sweeps' reads in progress, each with the documents whose entries this process removed meanwhile. */
  private readonly sweepReads = new Set<{ collection: string; removed: Set<string> }>();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private failures = 0;
  private running = false;

  private readonly gate: StoreWriteGate;

  constructor(
    private readonly publisher: EventPublisher,
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    @Optional() gate?: StoreWriteGate,
  ) {
    this.gate = gate ?? new StoreWriteGate();
  }

  /**
   * Registers a collection whose documents carry an outbox, so the sweep looks at it. `lock` is the
   * per-document lock its writers hold (keyed by `_id`): FerretDB applies every update as a read
   * then a write of the whole document, so the relay's removal of published entries must not run
   * between another writer's read and write of the same document, or one of the two writes is lost.
   * A KeyedLock keeps the writers of this process apart; WriteClaims those of every process.
   * Never call `flush` for such a collection while holding that lock (it is not reentrant).
   *
   * `pending`: the sweep reads the members of this set instead of the whole collection. Then every
   * writer that stores entries calls `markPending` first, under `lock`, which must hold across
   * processes (WriteClaims), and `flushWritten` is handed each document's whole outbox.
   *
   * `prunedByNextWrite` (with `pending`): `flushWritten` publishes and removes the documents from the
   * set, and leaves the published entries in them (on FerretDB a removal is a read and a rewrite of
   * the whole document: as costly as the write itself). The collection's one writer of entries drops
   * them in its next write of the document: it keeps the entries of the documents `unpublishedAmong`
   * names, drops the others', and stores `OUTBOX_UNMARKED_FIELD: true` when `markPending` answered
   * false. It rests on this invariant: while the set is complete, a document that is neither a member
   * nor flagged holds only published entries (a writer adds the member before its write; the member
   * goes, under the lock, only after the document's whole outbox is published; a flag goes only,
   * under the lock, once the document is a member). The sweep by members reads only those still
   * members under the lock; the full pass reads only the flagged documents while the set is
   * complete, and every document with entries once when it is not (a republish, consumers dedupe).
   * The sweeps' own removals stay (off the hot path): what they publish, they prune.
   */
  watch<T>(
    model: Model<T>,
    options: { lock?: DocumentLock; pending?: OutboxPendingDocuments; prunedByNextWrite?: boolean } = {},
  ): void {
    const name = model.collection.collectionName;
    if (options.pending && !options.lock) throw new Error(`${name}: a pending set needs the documents' lock`);
    if (options.prunedByNextWrite && !options.pending)
      throw new Error(`${name}: pruning by the next write needs a pending set`);
    if (options.prunedByNextWrite) this.prunedByNextWrite.add(name);
    else this.prunedByNextWrite.delete(name);
    this.collections.set(name, model.collection);
    if (options.lock) this.locks.set(name, options.lock);
    else this.locks.delete(name);
    if (options.pending) this.pendingSets.set(name, options.pending);
    else this.pendingSets.delete(name);
  }

  /**
   * Records, before the write that stores entries in them, that these documents may hold entries
   * (a no-op for a collection watched without a pending set). Never throws: when Redis does not take
   * them the write goes on (ingest keeps running through a Redis outage, as the tracking view does),
   * and what such a write leaves after a crash is found by a full pass, the restarted process's first
   * one or another instance's hourly one. False when Redis refused: in a collection pruned by the next
   * write, the write then flags the documents (`OUTBOX_UNMARKED_FIELD`).
   */
  async markPending<T>(model: Model<T>, ids: readonly string[]): Promise<boolean> {
    const name = model.collection.collectionName;
    const pending = this.pendingSets.get(name);
    if (!pending || ids.length === 0) return true;
    try {
      await pending.add(ids);
      this.markFailing.delete(name);
      return true;
    } catch (error) {
      if (!this.markFailing.has(name)) {
        this.markFailing.add(name);
        this.logger.warn(`${name}: pending set unavailable, writing unmarked until it answers: ${describe(error)}`);
      }
      return false;
    }
  }

  /**
   * For the writer of a collection pruned by the next write, holding these documents' locks: those
   * whose stored entries may not all be published yet, whose entries its write keeps (the others'
   * it drops). Members of the pending set; all of them when the set is not complete or Redis does not
   * answer (the safe side: kept entries are published again). A flagged document
   * (`OUTBOX_UNMARKED_FIELD`) is the caller's to keep. All of them in any other collection.
   */
  async unpublishedAmong<T>(model: Model<T>, ids: readonly string[]): Promise<Set<string>> {
    const name = model.collection.collectionName;
    const pending = this.pendingSets.get(name);
    if (!pending || !this.prunedByNextWrite.has(name) || ids.length === 0) return new Set(ids);
    try {
      const { complete, members } = await pending.membership(ids);
      return complete ? new Set(ids.filter((_, i) => members[i])) : new Set(ids);
    } catch (error) {
      this.logger.debug(`${name}: pending set unavailable, keeping the stored entries: ${describe(error)}`);
      return new Set(ids);
    }
  }

  /**
   * Publishes the pending events of these documents now: one read of the documents, one publish
   * (split by the publisher into sends the broker accepts), bulk removals. Never throws: what fails
   * stays in the documents for the sweep. Skipped when OUTBOX_CRASH_AFTER_WRITE is on (fault injection).
   */
  async flush<T>(model: Model<T>, ids: readonly unknown[]): Promise<void> {
    if (this.skipFlush(ids.length)) return;
    const collection = model.collection;
    try {
      const docs = await findByIds<OutboxDoc>(collection, ids, { projection: { [OUTBOX_FIELD]: 1 } });
      await this.publishDocs(collection, docs);
    } catch (error) {
      this.remember(collection, ids, error);
    }
  }

  /**
   * Like `flush`, without the read: the caller hands over the outbox of each document exactly as it
   * just wrote it (the removal is a `$pullAll` of these very entries, so a change in between is
   * harmless). Never throws. `locksHeld`: the caller holds the documents' locks (the collection's
   * `lock`) already, so the removal does not take them again (a claim is a store round trip each
   * way, on the hot path). In a collection pruned by the next write, with `locksHeld`, nothing is
   * removed: the documents whose every entry went out leave the pending set, their entries stay.
   */
  async flushWritten<T>(
    model: Model<T>,
    docs: readonly { _id: unknown; outbox: readonly unknown[] }[],
    options: { locksHeld?: boolean } = {},
  ): Promise<void> {
    if (this.skipFlush(docs.length)) return;
    const collection = model.collection;
    const locksHeld = options.locksHeld === true;
    // Pruned by the writer's next write: no removal here, only the members (under the locks).
    const prune = !(locksHeld && this.prunedByNextWrite.has(collection.collectionName));
    let emptied: unknown[];
    try {
      ({ emptied } = await this.publishDocs(
        collection,
        docs.map((d) => ({ _id: d._id, outbox: [...d.outbox] })),
        { locksHeld, prune },
      ));
    } catch (error) {
      this.remember(
        collection,
        docs.map((d) => d._id),
        error,
      );
      return;
    }
    // Under the documents' locks, whose whole outbox this was: no writer is between its mark and its write.
    const pending = this.pendingSets.get(collection.collectionName);
    if (pending && locksHeld && emptied.length > 0) {
      await pending.remove(emptied.map(String)).catch((error: unknown) => {
        this.logger.debug(`pending set not trimmed (the sweep trims it): ${describe(error)}`);
      });
    }
  }

  /** Reads again the documents whose flush failed and publishes what they still hold; returns how many events. */
  async retryFailed(): Promise<number> {
    let published = 0;
    for (const [name, ids] of this.failed) {
      const collection = this.collections.get(name);
      if (!collection || ids.size === 0) continue;
      // Documents a writer of this process still holds wait for the next tick: it publishes its own.
      const lock = this.locks.get(name);
      const batch = [...ids].filter((id) => !lock?.busyHere?.(String(id)));
      if (batch.length === 0) continue;
      for (const id of batch) ids.delete(id);
      try {
        published += await this.retryDocs(collection, batch);
      } catch (error) {
        for (const id of batch) ids.add(id);
        throw error;
      }
    }
    return published;
  }

  /**
   * Publishes what these documents still hold. In a collection pruned by the next write, only the
   * members' entries, under their locks (as the sweep does): a document its writer took out of the set
   * meanwhile holds only published entries, which a plain read would send again (a document a sweep
   * passed over while its writer held it is one). Without Redis, all of them (at least once).
   */
  private async retryDocs(collection: RelayCollection, ids: readonly unknown[]): Promise<number> {
    const pending = this.pendingSets.get(collection.collectionName);
    if (pending && this.prunedByNextWrite.has(collection.collectionName)) {
      try {
        // In parts of a sweep's size: a failed flush of a big ingest batch names thousands, more than
        // one hold of their claims keeps within its expiry.
        let published = 0;
        for (const part of chunks(ids.map(String), this.options.outbox.sweepBatchSize)) {
          published += (await this.publishMembers(collection, pending, part, { young: true })).published;
        }
        return published;
      } catch (error) {
        if (!(error instanceof PendingSetUnavailableError)) throw error;
      }
    }
    const docs = await findByIds<OutboxDoc>(collection, ids, { projection: { [OUTBOX_FIELD]: 1 } });
    return (await this.publishDocs(collection, docs)).published;
  }

  /**
   * One pass over every watched collection (at most `sweepBatchSize` documents with entries from
   * each): how many events it published, and whether a batch was full and published something, so
   * that more may wait (the timer then sweeps again at its next tick). A collection with a pending
   * set is read by its members, unless `full` or the set is not complete.
   */
  async sweep(options: { full?: boolean } = {}): Promise<{ published: number; more: boolean }> {
    let published = 0;
    let more = false;
    for (const collection of this.collections.values()) {
      const pending = this.pendingSets.get(collection.collectionName);
      const pass = pending
        ? await this.sweepPending(collection, pending, options.full === true)
        : await this.sweepAll(collection);
      published += pass.published;
      more ||= pass.more;
    }
    return { published, more };
  }

  /**
   * The full pass of one collection: every document with entries, read by one filter (a scan on
   * FerretDB). In a collection pruned by the next write (only here when Redis does not answer), the
   * flagged ones: the others' entries are published or their documents members, which wait for Redis.
   */
  private async sweepAll(collection: RelayCollection): Promise<{ published: number; more: boolean }> {
    const cutoff = Date.now() - this.options.outbox.sweepMinAgeMs;
    const read = { collection: collection.collectionName, removed: new Set<string>() };
    this.sweepReads.add(read);
    const withEntries = { [`${OUTBOX_FIELD}.0`]: { $exists: true } };
    const filter = this.prunedByNextWrite.has(collection.collectionName)
      ? { ...withEntries, [OUTBOX_UNMARKED_FIELD]: true }
      : withEntries;
    let docs: OutboxDoc[];
    try {
      docs = await collection
        .find(filter, {
          projection: { [OUTBOX_FIELD]: 1 },
          limit: this.options.outbox.sweepBatchSize,
        })
        .toArray();
    } finally {
      this.sweepReads.delete(read);
    }
    // Young entries are most likely being flushed by the write that stored them, and so are the
    // entries of a document a writer of this process holds or waits for (a big ingest batch on a
    // loaded machine holds its parcels for seconds), or flushed while the read ran (it reads the
    // whole collection: seconds on FerretDB): publishing them here would only publish them twice,
    // and keep the sweep coming back while ingest runs.
    const lock = this.locks.get(collection.collectionName);
    const due: OutboxDoc[] = [];
    const held: unknown[] = [];
    for (const doc of docs) {
      const id = String(doc._id);
      if (read.removed.has(id)) continue;
      if (lock?.busyHere?.(id)) held.push(doc._id);
      else due.push({ _id: doc._id, outbox: (doc.outbox ?? []).filter((e) => occurredAtMs(e) <= cutoff) });
    }
    // The writer of a held document publishes what it writes, but not what a crashed process left
    // on a document this write does not change (a batch redelivered after the crash applies nothing
    // new): read again by point reads with the failed flushes, once the writer is done, rather than
    // at the next full sweep minutes later.
    if (held.length > 0) this.retryLater(collection, held);
    const { published } = await this.publishDocs(collection, due);
    return { published, more: published > 0 && docs.length === this.options.outbox.sweepBatchSize };
  }

  /**
   * The pass of a collection with a pending set: its members, read by `_id`. When the set is not
   * complete (Redis lost it), or `full`, the collection is read whole for the documents with entries,
   * which become members, and the set is marked complete if nothing emptied it meanwhile. Without
   * Redis, the plain full pass.
   */
  private async sweepPending(
    collection: RelayCollection,
    pending: OutboxPendingDocuments,
    full: boolean,
  ): Promise<{ published: number; more: boolean }> {
    const batchSize = this.options.outbox.sweepBatchSize;
    const name = collection.collectionName;
    try {
      if (!full) {
        const { complete, ids } = await pending.sample(batchSize);
        if (complete) {
          const { published, settled } = await this.publishMembers(collection, pending, ids);
          return { published, more: ids.length === batchSize && settled > 0 };
        }
        this.logger.log(`${name}: the pending set is not complete, reading the whole collection`);
      }
      if (this.prunedByNextWrite.has(name)) return await this.fullPassPrunedByNextWrite(collection, pending);
      const marker = await pending.beginFullPass();
      const docs = await collection
        .find({ [`${OUTBOX_FIELD}.0`]: { $exists: true } }, { projection: { _id: 1 }, limit: batchSize })
        .toArray();
      const ids = docs.map((d) => String(d._id));
      // Members first: what the locked pass below cannot settle (young, held, invalid) stays a member.
      await pending.add(ids);
      const { published, settled } = await this.publishMembers(collection, pending, ids);
      const sawAll = docs.length < batchSize;
      await pending.endFullPass(marker, sawAll);
      return { published, more: !sawAll && settled > 0 };
    } catch (error) {
      if (!(error instanceof PendingSetUnavailableError)) throw error;
      this.logger.warn(`${name}: pending set unavailable (${describe(error)}), reading the whole collection`);
      return this.sweepAll(collection);
    }
  }

  /**
   * The full pass of a collection pruned by the next write: the documents that may hold unpublished
   * entries no member names, read by one filter without a limit, become members (a filter is a scan
   * on FerretDB: one, not one per batch), and the sweep by members publishes and prunes them batch by
   * batch. While the set is complete those are the flagged documents (written while Redis refused),
   * whose flags then go; when it is not, every document with entries, published or not (a republish
   * of each one's last events, which consumers drop by event id).
   */
  private async fullPassPrunedByNextWrite(
    collection: RelayCollection,
    pending: OutboxPendingDocuments,
  ): Promise<{ published: number; more: boolean }> {
    const batchSize = this.options.outbox.sweepBatchSize;
    const flagged = { [OUTBOX_UNMARKED_FIELD]: true };
    // The marker first: a loss of the set after the answer below takes the marker too.
    const marker = await pending.beginFullPass();
    const { complete } = await pending.membership([]);
    const filter = complete ? flagged : { $or: [flagged, { [`${OUTBOX_FIELD}.0`]: { $exists: true } }] };
    const docs = await collection.find(filter, { projection: { _id: 1, [OUTBOX_UNMARKED_FIELD]: 1 } }).toArray();
    const ids = docs.map((d) => String(d._id));
    await pending.add(ids);
    await this.unflag(
      collection,
      pending,
      docs.filter((d) => d.outboxUnmarked === true).map((d) => String(d._id)),
    );
    await pending.endFullPass(marker, true);
    const { published, settled } = await this.publishMembers(collection, pending, ids.slice(0, batchSize));
    return { published, more: ids.length > batchSize && settled > 0 };
  }

  /** Removes the flags of these documents under their locks, once they are members (the set names them now). */
  private async unflag(
    collection: RelayCollection,
    pending: OutboxPendingDocuments,
    ids: readonly string[],
  ): Promise<void> {
    const lock = this.locks.get(collection.collectionName);
    if (!lock) return;
    for (const chunk of chunks(ids, WRITE_CHUNK)) {
      await lock.runExclusive(chunk, async (hold) => {
        // Again under the locks: since the add above a writer may have published and removed the
        // member, then written entries Redis refused to mark.
        await pending.add(chunk);
        hold.assertHeld();
        await this.gate.run(() =>
          collection.bulkWrite(
            chunk.map((id) => ({
              updateOne: { filter: { _id: id }, update: { $unset: { [OUTBOX_UNMARKED_FIELD]: '' } } },
            })) as never,
            { ordered: false },
          ),
        );
      });
    }
  }

  /**
   * Publishes the due entries of these members under their locks (read, publish, prune), and removes
   * the members left without entries: no writer is between its mark and its write while the lock is
   * held. Members a writer of this process holds are left to it.
   */
  private async publishMembers(
    collection: RelayCollection,
    pending: OutboxPendingDocuments,
    ids: readonly string[],
    options: { young?: boolean } = {},
  ): Promise<{ published: number; settled: number }> {
    const lock = this.locks.get(collection.collectionName);
    const free = ids.filter((id) => !lock?.busyHere?.(id));
    // As in the full pass: read again by point reads once the writer lets go (it may not change the
    // document, and so not publish what a crash left on it), not at the next sweep minutes later.
    if (free.length < ids.length)
      this.retryLater(
        collection,
        ids.filter((id) => lock?.busyHere?.(id)),
      );
    if (!lock || free.length === 0) return { published: 0, settled: 0 };
    // A retry publishes young entries too: their writer's flush failed, nobody else is publishing them.
    const cutoff = options.young ? Infinity : Date.now() - this.options.outbox.sweepMinAgeMs;
    return lock.runExclusive(free, async (hold) => {
      // Pruned by the next write: a document its writer took out of the set meanwhile holds only
      // published entries (read, they would go out again), so only members are read.
      const members = this.prunedByNextWrite.has(collection.collectionName)
        ? await pending.membership(free).then(({ members: of }) => free.filter((_, i) => of[i]))
        : free;
      const docs = await findByIds<OutboxDoc>(collection, members, { projection: { [OUTBOX_FIELD]: 1 } });
      const found = new Map(docs.map((d) => [String(d._id), d]));
      const due = docs.map((d) => ({ _id: d._id, outbox: (d.outbox ?? []).filter((e) => occurredAtMs(e) <= cutoff) }));
      hold.assertHeld();
      const { published, emptied } = await this.publishDocs(collection, due, { locksHeld: true });
      const pruned = new Set(emptied.map(String));
      // Settled: gone, or every entry it held was due and is pruned now.
      const settled = members.filter((id) => {
        const doc = found.get(id);
        const held = doc?.outbox ?? [];
        return (
          held.length === 0 || (pruned.has(id) && due.find((d) => String(d._id) === id)?.outbox.length === held.length)
        );
      });
      if (settled.length > 0) await pending.remove(settled);
      return { published, settled: settled.length + free.length - members.length };
    });
  }

  /**
   * Starts the timer (called on module init): the first tick sweeps, a collection with a complete
   * pending set by its members; the first full pass of such a collection comes a full interval later.
   */
  start(): void {
    if (this.running || this.options.outbox.sweepIntervalMs === 0) return;
    this.running = true;
    this.nextSweepAt = 0;
    this.nextFullSweepAt = Date.now() + this.options.outbox.fullSweepIntervalMs;
    this.schedule(this.tickMs());
  }

  /** Stops the sweep and waits for a running pass to end (called on shutdown). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  private schedule(delayMs: number): void {
    // Jitter keeps instances from sweeping in lockstep.
    const jittered = Math.round(delayMs * (0.8 + Math.random() * 0.4));
    this.timer = setTimeout(() => {
      this.sweeping = this.sweepOnce().finally(() => (this.sweeping = undefined));
    }, jittered);
    this.timer.unref();
  }

  /** One tick: the retry of failed flushes, and the sweep when it is due (in full when that is due). */
  private async sweepOnce(): Promise<void> {
    try {
      const retried = await this.retryFailed();
      if (retried > 0) this.logger.log(`retry published ${retried} pending event(s)`);
      if (Date.now() >= this.nextSweepAt) {
        const full = Date.now() >= this.nextFullSweepAt;
        const { published, more } = await this.sweep({ full });
        if (full && !more) this.nextFullSweepAt = Date.now() + this.options.outbox.fullSweepIntervalMs;
        this.nextSweepAt = more ? 0 : Date.now() + this.options.outbox.sweepIntervalMs;
        if (published > 0) this.logger.log(`sweep published ${published} pending event(s)`);
      }
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.logger.warn(`outbox sweep failed (${this.failures} in a row): ${describe(error)}`);
    }
    if (!this.running) return;
    const interval = this.tickMs();
    this.schedule(this.failures === 0 ? interval : Math.min(interval * 2 ** this.failures, MAX_BACKOFF_MS));
  }

  private tickMs(): number {
    return Math.min(this.options.outbox.retryIntervalMs, this.options.outbox.sweepIntervalMs);
  }

  private remember(collection: RelayCollection, ids: readonly unknown[], error: unknown): void {
    this.retryLater(collection, ids);
    const name = collection.collectionName;
    this.logger.warn(`flush of ${ids.length} ${name} document(s) failed, retried shortly: ${describe(error)}`);
  }

  /** Has the retry tick read these documents again and publish what they still hold. */
  private retryLater(collection: RelayCollection, ids: readonly unknown[]): void {
    const name = collection.collectionName;
    const set = this.failed.get(name) ?? new Set<unknown>();
    for (const id of ids) set.add(id);
    this.failed.set(name, set);
  }

  private skipFlush(count: number): boolean {
    if (!this.options.outbox.crashAfterWrite) return false;
    this.logger.warn(`OUTBOX_CRASH_AFTER_WRITE: not publishing ${count} document(s); the sweep will`);
    return true;
  }

  /**
   * One publish of the valid entries of all these documents (sent in bounded chunks, in order), then
   * unless `prune` is false a bulk `$pullAll` of exactly those entries (FerretDB v1.24.2 silently
   * ignores a conditional `$pull`).
   */
  private async publishDocs(
    collection: RelayCollection,
    docs: readonly OutboxDoc[],
    options: { locksHeld?: boolean; prune?: boolean } = {},
  ): Promise<{ published: number; emptied: unknown[] }> {
    const { locksHeld = false, prune = true } = options;
    const pulls: { _id: unknown; entries: unknown[] }[] = [];
    const envelopes: EventEnvelope[] = [];
    // Documents every given entry of which is valid, so pruned below.
    const emptied: unknown[] = [];
    for (const doc of docs) {
      const valid: unknown[] = [];
      for (const entry of doc.outbox ?? []) {
        // The entry as stored is what gets pulled; the envelope without the writer's trace context is what goes out.
        const { envelope, traceparent } = fromOutboxEntry(entry);
        const result = validateEvent(envelope);
        if (result.ok) {
          valid.push(entry);
          setEventCause(envelope as object, traceparent);
          envelopes.push(envelope as EventEnvelope);
        } else this.reportInvalid(collection, doc, entry, result.reason);
      }
      if (valid.length > 0) pulls.push({ _id: doc._id, entries: valid });
      if (valid.length === (doc.outbox ?? []).length) emptied.push(doc._id);
    }
    if (pulls.length === 0) return { published: 0, emptied };
    await this.publisher.publish(envelopes);
    const published = pulls.reduce((n, p) => n + p.entries.length, 0);
    if (!prune) return { published, emptied };
    // FerretDB holds a connection per statement until the command ends: small commands, one at a time.
    const lock = locksHeld ? undefined : this.locks.get(collection.collectionName);
    for (const chunk of chunks(pulls, WRITE_CHUNK)) {
      const pull = () =>
        this.gate.run(() =>
          collection.bulkWrite(
            chunk.map((p) => ({
              updateOne: { filter: { _id: p._id }, update: { $pullAll: { [OUTBOX_FIELD]: p.entries } } },
            })) as never,
            { ordered: false },
          ),
        );
      await (lock
        ? lock.runExclusive(
            chunk.map((p) => String(p._id)),
            (hold) => {
              hold.assertHeld();
              return pull();
            },
          )
        : pull());
      for (const read of this.sweepReads) {
        if (read.collection === collection.collectionName) for (const p of chunk) read.removed.add(String(p._id));
      }
    }
    return { published, emptied };
  }

  private reportInvalid(collection: RelayCollection, doc: OutboxDoc, entry: unknown, reason: string): void {
    const id = (entry as { id?: unknown } | null)?.id;
    const key = `${collection.collectionName}/${String(doc._id)}/${String(id)}`;
    if (this.reportedInvalid.has(key)) return;
    this.reportedInvalid.add(key);
    this.logger.error(`outbox entry ${key} is not a valid event and stays unpublished: ${reason}`);
  }
}

function occurredAtMs(entry: unknown): number {
  const at = (entry as { occurredAt?: unknown } | null)?.occurredAt;
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
