import type { Redis } from 'ioredis';

export interface WindowDecision {
  allowed: boolean;
  /** Seconds until the client's window ends (for `Retry-After`), at least 1. */
  retryAfterSeconds: number;
}

interface Count {
  /** The count Redis reported at the last flush (every replica's requests, this one's included). */
  shared: number;
  /** Requests taken here and not yet added in Redis. */
  pending: number;
  /** Being added by the flush in flight. */
  sending: number;
  /** When this key's window ends (epoch ms), as Redis reported it or estimated here until then. */
  windowEnd: number;
}

/**
 * A per-key limit of `points` requests per window shared by every gateway replica through Redis, counted here
 * and added to Redis in one pipeline per `flushMs` (not one round trip per request, the gateway's largest cost
 * per lookup). A window starts at a key's first request, as rate-limiter-flexible's fixed window did. Between two
 * flushes a replica decides from the last shared count plus its own requests, so all replicas together may let
 * through at most what they each take in one flush interval beyond the limit. While Redis fails, each replica
 * keeps limiting on its own counts.
 */
export class SharedWindowCounter {
  private readonly counts = new Map<string, Count>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly points: number,
    private readonly windowMs = 60_000,
    private readonly flushMs = 50,
  ) {}

  take(key: string, now = Date.now()): WindowDecision {
    let count = this.counts.get(key);
    if (!count || now >= count.windowEnd) {
      // A new window: what the old one did not add yet is dropped with it (Redis expires its key on its own).
      count = { shared: 0, pending: 0, sending: 0, windowEnd: now + this.windowMs };
      this.counts.set(key, count);
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((count.windowEnd - now) / 1000));
    // Every request counts, a refused one too (as rate-limiter-flexible counted it): retrying does not help.
    count.pending++;
    this.dirty.add(key);
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
    return { allowed: count.shared + count.pending + count.sending <= this.points, retryAfterSeconds };
  }

  /** Adds the pending counts to Redis in one pipeline and reads back each key's shared count and window. */
  async flush(): Promise<void> {
    this.timer = undefined;
    if (this.flushing || this.dirty.size === 0) return;
    this.flushing = true;
    const batch: Array<[string, Count, number]> = [];
    const pipeline = this.redis.pipeline();
    for (const key of this.dirty) {
      const count = this.counts.get(key);
      if (!count || count.pending === 0) continue;
      const n = count.pending;
      count.pending = 0;
      count.sending += n;
      batch.push([key, count, n]);
      const redisKey = `${this.keyPrefix}${key}`;
      pipeline.set(redisKey, 0, 'PX', this.windowMs, 'NX').incrby(redisKey, n).pttl(redisKey);
    }
    this.dirty.clear();
    try {
      const results = batch.length > 0 ? await pipeline.exec() : [];
      const sentAt = Date.now();
      batch.forEach(([, count, n], i) => {
        count.sending -= n;
        const [incrError, total] = results?.[i * 3 + 1] ?? [new Error('no answer')];
        const [, ttl] = results?.[i * 3 + 2] ?? [];
        if (incrError || typeof total !== 'number') {
          count.pending += n; // not added: kept here and sent again
          return;
        }
        count.shared = total; // flushes never overlap: this is the latest shared count
        if (typeof ttl === 'number' && ttl > 0) count.windowEnd = sentAt + ttl;
      });
    } catch {
      for (const [, count, n] of batch) {
        count.sending -= n;
        count.pending += n;
      }
    } finally {
      this.flushing = false;
      for (const [key, count] of batch) if (count.pending > 0) this.dirty.add(key);
      this.forgetEnded();
      if (this.dirty.size > 0) this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private forgetEnded(): void {
    const now = Date.now();
    for (const [key, count] of this.counts) {
      if (count.windowEnd <= now && count.pending === 0 && count.sending === 0) this.counts.delete(key);
    }
  }
}
