import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ParcelState } from '../parcels/parcel-state';
import { ParcelRepository } from '../parcels/parcel.repository';
import { toTrackingView, type TrackingView } from './tracking-view';
import { TrackingViewStore, type StoredView } from './tracking-view-store';
import { Clock } from '@app/platform';

/** How often entries whose write failed are dropped again from Redis until it answers. */
export const DROP_RETRY_INTERVAL_MS = 1000;
/**
 * After a Redis failure, how long lookups and view writes skip it: a hung Redis then costs one
 * command timeout per second, not one per lookup or per ingest batch.
 */
export const REDIS_BACKOFF_MS = 1000;
/**
 * How long this instance remembers the views it wrote: a Redis that restarts (AOF `everysec`) or
 * fails over (asynchronous replica) may have lost about the last second of writes and kept older views.
 */
export const RECENT_WRITES_MS = 5000;

/** A parcel as just written to (or read from) the store, with the version of that document. */
export interface ParcelVersion {
  parcel: ParcelState;
  version: number;
}

/** The entry of a parcel (or of its absence: version 0). */
export function storedViewOf(parcel: ParcelState | null): StoredView {
  if (!parcel) return { version: 0, view: null };
  return { version: parcel.version ?? 0, view: parcel.known ? toTrackingView(parcel) : null };
}

/**
 * Public tracking views served from Redis. The instance that applies a change writes the view after
 * the store write (`publish`); a miss is rebuilt from the store and written back; a number the store
 * does not know is remembered briefly. When Redis cannot answer, lookups read the store (degraded,
 * not down), and the numbers whose write failed are dropped from Redis once it is back, so an old
 * view is never served after a change this instance applied.
 */
@Injectable()
export class TrackingReadModel implements OnModuleDestroy {
  private readonly logger = new Logger(TrackingReadModel.name);
  /** Store reads in flight, shared by concurrent misses of one number. */
  private readonly rebuilding = new Map<string, Promise<StoredView>>();
  /** Numbers whose view write failed: their entry in Redis may be older than the store. */
  private readonly undropped = new Set<string>();
  private retryTimer: NodeJS.Timeout | undefined;
  /** Until when (epoch ms) Redis is skipped after a failure; 0 while it answers. */
  private skipRedisUntil = 0;
  /** Numbers whose view this instance wrote within RECENT_WRITES_MS, oldest first, with when. */
  private readonly recentWrites = new Map<string, number>();

  constructor(
    private readonly parcels: ParcelRepository,
    private readonly store: TrackingViewStore,
    private readonly clock: Clock,
  ) {
    store.onReconnect(() => this.redisReconnected());
  }

