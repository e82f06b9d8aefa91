import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The member that says the set is complete: every document of the collection that may hold outbox
 * entries is in it. It lives in the set itself, so whatever empties the key (a restart without
 * persistence, a flush) takes the mark with it, and the relay then reads the whole collection again.
 * It names the Redis run (`run_id`, new at every start) that marked it: a restart from the AOF may
 * have lost the last second of marks (`appendfsync everysec`), so a set marked complete before it is
 * not complete any more. Checked in Lua, in the same step as what depends on it.
 */
const COMPLETE_PREFIX = '\u0000complete:';
const FULL_PASS_PREFIX = '\u0000full-pass:';

/** A Lua string literal of `value` (NUL written as Lua's `\0` escape, not as a raw byte in the script). */
function lua(value: string): string {
  return `'${value.replaceAll('\u0000', '\\0')}'`;
}

const CURRENT_RUN = `local run = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')`;

/** The completeness of the set in this Redis run, then the membership of each of ARGV. */
const MEMBERSHIP = `
${CURRENT_RUN}
return redis.call('SMISMEMBER', KEYS[1], ${lua(COMPLETE_PREFIX)} .. run, unpack(ARGV))
`;

/** Adds the full pass's marker (ARGV[1] after the prefix and this run); returns the marker. */
const BEGIN_FULL_PASS = `
${CURRENT_RUN}
local marker = ${lua(FULL_PASS_PREFIX)} .. run .. ':' .. ARGV[1]
redis.call('SADD', KEYS[1], marker)
return marker
`;

/**
 * Marks the set complete only if the full pass's own marker survived (no loss of the key during the
 * pass) and Redis was not restarted since the pass began (no loss of marks either).
 */
const FINISH_FULL_PASS = `
${CURRENT_RUN}
local removed = redis.call('SREM', KEYS[1], ARGV[1])
if removed == 1 and string.find(ARGV[1], ${lua(FULL_PASS_PREFIX)} .. run .. ':', 1, true) == 1 then
  redis.call('SADD', KEYS[1], ${lua(COMPLETE_PREFIX)} .. run)
  return 1
end
return 0
`;

interface PendingSetCommands {
  outboxMembership(key: string, ...ids: string[]): Promise<number[]>;
  beginOutboxFullPass(key: string, id: string): Promise<string>;
  finishOutboxFullPass(key: string, marker: string): Promise<number>;
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
  /** Whether the set is complete, and which of these documents are members (in their order). */
  membership(ids: readonly string[]): Promise<{ complete: boolean; members: boolean[] }>;
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
 *   published the document's whole outbox (and pruned it, unless the collection is pruned by the next
 *   write: `OutboxRelay.watch`), so no writer is between its add and its write;
 * - completeness is a member of the set, set by a full pass of the collection that began before and
 *   ended after nothing emptied the key, in the same Redis run. A loss of the key, or a restart of
 *   Redis (which may have lost the last second of marks: AOF `everysec`), makes the next sweep a full
 *   pass; an unmarked write is caught by the relay's full pass at its long interval.
 */
export class OutboxPendingSet implements OutboxPendingDocuments {
  private readonly redis: Redis & PendingSetCommands;

  constructor(
    client: Redis,
    readonly key: string,
  ) {
    client.defineCommand('outboxMembership', { numberOfKeys: 1, lua: MEMBERSHIP });
    client.defineCommand('beginOutboxFullPass', { numberOfKeys: 1, lua: BEGIN_FULL_PASS });
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
        this.redis.outboxMembership(this.key),
        this.redis.srandmember(this.key, count + 1),
      ]);
      const ids = members.filter((m) => !m.startsWith('\u0000')).slice(0, count);
      return { complete: complete[0] === 1, ids };
    });
  }

  /** Whether the set is complete and which of these documents are members: one SMISMEMBER per thousand. */
  membership(ids: readonly string[]): Promise<{ complete: boolean; members: boolean[] }> {
    return this.call(async () => {
      let complete = false;
      const members: boolean[] = [];
      for (let i = 0; i === 0 || i < ids.length; i += MEMBERS_PER_COMMAND) {
        const part = ids.slice(i, i + MEMBERS_PER_COMMAND);
        // Each call answers the completeness first: the set is complete if it was for every part.
        const answers = await this.redis.outboxMembership(this.key, ...part);
        complete = (i === 0 || complete) && answers.shift() === 1;
        for (const answer of answers) members.push(answer === 1);
      }
      return { complete, members };
    });
  }

  /** Before a full pass of the collection reads it: a marker whose loss says the key was emptied meanwhile. */
  beginFullPass(): Promise<string> {
    return this.call(() => this.redis.beginOutboxFullPass(this.key, randomUUID()));
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
      return (await this.redis.finishOutboxFullPass(this.key, marker)) === 1;
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
