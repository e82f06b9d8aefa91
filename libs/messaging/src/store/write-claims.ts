import { randomUUID } from 'node:crypto';
import type { Connection, Model, mongo } from 'mongoose';
import { isDuplicateKeyError } from '../idempotency/applied-events';
import { usesFerretDbPlan } from './conditional-update';
import { KeyedLock } from './keyed-lock';
import { chunks, WRITE_CHUNK } from './store-limits';

/** Whatever serialises the writers of one document: a KeyedLock inside a process, WriteClaims across processes. */
export interface DocumentLock {
  runExclusive<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T>;
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
}

export const DEFAULT_CLAIM_TTL_MS = 15_000;
const DEFAULT_CLAIM_WAIT_MS = 20_000;
const MAX_POLL_MS = 50;

/** A document stayed claimed by another writer longer than the writer would wait. */
export class StoreBusyError extends Error {
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
  }

  /** The claims of a model's documents. */
  static of<T>(model: Model<T>, local?: KeyedLock, options?: WriteClaimOptions): WriteClaims {
    return new WriteClaims(model.db, model.collection.collectionName, local, options);
  }

  /** True when writes take claims (FerretDB's plan). */
  crossProcess(): Promise<boolean> {
    this.ferret ??= usesFerretDbPlan(this.connection);
    return this.ferret;
  }

  async runExclusive<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    return this.local.runExclusive(keys, async () => {
      if (keys.length === 0 || !(await this.crossProcess())) return fn();
      const ids = [...new Set(keys)].sort().map((key) => `${this.scope}:${key}`);
      const owner = randomUUID();
      await this.acquire(ids, owner);
      try {
        return await fn();
      } finally {
        await this.release(ids, owner);
      }
    });
  }

  private get claims(): mongo.Collection<WriteClaimDocument> {
    return this.connection.db!.collection<WriteClaimDocument>(WRITE_CLAIMS_COLLECTION);
  }

  /**
   * All at once first (one insert per chunk: the uncontended case costs one round trip); when some
   * are held, gives back what it took and claims one by one in sorted order, waiting on each, so
   * two writers of overlapping sets cannot hold each other up forever.
   */
  private async acquire(ids: readonly string[], owner: string): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    const taken: string[] = [];
    let contended = false;
    for (const chunk of chunks(ids, WRITE_CHUNK)) {
      const inserted = await this.insertClaims(chunk, owner);
      taken.push(...inserted);
      if (inserted.length < chunk.length) contended = true;
    }
    if (!contended) return;
    await this.release(taken, owner);
    try {
      for (const id of ids) await this.acquireOne(id, owner, deadline);
    } catch (error) {
      await this.release(ids, owner);
      throw error;
    }
  }

  private async acquireOne(id: string, owner: string, deadline: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if ((await this.insertClaims([id], owner)).length === 1) return;
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

  /** Inserts claims; answers the ids inserted (a duplicate `_id` is a claim someone else holds). */
  private async insertClaims(ids: readonly string[], owner: string): Promise<string[]> {
    const expiresAt = new Date(Date.now() + this.ttlMs);
    try {
      await this.claims.insertMany(
        ids.map((_id) => ({ _id, owner, expiresAt })),
        { ordered: false },
      );
      return [...ids];
    } catch (error) {
      const failed =
        duplicateIndexes(error) ?? (ids.length === 1 && isDuplicateKeyError(error) ? new Set([0]) : undefined);
      if (!failed) throw error;
      return ids.filter((_, index) => !failed.has(index));
    }
  }

  private async release(ids: readonly string[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    // One statement: the claims collection holds only live claims, so this filter's scan is short
    // even on FerretDB (which serves nothing but an exact `{_id}` from an index).
    await this.claims.deleteMany(ids.length === 1 ? { _id: ids[0], owner } : { _id: { $in: [...ids] }, owner });
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
