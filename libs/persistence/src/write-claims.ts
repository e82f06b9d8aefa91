import { randomUUID } from 'node:crypto';
import type { Connection, Model, mongo } from 'mongoose';
import { RetryLaterError } from '@app/platform';
import { isDuplicateKeyError } from './duplicate-key';
import { usesFerretDbPlan } from './conditional-update';
import { HELD_UNTIL_DONE, KeyedLock, type LockHold } from './keyed-lock';
import { chunks, WRITE_CHUNK } from './store-limits';

/** Whatever serialises the writers of one document: a KeyedLock inside a process, WriteClaims across processes. */
export interface DocumentLock {
  runExclusive<T>(keys: readonly string[], fn: (hold: LockHold) => Promise<T>): Promise<T>;
  /**
   * True while a writer of this process holds or waits for the document: it publishes what it
   * writes itself, so the outbox sweep leaves the document to it.
   */
  busyHere?(key: string): boolean;
}

/** The collection of every write claim of a database (few documents: only claims being held). */
export const WRITE_CLAIMS_COLLECTION = 'write_claims';

/** A claim on one document: `_id` = `<collection>:<document _id>`. */
export interface WriteClaimDocument {
  _id: string;
  /** the holder (one id per `runExclusive`), so a release never removes another holder's claim */
  owner: string;
  /** past this, the holder is taken for crashed and the claim may be taken over */
  expiresAt: Date;
}

export interface WriteClaimOptions {
  /** How long a claim protects its holder: longer than any write it guards. */
  ttlMs?: number;
  /** How long a writer waits for a held claim before giving up with a StoreBusyError. */
  waitMs?: number;
  /**
   * Claim on MongoDB's plan too. For work that is more than one conditional update (read a balance,
   * then insert a debit; read an organisation, check its rules, write it): MongoDB makes each
   * statement atomic, not the sequence.
   */
  onEveryStore?: boolean;
}

export const DEFAULT_CLAIM_TTL_MS = 15_000;
const DEFAULT_CLAIM_WAIT_MS = 20_000;
const MAX_POLL_MS = 50;

/**
 * The holder stalled (a blocked event loop, a paused process) until its claims were close to their
 * expiry or past it, so another process may be writing the documents: the holder must not write.
 */
export class ClaimLostError extends RetryLaterError {
  constructor(readonly keys: readonly string[]) {
    super(`write claims lost before the write (the holder stalled past their expiry): ${keys.slice(0, 5).join(', ')}`);
    this.name = 'ClaimLostError';
  }
}

/** A document stayed claimed by another writer longer than the writer would wait. */
export class StoreBusyError extends RetryLaterError {
  constructor(readonly keys: readonly string[]) {
    super(`store documents still claimed by another writer: ${keys.slice(0, 5).join(', ')}`);
    this.name = 'StoreBusyError';
  }
}

/** Inserts a document with a unique `_id`; false when the `_id` is taken (the one write FerretDB makes atomic). */
export async function insertUnique<T>(model: Model<T>, doc: Partial<T> & { _id: unknown }): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/**
 * Serialises the writers of one document across processes on the local store. FerretDB applies an
 * update as a read and a write of the whole document with no compare-and-set, so two processes that
 * update one document (two instances, the outbox relay beside an HTTP write, a watchlist change
 * beside ingest) can lose one of the two changes; only the insert of a unique `_id` is atomic there
 * (DESIGN.md's store facts). So, on FerretDB's plan, a writer first inserts a claim document per
 * document it writes (`write_claims`, `_id` = `<collection>:<id>`), writes, and deletes its claims.
 * A claim carries an expiry: a crashed holder's claim is taken over once it is past it (the taker
 * first inserts a unique takeover marker, so of two takers only one removes the stale claim).
 * Inside the process the KeyedLock comes first, so the process's own writers queue in memory and
 * only one of them at a time asks the store.
 *
 * On MongoDB's plan there are no claims (its conditional updates are atomic across replicas): just
 * the in-process lock, as before.
 */
export class WriteClaims implements DocumentLock {
  private ferret?: Promise<boolean>;
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly onEveryStore: boolean;

  constructor(
    private readonly connection: Connection,
    /** the claimed collection's name, the claims' `_id` prefix */
    private readonly scope: string,
    /** the lock every writer of these documents in this process holds */
    readonly local: KeyedLock = new KeyedLock(),
    options: WriteClaimOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CLAIM_TTL_MS;
    this.waitMs = options.waitMs ?? DEFAULT_CLAIM_WAIT_MS;
    this.onEveryStore = options.onEveryStore ?? false;
  }

