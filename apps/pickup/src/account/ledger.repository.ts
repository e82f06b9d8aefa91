import { ConflictException, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { OutboxRelay } from '@app/messaging';
import { findByIds, type LockHold, PendingList, StoreBusyError, WriteClaims } from '@app/persistence';
import { afterTimeCursor, decodeTimeCursor, Clock } from '@app/platform';
import { AccountBalance } from './account-balance.schema';
import { LedgerEntry } from './ledger-entry.schema';

const DUPLICATE_KEY = 11000;
/** A crashed holder blocks its owner's debits this long at most. */
const CLAIM_TTL_MS = 15_000;
/** How long a debit waits for another one of the same owner before answering 409. */
const CLAIM_WAIT_MS = 5_000;

/** Set once every owner with entries has a balance document (then a missing one means 0, not a scan). */
const BACKFILL_MARKER = '#backfilled';

const isDuplicate = (error: unknown) => (error as { code?: number }).code === DUPLICATE_KEY;

/** The entries whose effect is not applied yet, listed beside the ledger (a PendingList). */
export const PENDING_EFFECTS_COLLECTION = 'ledger_pending_effects';
/** An entry missing from the ledger this long after it was listed was never written: its listing is dropped. */
const UNWRITTEN_AFTER_MS = 10 * 60_000;

/** The scope of the owners' balance claims in the store's `write_claims` (`balance:<ownerId>`). */
const BALANCE_CLAIMS = 'balance';

/**
 * The ledger's entries (insert-only, but for their outbox and effect marker), the per-owner claims
 * that serialise balance changes, and the per-owner balance read model those changes keep.
 */
@Injectable()
export class LedgerRepository {
  /** Held by every write of an entry after its insert, and by the outbox relay, in every process (claims on FerretDB). */
  readonly lock: WriteClaims;
  /**
   * An owner's balance claim, on every store: a debit reads the balance and then inserts, which
   * MongoDB does not make atomic either.
   */
  private readonly balanceClaims: WriteClaims;
  /** Entries with an effect still to apply: the sweep reads this, not the whole ledger. */
  private readonly pendingEffectsList: PendingList;

  constructor(
    @InjectModel(LedgerEntry.name) readonly entries: Model<LedgerEntry>,
    @InjectModel(AccountBalance.name) readonly balances: Model<AccountBalance>,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
  ) {
    this.lock = WriteClaims.of(entries);
    this.pendingEffectsList = new PendingList(entries.db, PENDING_EFFECTS_COLLECTION);
    this.balanceClaims = new WriteClaims(entries.db, BALANCE_CLAIMS, undefined, {
      ttlMs: CLAIM_TTL_MS,
      waitMs: CLAIM_WAIT_MS,
      onEveryStore: true,
    });
  }

  /**
   * Inserts an entry that does not change a balance (card payments and card refunds); false when an
   * entry with its `_id` (the same business event) exists already.
   */
  async insert(entry: LedgerEntry): Promise<boolean> {
    if (entry.balanceChangeCents !== 0) throw new Error(`entry ${entry._id} changes a balance: use post()`);
    return this.insertEntry(entry);
  }

  /**
   * Writes an entry that changes its owner's balance, with the balance document, under the owner's
   * claim: `pending` first, then the entry, then the new balance. `guard` sees the balance before
   * (a debit throws when it is short). Returns the entry written, or the one already there.
   */
  async post(
    entry: LedgerEntry,
    guard?: (balanceCents: number) => void,
  ): Promise<{ entry: LedgerEntry; inserted: boolean }> {
    const existing = await this.findById(entry._id);
    if (existing) return { entry: existing, inserted: false };
    return this.withOwnerClaim(entry.ownerId, async (hold) => {
      const again = await this.findById(entry._id);
      if (again) return { entry: again, inserted: false };
      const before = await this.settledBalance(entry.ownerId);
      guard?.(before);
      const after = before + entry.balanceChangeCents;
      const now = this.clock.now();
      hold.assertHeld();
      await this.balances
        .updateOne(
          { _id: entry.ownerId },
          { $set: { pending: { entryId: entry._id, balanceCents: after }, balanceCents: before, updatedAt: now } },
          { upsert: true },
        )
        .exec();
      const inserted = await this.insertEntry(entry);
      await this.balances
        .updateOne(
          { _id: entry.ownerId },
          { $set: { balanceCents: inserted ? after : before, updatedAt: this.clock.now() }, $unset: { pending: 1 } },
        )
        .exec();
      return { entry: inserted ? entry : ((await this.findById(entry._id)) ?? entry), inserted };
    });
  }

  private async insertEntry(entry: LedgerEntry): Promise<boolean> {
    // Listed before it is written: the sweep finds an effect a crash left unapplied.
    if (entry.effect.type !== 'none') await this.pendingEffectsList.add([entry._id], entry.createdAt);
    try {
      await this.entries.create(entry);
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
    // The receipt leaves now; the relay's retries and sweep send it if this process dies first.
    await this.relay.flush(this.entries, [entry._id]).catch(() => undefined);
    return true;
  }

  findById(id: string): Promise<LedgerEntry | null> {
    return this.entries.findById(id).lean<LedgerEntry>().exec();
  }

  /**
   * The owner's balance from the read model: one point read (two while an entry is being written).
   * An owner with no document has no entries once the backfill ran; before it, the ledger is summed.
   */
  async balanceOf(ownerId: string): Promise<number> {
    const doc = await this.balances.findById(ownerId).lean<AccountBalance>().exec();
    if (doc) return this.settle(doc);
    const backfilled = await this.balances.findById(BACKFILL_MARKER).lean<AccountBalance>().exec();
    return backfilled ? 0 : this.ledgerSum(ownerId);
  }

  /** The balance as the sum of the owner's entries (a scan: the check on the read model, and its seed). */
  async ledgerSum(ownerId: string): Promise<number> {
    const rows = await this.entries
      .find({ ownerId }, { balanceChangeCents: 1 })
      .lean<Pick<LedgerEntry, 'balanceChangeCents'>[]>()
      .exec();
    return rows.reduce((sum, row) => sum + row.balanceChangeCents, 0);
  }

  /**
   * Gives every owner with entries from before the read model a balance document (once, marked).
   * An owner written since already has one, which is kept ($setOnInsert), so a racing write is never undone.
   */
  async backfillBalances(): Promise<number> {
    if (await this.balances.findById(BACKFILL_MARKER).lean().exec()) return 0;
    const rows = await this.entries
      .find({}, { ownerId: 1, balanceChangeCents: 1 })
      .lean<Pick<LedgerEntry, 'ownerId' | 'balanceChangeCents'>[]>()
      .exec();
    const sums = new Map<string, number>();
    for (const row of rows) sums.set(row.ownerId, (sums.get(row.ownerId) ?? 0) + row.balanceChangeCents);
    for (const [ownerId] of sums) {
      // Under the claim, so no debit is between its entry and its document while this seeds.
      await this.withOwnerClaim(ownerId, () => this.settledBalance(ownerId));
    }
    await this.balances
      .updateOne(
        { _id: BACKFILL_MARKER },
        { $setOnInsert: { balanceCents: 0, updatedAt: this.clock.now() } },
        { upsert: true },
      )
      .exec();
    return sums.size;
  }

  /** Under the owner's claim: the balance, with a crashed writer's `pending` settled and a missing document seeded. */
  private async settledBalance(ownerId: string): Promise<number> {
    const doc = await this.balances.findById(ownerId).lean<AccountBalance>().exec();
    if (!doc) {
      const seeded = await this.ledgerSum(ownerId);
      await this.balances
        .updateOne(
          { _id: ownerId },
          { $setOnInsert: { balanceCents: seeded, updatedAt: this.clock.now() } },
          { upsert: true },
        )
        .exec();
      return seeded;
    }
    if (!doc.pending) return doc.balanceCents;
    const balance = await this.settle(doc);
    await this.balances
      .updateOne(
        { _id: ownerId },
        { $set: { balanceCents: balance, updatedAt: this.clock.now() }, $unset: { pending: 1 } },
      )
      .exec();
    return balance;
  }

  /** A document's balance; a `pending` entry counts when it was written (one point read). */
  private async settle(doc: AccountBalance): Promise<number> {
    if (!doc.pending) return doc.balanceCents;
    return (await this.findById(doc.pending.entryId)) ? doc.pending.balanceCents : doc.balanceCents;
  }

  list(ownerId: string, limit: number, cursor?: string): Promise<LedgerEntry[]> {
    return this.entries
      .find({ ownerId, ...afterTimeCursor(decodeTimeCursor(cursor)) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<LedgerEntry[]>()
      .exec();
  }

  /**
   * Entries whose effect is not applied yet, listed before `olderThan` (the sweep's work): read from
   * the list of pending effects, each entry by `_id`, not by filtering the ledger (FerretDB reads
   * every entry for that, and the sweep runs every 5 s). Listings whose entry has its effect applied,
   * or was never written, are dropped.
   */
  async pendingEffects(olderThan: Date): Promise<LedgerEntry[]> {
    const listed = await this.pendingEffectsList.entries(() => this.scanPendingEffects(), {
      listedBefore: olderThan,
      limit: 100,
    });
    const found = new Map(
      (
        await findByIds<LedgerEntry>(
          this.entries.collection,
          listed.map((e) => e._id),
        )
      ).map((e) => [e._id, e]),
    );
    const unwritten = olderThan.getTime() - UNWRITTEN_AFTER_MS;
    const done = listed.filter((e) => {
      const entry = found.get(e._id);
      return entry ? entry.effect.appliedAt !== undefined : e.listedAt.getTime() < unwritten;
    });
    await this.pendingEffectsList.remove(done.map((e) => e._id));
    return listed.map((e) => found.get(e._id)).filter((e): e is LedgerEntry => !!e && e.effect.appliedAt === undefined);
  }

  /** The ids of the entries whose effect is not applied, by a scan of the ledger: only to fill the list once. */
  private async scanPendingEffects(): Promise<string[]> {
    const rows = await this.entries
      .find({ 'effect.type': { $ne: 'none' }, 'effect.appliedAt': { $exists: false } }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return rows.map((r) => r._id);
  }

  async markEffectApplied(id: string): Promise<void> {
    // Two sweeps may both set it: the same value, and the effect itself is an idempotent insert.
    // Under the lock the relay takes, so this write and its removal of the published receipt never cross.
    await this.lock.runExclusive([id], async () => {
      await this.entries.updateOne({ _id: id }, { $set: { 'effect.appliedAt': this.clock.now() } }).exec();
    });
    await this.pendingEffectsList.remove([id]);
  }

  /**
   * Runs `work` while holding the claim on `ownerId`'s balance, so two debits of one owner (in any
   * process) never both spend the same money. 409 when the claim stays taken for CLAIM_WAIT_MS.
   */
  async withOwnerClaim<T>(ownerId: string, work: (hold: LockHold) => Promise<T>): Promise<T> {
    try {
      return await this.balanceClaims.runExclusive([ownerId], work);
    } catch (error) {
      if (error instanceof StoreBusyError) {
        throw new ConflictException('another payment from this account is in progress; try again');
      }
      throw error;
    }
  }
}
