import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ParcelRepository } from '../parcels/parcel.repository';
import { Clock } from '../shared/clock';
import { toTrackingView, type TrackingView } from './tracking-view';

/**
 * How stale a public tracking answer may be. Writes happen on whichever instance owns the parcel's
 * partition, so another instance cannot be told; a second is acceptable for a public tracking page.
 */
export const LOOKUP_CACHE_TTL_MS = 1000;
/** About 3 KB per view: a few tens of MB at most. */
export const LOOKUP_CACHE_MAX_ENTRIES = 10_000;

/** `view` is null for a number never seen (a 404 is cached as briefly as a hit). */
interface Entry {
  view: TrackingView | null;
}

/**
 * Public tracking views by tracking number, kept for {@link LOOKUP_CACHE_TTL_MS}. Concurrent lookups
 * of one number share a single read.
 */
@Injectable()
export class TrackingViewCache {
  private readonly cache: LRUCache<string, Entry>;

  constructor(parcels: ParcelRepository, clock: Clock) {
    this.cache = new LRUCache<string, Entry>({
      max: LOOKUP_CACHE_MAX_ENTRIES,
      ttl: LOOKUP_CACHE_TTL_MS,
      perf: { now: () => clock.now().getTime() },
      // A read in flight when its number is invalidated still answers its callers, but is not kept.
      ignoreFetchAbort: true,
      fetchMethod: async (trackingNumber) => {
        const parcel = await parcels.findById(trackingNumber);
        return { view: parcel?.known ? toTrackingView(parcel) : null };
      },
    });
  }

  /** The view of a (valid, normalised) tracking number; null when the parcel is not known. */
  async get(trackingNumber: string): Promise<TrackingView | null> {
    const entry = await this.cache.fetch(trackingNumber);
    return entry?.view ?? null;
  }

  /**
   * Forgets numbers whose scans or labels this instance just wrote (ParcelIngestService), so its own
   * answers are never stale. Watcher changes are not in the public view and need no call.
   */
  invalidate(trackingNumbers: Iterable<string>): void {
    for (const n of trackingNumbers) this.cache.delete(n);
  }
}