  onModuleDestroy(): void {
    clearInterval(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** The view of a (valid, normalised) tracking number; null when the parcel is not known. */
  async get(trackingNumber: string): Promise<TrackingView | null> {
    return (await this.getMany([trackingNumber]))[0];
  }

  /** Views of (valid, normalised) numbers, in order: one MGET, then a store read per miss. */
  async getMany(trackingNumbers: readonly string[]): Promise<(TrackingView | null)[]> {
    const unique = [...new Set(trackingNumbers)];
    let cached: (StoredView | undefined)[] = unique.map(() => undefined);
    let redisUp = false;
    if (this.redisUsable()) {
      try {
        cached = await this.store.getMany(unique);
        redisUp = true;
        this.redisAnswered();
      } catch (error) {
        this.redisFailed('read', error);
      }
    }
    const found = new Map<string, StoredView>();
    const misses: string[] = [];
    unique.forEach((n, i) => {
      const entry = cached[i];
      // A number whose write failed is not trusted from Redis until its entry has been dropped.
      if (entry && !this.undropped.has(n)) found.set(n, entry);
      else misses.push(n);
    });
    if (misses.length > 0) {
      const rebuilt = await Promise.all(misses.map((n) => this.rebuild(n, redisUp)));
      misses.forEach((n, i) => found.set(n, rebuilt[i]));
    }
    return trackingNumbers.map((n) => found.get(n)?.view ?? null);
  }

  /**
   * Writes the views of parcels this instance has just written to the store (or found unchanged,
   * which repairs a view a crash left behind). Never throws: a failed write drops those entries
   * from Redis as soon as it answers again, and lookups of them read the store until then.
   */
  async publish(parcels: readonly ParcelVersion[]): Promise<void> {
    if (parcels.length === 0) return;
    const entries = parcels.map(({ parcel, version }) => ({
      trackingNumber: parcel._id,
      entry: storedViewOf({ ...parcel, version }),
    }));
    if (this.redisUsable()) {
      try {
        await this.store.putMany(entries, true);
        this.redisAnswered();
        // Redis now holds these versions or newer ones: nothing older is left to drop.
        for (const { trackingNumber } of entries) this.undropped.delete(trackingNumber);
        this.rememberWrites(entries.map((e) => e.trackingNumber));
        return;
      } catch (error) {
        this.redisFailed('write', error);
      }
    }
    this.distrust(entries.map((e) => e.trackingNumber));
  }

  /** After Redis came back from a lost connection: the views written just before may be gone, older ones back. */
  redisReconnected(): void {
    this.forgetOldWrites();
    if (this.recentWrites.size === 0) return;
    this.logger.warn(`Redis reconnected: dropping the ${this.recentWrites.size} view(s) written just before`);
    this.distrust([...this.recentWrites.keys()]);
  }

  /** Drops the entries whose write failed; true when none is left. */
  async dropUndropped(): Promise<boolean> {
    const batch = [...this.undropped];
    if (batch.length > 0) {
      try {
        await this.store.drop(batch);
      } catch (error) {
        this.redisFailed('drop', error);
        return false;
      }
      this.redisAnswered();
      for (const n of batch) this.undropped.delete(n);
    }
    if (this.undropped.size === 0) {
      clearInterval(this.retryTimer);
      this.retryTimer = undefined;
    }
    return this.undropped.size === 0;
  }

  /** Not served from Redis until their entries there are dropped (retried every second). */
  private distrust(trackingNumbers: readonly string[]): void {
    for (const n of trackingNumbers) this.undropped.add(n);
    this.retryTimer ??= setInterval(() => void this.dropUndropped(), DROP_RETRY_INTERVAL_MS).unref();
  }

  private rememberWrites(trackingNumbers: readonly string[]): void {
    const now = this.clock.now().getTime();
    for (const n of trackingNumbers) {
      // Re-inserted so the map stays in time order.
      this.recentWrites.delete(n);
      this.recentWrites.set(n, now);
    }
    this.forgetOldWrites();
  }

  private forgetOldWrites(): void {
    const cutoff = this.clock.now().getTime() - RECENT_WRITES_MS;
    for (const [n, at] of this.recentWrites) {
      if (at >= cutoff) break;
      this.recentWrites.delete(n);
    }
  }

  private redisUsable(): boolean {
    return this.clock.now().getTime() >= this.skipRedisUntil;
  }

  private redisAnswered(): void {
    if (this.skipRedisUntil === 0) return;
    this.skipRedisUntil = 0;
    this.logger.log('Redis answers again: tracking views served from it');
  }

  private redisFailed(what: string, error: unknown): void {
    // Logged once per outage, not per lookup.
    if (this.skipRedisUntil === 0) {
      this.logger.warn(`tracking views from the store while Redis fails (${what}: ${describe(error)})`);
    }
    this.skipRedisUntil = this.clock.now().getTime() + REDIS_BACKOFF_MS;
  }

  private rebuild(trackingNumber: string, writeBack: boolean): Promise<StoredView> {
    const inFlight = this.rebuilding.get(trackingNumber);
    if (inFlight) return inFlight;
    const read = (async () => {
      const entry = storedViewOf(await this.parcels.findById(trackingNumber));
      // Not written while its older entry awaits dropping: the drop must come first.
      if (writeBack && !this.undropped.has(trackingNumber)) {
        await this.store
          .putMany([{ trackingNumber, entry }])
          .catch((error: unknown) => this.logger.debug(`view of ${trackingNumber} not cached: ${describe(error)}`));
      }
      return entry;
    })().finally(() => this.rebuilding.delete(trackingNumber));
    this.rebuilding.set(trackingNumber, read);
    return read;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
