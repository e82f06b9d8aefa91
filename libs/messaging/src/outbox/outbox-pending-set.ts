import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The member that says the set is complete: every document of the collection that may hold outbox
 * entries is in it. It lives in the set itself, so whatever empties the key (a restart without
 * persistence, a flush) takes the mark with it, and the relay then reads the whole collection again.
 */
const COMPLETE = '\u0000complete';
const FULL_PASS_PREFIX = '\u0000full-pass:';

/** Marks the set complete only if the full pass's own marker survived (no loss of the key during the pass). */
const FINISH_FULL_PASS = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('SADD', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

interface PendingSetCommands {
  finishOutboxFullPass(key: string, marker: string, complete: string): Promise<number>;
}

const MEMBERS_PER_COMMAND = 1000;

/** Redis did not answer or refused: the set cannot be trusted or changed now. */
export class PendingSetUnavailableError extends Error {
  constructor(key: string, cause: unknown) {
    super(`outbox pending set ${key}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PendingSetUnavailableError';
  }
}

/** What the relay needs of a pending set (the Redis one below; tests use one in memory). */
export interface OutboxPendingDocuments {
  add(ids: readonly string[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  sample(count: number): Promise<{ complete: boolean; ids: string[] }>;
  beginFullPass(): Promise<string>;
  endFullPass(marker: string, complete: boolean): Promise<boolean>;
}

/**
 * The documents of one collection that may hold outbox entries, in a Redis set, so the relay's sweep
 * reads those by `_id` instead of the whole collection (FerretDB on SQLite scans the table for any
 * filter but `{_id: value}`). It may over-approximate, never under-approximate while it says it is
 * complete:
 * - a writer adds the document BEFORE the write that stores entries (`OutboxRelay.markPending`); a
 *   crash anywhere after leaves the member (a write Redis did not mark is left to full passes);
 * - only a holder of the document's lock (the collection's claims) removes a member, after it has
 *   published and pruned the document's whole outbox, so no writer is between its add and its write;
 * - completeness is a member of the set, set by a full pass of the collection that began before and
 *   ended after nothing emptied the key. A loss of the key makes the next sweep a full pass; a loss
 *   of recent marks (Redis' AOF `everysec`) or an unmarked write is caught by the relay's full pass
 *   at its long interval.
 */
export class OutboxPendingSet implements OutboxPendingDocuments {
  private readonly redis: Redis & PendingSetCommands;

  constructor(
    client: Redis,
    readonly key: string,
  ) {
    client.defineCommand('finishOutboxFullPass', { numberOfKeys: 1, lua: FINISH_FULL_PASS });
    this.redis = client as Redis & PendingSetCommands;
  }

  /** Records documents that are about to get entries; throws PendingSetUnavailableError when Redis cannot. */
  add(ids: readonly string[]): Promise<void> {
    return this.call(async () => {
      for (let i = 0; i < ids.length; i += MEMBERS_PER_COMMAND)
        await this.redis.sadd(this.key, ...ids.slice(i, i + MEMBERS_PER_COMMAND));
    });
  }

  /** Forgets documents whose outbox the caller, holding their locks, has emptied. */
  remove(ids: readonly string[]): Promise<void> {
    return this.call(async () => {
      for (let i = 0; i < ids.length; i += MEMBERS_PER_COMMAND)
        await this.redis.srem(this.key, ...ids.slice(i, i + MEMBERS_PER_COMMAND));
    });
  }

  /**
   * Up to `count` members, picked at random (a member stuck on an entry that cannot be published does
   * not hide the others), and whether the set is complete.
   */
  sample(count: number): Promise<{ complete: boolean; ids: string[] }> {
    return this.call(async () => {
      const [complete, members] = await Promise.all([
        this.redis.sismember(this.key, COMPLETE),
        this.redis.srandmember(this.key, count + 1),
      ]);
      const ids = members.filter((m) => !m.startsWith('\u0000')).slice(0, count);
      return { complete: complete === 1, ids };
    });
  }

  /** Before a full pass of the collection reads it: a marker whose loss says the key was emptied meanwhile. */
  beginFullPass(): Promise<string> {
    const marker = `${FULL_PASS_PREFIX}${randomUUID()}`;
    return this.call(async () => {
      await this.redis.sadd(this.key, marker);
      return marker;
    });
  }

  /**
   * After a full pass: `complete` when it saw every document with entries (they are published or
   * members now), which marks the set complete if the pass's marker survived; otherwise the marker
   * goes. True when the set was marked complete.
   */
  endFullPass(marker: string, complete: boolean): Promise<boolean> {
    return this.call(async () => {
      if (!complete) {
        await this.redis.srem(this.key, marker);
        return false;
      }
      return (await this.redis.finishOutboxFullPass(this.key, marker, COMPLETE)) === 1;
    });
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new PendingSetUnavailableError(this.key, error);
    }
  }
}
