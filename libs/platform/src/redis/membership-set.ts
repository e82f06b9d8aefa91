import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { mongo } from 'mongoose';
import { RetryLaterError } from '../http/retry-later.error';

/**
 * The member that says the set is complete: every id the store holds is in it. It lives in the set
 * itself, so whatever empties the key (a restart without persistence, an eviction, a flush) takes
 * the mark with it, and one SMISMEMBER answers both "complete?" and "members?".
 */
const COMPLETE = '\u0000complete';
const BUILDING_PREFIX = '\u0000building:';

/** Marks the set complete only if the rebuild's own marker survived (no loss of the key during the scan). */
const FINISH_REBUILD = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('SADD', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

interface MembershipCommands {
  finishMembershipRebuild(key: string, building: string, complete: string): Promise<number>;
}

const ADD_CHUNK = 1000;

export interface MembershipSetOptions {
  /** Redis key of the set (after the connection's prefix). */
  key: string;
  /** Every id the store holds, in pages: read once when Redis has no complete set. */
  loadAll: () => AsyncIterable<readonly string[]>;
  /** Least time between two rebuild attempts of one process; default 10 s. */
  rebuildBackoffMs?: number;
}

/**
 * Which ids have a record in the store, held in Redis so that the common "no record" answer costs no
 * store read (FerretDB decodes a document per point read, and `$in` scans the table).
 *
 * It may over-approximate, never under-approximate: a writer adds the id BEFORE it inserts the
 * record (a failed insert leaves an extra member, which only costs the store read it would have cost
 * anyway) and again after it (the scan of a rebuild that raced the insert may have missed it). Readers
 * trust a "no" only while the set is complete; otherwise, or when Redis does not answer, every id is
 * "maybe" and the caller reads the store as before, while one process rebuilds the set from the store.
 * A record deleted from the store leaves its member behind: one more "maybe", never a wrong "no".
 */
export class MembershipSet {
  private readonly logger: Logger;
  private readonly redis: Redis & MembershipCommands;
  private rebuilding?: Promise<void>;
  private lastRebuildAt = 0;
  private readonly backoffMs: number;
  /** Reads of one tick answered by one SMISMEMBER. */
  private pending: { ids: readonly string[]; resolve: (v: boolean[]) => void }[] = [];
  private flushScheduled = false;

  constructor(
    client: Redis,
    private readonly options: MembershipSetOptions,
  ) {
    this.logger = new Logger(`MembershipSet(${options.key})`);
    client.defineCommand('finishMembershipRebuild', { numberOfKeys: 1, lua: FINISH_REBUILD });
    this.redis = client as Redis & MembershipCommands;
    this.backoffMs = options.rebuildBackoffMs ?? 10_000;
  }

  /** Records ids as members; throws when Redis cannot (the caller must then not write the store). */
  async add(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += ADD_CHUNK) {
      await this.redis.sadd(this.options.key, ...ids.slice(i, i + ADD_CHUNK));
    }
  }

  /**
   * Runs `insert` between the two adds (before: a reader that can see the record sees the member;
   * after: a rebuild that scanned before the insert missed it).
   */
  async around<T>(ids: readonly string[], insert: () => Promise<T>): Promise<T> {
    try {
      await this.add(ids);
    } catch (error) {
      throw new RetryLaterError(
        `${this.options.key}: Redis did not take the members before the insert: ${String(error)}`,
      );
    }
    const result = await insert();
    // The record is stored: a failure now must not tell the caller otherwise. The second add is for a rebuild that
    // scanned before the insert and finishes after it; when it fails, the set gives up its completeness mark, so
    // readers ask the store (every id "maybe") until the next rebuild, instead of trusting a set that may lack it.
    await this.add(ids).catch(async (error: unknown) => {
      this.logger.warn(`members not re-added after the insert (${String(error)}): ${ids.slice(0, 5).join(', ')}`);
      await this.redis.srem(this.options.key, COMPLETE).catch(() => undefined);
    });
    return result;
  }

  /**
   * For each id, false only when the set is complete and does not hold it (the store has no record);
   * true means "read the store". Calls within one tick share one SMISMEMBER. Never throws.
   */
  mayContain(ids: readonly string[]): Promise<boolean[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.pending.push({ ids, resolve });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.flushScheduled = false;
    const all = batch.flatMap((p) => p.ids);
    let answer: boolean[];
    try {
      const found = await this.redis.smismember(this.options.key, COMPLETE, ...all);
      if (found[0] === 1) answer = found.slice(1).map((f) => f === 1);
      else {
        this.startRebuild();
        answer = all.map(() => true);
      }
    } catch (error) {
      this.logger.debug(`membership unavailable, reading the store: ${describe(error)}`);
      answer = all.map(() => true);
    }
    let at = 0;
    for (const { ids, resolve } of batch) {
      resolve(answer.slice(at, at + ids.length));
      at += ids.length;
    }
  }

  /** Rebuilds the set from the store in the background (at most one at a time per process, backed off). */
  startRebuild(): void {
    if (this.rebuilding || Date.now() - this.lastRebuildAt < this.backoffMs) return;
    this.lastRebuildAt = Date.now();
    this.rebuilding = this.rebuild()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn(`rebuild failed, the store is read meanwhile: ${describe(error)}`))
      .finally(() => (this.rebuilding = undefined));
  }

  /** Rebuilds now; true when the set was marked complete (for tests and start-up). */
  async rebuild(): Promise<boolean> {
    const building = `${BUILDING_PREFIX}${randomUUID()}`;
    // Before the scan: a loss of the key during the scan removes it, and the rebuild then does not
    // mark the set complete.
    await this.redis.sadd(this.options.key, building);
    let count = 0;
    for await (const page of this.options.loadAll()) {
      if (page.length > 0) await this.add(page);
      count += page.length;
    }
    const done = (await this.redis.finishMembershipRebuild(this.options.key, building, COMPLETE)) === 1;
    if (done) this.logger.log(`rebuilt from the store: ${count} member(s)`);
    return done;
  }

  /** Waits for a rebuild under way (tests). */
  async settled(): Promise<void> {
    await this.rebuilding;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every `_id` of a collection, in pages (a rebuild's `loadAll`): one scan of the table. */
export async function* idPages(collection: mongo.Collection<mongo.Document>, pageSize = 1000): AsyncIterable<string[]> {
  let page: string[] = [];
  for await (const doc of collection.find({}, { projection: { _id: 1 }, batchSize: pageSize })) {
    page.push(String(doc._id));
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}
