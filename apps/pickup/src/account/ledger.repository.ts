import { ConflictException, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { afterTimeCursor, decodeTimeCursor, Clock, IdGenerator } from '@app/platform';
import { AccountClaim } from './account-claim.schema';
import { LedgerEntry } from './ledger-entry.schema';

const DUPLICATE_KEY = 11000;
/** A crashed holder blocks its owner's debits this long at most. */
const CLAIM_TTL_MS = 15_000;
/** How long a debit waits for another one of the same owner before answering 409. */
const CLAIM_WAIT_MS = 5_000;

const isDuplicate = (error: unknown) => (error as { code?: number }).code === DUPLICATE_KEY;

/** The ledger's entries (insert-only) and the per-owner claims that serialise debits. */
@Injectable()
export class LedgerRepository {
  constructor(
    @InjectModel(LedgerEntry.name) readonly entries: Model<LedgerEntry>,
    @InjectModel(AccountClaim.name) private readonly claims: Model<AccountClaim>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Inserts an entry; false when an entry with its `_id` (the same business event) exists already. */
  async insert(entry: LedgerEntry): Promise<boolean> {
    try {
      await this.entries.create(entry);
      return true;
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
  }

  findById(id: string): Promise<LedgerEntry | null> {
    return this.entries.findById(id).lean<LedgerEntry>().exec();
  }

  /** The owner's balance: the sum of every entry's change to it (integer cents). */
  async balanceOf(ownerId: string): Promise<number> {
    const rows = await this.entries
      .find({ ownerId }, { balanceChangeCents: 1 })
      .lean<Pick<LedgerEntry, 'balanceChangeCents'>[]>()
      .exec();
    return rows.reduce((sum, row) => sum + row.balanceChangeCents, 0);
  }

  list(ownerId: string, limit: number, cursor?: string): Promise<LedgerEntry[]> {
    return this.entries
      .find({ ownerId, ...afterTimeCursor(decodeTimeCursor(cursor)) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<LedgerEntry[]>()
      .exec();
  }

  /** Entries whose effect is not applied yet, older than `olderThan` (the sweep's work). */
  pendingEffects(olderThan: Date): Promise<LedgerEntry[]> {
    return this.entries
      .find({ 'effect.type': { $ne: 'none' }, 'effect.appliedAt': { $exists: false }, createdAt: { $lt: olderThan } })
      .limit(100)
      .lean<LedgerEntry[]>()
      .exec();
  }

  async markEffectApplied(id: string): Promise<void> {
    // Two sweeps may both set it: the same value, and the effect itself is an idempotent insert.
    await this.entries.updateOne({ _id: id }, { $set: { 'effect.appliedAt': this.clock.now() } }).exec();
  }

  /**
   * Runs `work` while holding the claim on `ownerId`'s balance, so two debits of one owner (in any
   * process) never both spend the same money. 409 when the claim stays taken for CLAIM_WAIT_MS.
   */
  async withOwnerClaim<T>(ownerId: string, work: () => Promise<T>): Promise<T> {
    const id = `balance:${ownerId}`;
    const token = this.ids.uuid();
    const deadline = Date.now() + CLAIM_WAIT_MS;
    for (;;) {
      const now = this.clock.now();
      try {
        await this.claims.create({ _id: id, token, expiresAt: new Date(now.getTime() + CLAIM_TTL_MS) });
        break;
      } catch (error) {
        if (!isDuplicate(error)) throw error;
      }
      const held = await this.claims.findById(id).lean<AccountClaim>().exec();
      if (held && held.expiresAt.getTime() < now.getTime()) {
        // Its holder crashed: remove that claim (by its token, so a fresh claim is never removed).
        await this.claims.deleteOne({ _id: id, token: held.token }).exec();
        continue;
      }
      if (Date.now() > deadline) {
        throw new ConflictException('another payment from this account is in progress; try again');
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    try {
      return await work();
    } finally {
      await this.claims.deleteOne({ _id: id, token }).exec();
    }
  }
}