  busyHere(key: string): boolean {
    return this.local.busyHere(key);
  }

  /** The claims of a model's documents. */
  static of<T>(model: Model<T>, local?: KeyedLock, options?: WriteClaimOptions): WriteClaims {
    return new WriteClaims(model.db, model.collection.collectionName, local, options);
  }

  /** True when writes take claims (FerretDB's plan, or every store with `onEveryStore`). */
  crossProcess(): Promise<boolean> {
    this.ferret ??= this.onEveryStore ? Promise.resolve(true) : usesFerretDbPlan(this.connection);
    return this.ferret;
  }

  /**
   * Runs `fn` holding the claims of `keys`. While `fn` runs its claims are renewed every third of
   * their lifetime, so work slower than the expiry (a big ingest batch on a loaded machine) keeps
   * them; `hold.assertHeld()` before a write refuses it when the renewals stalled too long.
   */
  async runExclusive<T>(keys: readonly string[], fn: (hold: LockHold) => Promise<T>): Promise<T> {
    return this.local.runExclusive(keys, async () => {
      if (keys.length === 0 || !(await this.crossProcess())) return fn(HELD_UNTIL_DONE);
      const ids = [...new Set(keys)].sort().map((key) => `${this.scope}:${key}`);
      const hold = new ClaimHold(ids, this.ttlMs);
      await this.acquire(hold);
      const renewals = setInterval(() => void this.renew(hold), Math.max(1, Math.floor(this.ttlMs / 3)));
      renewals.unref();
      try {
        return await fn(hold);
      } finally {
        clearInterval(renewals);
        await hold.renewing;
        await this.release(hold.taken, hold.owner);
      }
    });
  }

  private get claims(): mongo.Collection<WriteClaimDocument> {
    return this.connection.db!.collection<WriteClaimDocument>(WRITE_CLAIMS_COLLECTION);
  }

