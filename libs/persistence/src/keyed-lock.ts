import { Injectable } from '@nestjs/common';

/**
 * What a lock hands the work it guards. An in-process lock is held until the work ends; a claim in
 * the store is held while its holder keeps renewing it, so a holder that stalled past the claim's
 * expiry (another process may have taken the document over) learns it here before it writes.
 */
export interface LockHold {
  /** Throws ClaimLostError when the claims may no longer protect the holder; call it right before a write. */
  assertHeld(): void;
}

/** The hold of a lock that cannot be lost (held in memory until the work ends). */
export const HELD_UNTIL_DONE: LockHold = { assertHeld: () => undefined };

/**
 * Serialises work per key inside this process (one writer per parcel). Keys are taken in sorted
 * order so two callers locking overlapping sets cannot deadlock.
 */
@Injectable()
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async runExclusive<T>(keys: readonly string[], fn: (hold: LockHold) => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const releases: (() => void)[] = [];
    for (const key of sorted) releases.push(await this.acquire(key));
    try {
      return await fn(HELD_UNTIL_DONE);
    } finally {
      for (const release of releases) release();
    }
  }

  /** True while some work of this process holds or waits for `key`. */
  busyHere(key: string): boolean {
    return this.tails.has(key);
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