  /**
   * All at once first (one insert per chunk: the uncontended case costs one round trip); when some
   * are held, gives back what it took and claims one by one in sorted order, waiting on each, so
   * two writers of overlapping sets cannot hold each other up forever. Claims taken while waiting
   * for the next are renewed in between, so they do not expire during a long wait.
   */
  private async acquire(hold: ClaimHold): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    let contended = false;
    for (const chunk of chunks(hold.ids, WRITE_CHUNK)) {
      // Claiming a big set takes many round trips: the first claims are renewed on the way, or they
      // would be near their expiry (and refused at the first write) by the time the last is taken.
      if (hold.dueForRenewal()) await this.renew(hold);
      const inserted = await this.insertClaims(chunk, hold.owner, hold);
      if (inserted.length < chunk.length) contended = true;
    }
    if (!contended) return;
    await this.release(hold.taken, hold.owner);
    hold.taken = [];
    hold.validUntil = Infinity;
    try {
      for (const id of hold.ids) await this.acquireOne(id, hold, deadline);
    } catch (error) {
      await this.release(hold.ids, hold.owner);
      throw error;
    }
  }

  private async acquireOne(id: string, hold: ClaimHold, deadline: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (hold.dueForRenewal()) await this.renew(hold);
      hold.assertHeld();
      if ((await this.insertClaims([id], hold.owner, hold)).length === 1) return;
      const held = await this.claims.findOne({ _id: id });
      if (held && held.expiresAt.getTime() <= Date.now()) {
        await this.takeOver(held);
        continue;
      }
      if (!held) continue;
      if (Date.now() >= deadline) throw new StoreBusyError([id]);
      // Jitter keeps two waiters from retrying in lockstep.
      const pause = Math.min(MAX_POLL_MS, 2 * (attempt + 1)) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /**
   * Pushes the expiry of the claims held so far. Only while they are surely still held (a third of
   * their lifetime left at least): an update on FerretDB reads and rewrites the document, so a
   * renewal of a claim already taken over could overwrite its new holder's. One at a time per hold.
   */
  private renew(hold: ClaimHold): Promise<void> {
    if (hold.lost || hold.taken.length === 0) return hold.renewing;
    hold.renewing = hold.renewing.then(async () => {
      if (!hold.safe()) {
        hold.lost = true;
        return;
      }
      const ids = [...hold.taken];
      const expiresAt = new Date(Date.now() + this.ttlMs);
      try {
        const result = await this.claims.updateMany(
          ids.length === 1 ? { _id: ids[0], owner: hold.owner } : { _id: { $in: ids }, owner: hold.owner },
          { $set: { expiresAt } },
        );
        if (result.matchedCount < ids.length) hold.lost = true;
        else hold.validUntil = expiresAt.getTime();
      } catch {
        // A failed renewal leaves the old expiry in force; the next one (or assertHeld) decides.
      }
    });
    return hold.renewing;
  }

  /**
   * Removes an expired claim. Of several writers that saw it expired, the one whose marker insert
   * wins removes it; the others retry. (A delete filtered by owner is not atomic on FerretDB: the
   * marker keeps a second taker from deleting the claim the first one took meanwhile.) A marker
   * left by a taker that crashed expires like a claim.
   */
  private async takeOver(stale: WriteClaimDocument): Promise<void> {
    const marker = `${stale._id}#${stale.owner}`;
    const taker = randomUUID();
    const [won] = await this.insertClaims([marker], taker);
    if (!won) {
      const held = await this.claims.findOne({ _id: marker });
      if (held && held.expiresAt.getTime() <= Date.now())
        await this.claims.deleteOne({ _id: marker, owner: held.owner });
      return;
    }
    await this.claims.deleteOne({ _id: stale._id, owner: stale.owner });
    await this.claims.deleteOne({ _id: marker, owner: taker });
  }

  /**
   * Inserts claims; answers the ids inserted (a duplicate `_id` is a claim someone else holds) and
   * records them in `hold`, with their expiry.
   */
  private async insertClaims(ids: readonly string[], owner: string, hold?: ClaimHold): Promise<string[]> {
    const expiresAt = new Date(Date.now() + this.ttlMs);
    let inserted: string[];
    try {
      await this.claims.insertMany(
        ids.map((_id) => ({ _id, owner, expiresAt })),
        { ordered: false },
      );
      inserted = [...ids];
    } catch (error) {
      const failed =
        duplicateIndexes(error) ?? (ids.length === 1 && isDuplicateKeyError(error) ? new Set([0]) : undefined);
      if (!failed) throw error;
      inserted = ids.filter((_, index) => !failed.has(index));
    }
    if (hold && inserted.length > 0) {
      hold.taken.push(...inserted);
      hold.validUntil = Math.min(hold.validUntil, expiresAt.getTime());
    }
    return inserted;
  }

  private async release(ids: readonly string[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    // One statement: the claims collection holds only live claims, so this filter's scan is short
    // even on FerretDB (which serves nothing but an exact `{_id}` from an index).
    await this.claims.deleteMany(ids.length === 1 ? { _id: ids[0], owner } : { _id: { $in: [...ids] }, owner });
  }
}

/** The claims of one `runExclusive`, and until when they surely protect their holder. */
class ClaimHold implements LockHold {
  readonly owner = randomUUID();
  /** the claims inserted so far */
  taken: string[] = [];
  /** the earliest expiry among `taken`, as last written by this holder */
  validUntil = Infinity;
  /** a renewal found a claim gone, or came too late to be safe */
  lost = false;
  renewing: Promise<void> = Promise.resolve();

  constructor(
    readonly ids: readonly string[],
    private readonly ttlMs: number,
  ) {}

  /** A third of the lifetime left at least: room for a write (or a renewal) to land before the expiry. */
  safe(): boolean {
    return Date.now() < this.validUntil - this.ttlMs / 3;
  }

  dueForRenewal(): boolean {
    return this.taken.length > 0 && Date.now() >= this.validUntil - (2 * this.ttlMs) / 3;
  }

  assertHeld(): void {
    if (this.lost || !this.safe()) throw new ClaimLostError(this.ids);
  }
}

/** The indexes of the documents an unordered insert refused as duplicates; undefined for any other failure. */
function duplicateIndexes(error: unknown): Set<number> | undefined {
  if (!hasWriteErrors(error)) return undefined;
  const writeErrors = ([] as { index: number; code: number }[]).concat(
    error.writeErrors as { index: number; code: number }[],
  );
  if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== 11000)) return undefined;
  return new Set(writeErrors.map((e) => e.index));
}

function hasWriteErrors(error: unknown): error is { writeErrors: unknown } {
  return typeof error === 'object' && error !== null && 'writeErrors' in error;
}
