import { encodeTrackingViewEntry, TRACKING_VIEWS_CHANGED_CHANNEL, trackingViewKey } from '@app/contracts';
import { RedisConnection } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { TRACKING_CONFIG, type TrackingConfig } from '../config';
import type { TrackingView } from './tracking-view';

// The key and the entry's layout are a contract with the gateway, which reads entries too (libs/contracts).
export { trackingViewKey };

/**
 * What Redis holds for a tracking number: the parcel's version (the store document's `version`
 * the view was made from) and its public view, or `view: null` for a number the store does not know.
 */
export interface StoredView {
  version: number;
  view: TrackingView | null;
}

/**
 * Writes an entry unless Redis already holds a newer version, so a late write of an older view (a
 * miss rebuilt from a read that raced a change, a slow instance) never hides a newer one. An equal
 * version is written again: same content, fresh TTL. The entry's JSON starts with its version.
 */
const PUT_IF_NOT_OLDER = `
local current = redis.call('GET', KEYS[1])
if current then
  local version = tonumber(string.match(current, '^{"version":(%d+)'))
  if version and version > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

interface ViewCommands {
  putViewIfNotOlder(key: string, version: number, json: string, ttlMs: number): Promise<number>;
}

/** The tracking read model in Redis: one key per tracking number, read with MGET, written with a version compare. */
@Injectable()
export class TrackingViewStore {
  private readonly redis: Redis & ViewCommands;
  private readonly viewTtlMs: number;
  private readonly unknownTtlMs: number;
  /** Pub/sub channels take no key prefix: the deployment's prefix is added here. */
  private readonly changesChannel: string;

  constructor(connection: RedisConnection, @Inject(TRACKING_CONFIG) config: TrackingConfig) {
    connection.client.defineCommand('putViewIfNotOlder', { numberOfKeys: 1, lua: PUT_IF_NOT_OLDER });
    this.redis = connection.client as Redis & ViewCommands;
    this.viewTtlMs = config.TRACKING_VIEW_TTL_SECONDS * 1000;
    this.unknownTtlMs = config.TRACKING_UNKNOWN_TTL_SECONDS * 1000;
    this.changesChannel = `${config.REDIS_PREFIX}${TRACKING_VIEWS_CHANGED_CHANNEL}`;
  }

  /** The entries of these numbers in one MGET (undefined: not in Redis). Throws when Redis cannot answer. */
  async getMany(trackingNumbers: readonly string[]): Promise<(StoredView | undefined)[]> {
    if (trackingNumbers.length === 0) return [];
    const values = await this.redis.mget(trackingNumbers.map(trackingViewKey));
    return values.map((value) => (value === null ? undefined : (JSON.parse(value) as StoredView)));
  }

  /**
   * Writes entries in one round trip, each only if not older than what Redis holds. Throws when Redis cannot answer.
   * `announce`: the views changed (not a miss rebuilt): the same round trip publishes their numbers on
   * TRACKING_VIEWS_CHANGED_CHANNEL after the writes, so the gateway's edge cache drops them.
   */
  async putMany(entries: readonly { trackingNumber: string; entry: StoredView }[], announce = false): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline() as unknown as ViewCommands & {
      publish(channel: string, message: string): unknown;
      exec(): Promise<[Error | null, unknown][]>;
    };
    for (const { trackingNumber, entry } of entries) {
      // `version` first: the Lua compare reads it from the start of the JSON.
      const json = encodeTrackingViewEntry(entry.version, entry.view);
      const ttl = entry.view ? this.viewTtlMs : this.unknownTtlMs;
      void pipeline.putViewIfNotOlder(trackingViewKey(trackingNumber), entry.version, json, ttl);
    }
    if (announce) pipeline.publish(this.changesChannel, entries.map((e) => e.trackingNumber).join(','));
    const results = await pipeline.exec();
    const error = results.find(([failure]) => failure !== null)?.[0];
    if (error) throw error;
  }

  /**
   * Calls `listener` each time the connection is ready again after it was lost: Redis may have
   * restarted or failed over and lost its last writes (AOF `everysec`, asynchronous replicas).
   */
  onReconnect(listener: () => void): void {
    let lost = false;
    this.redis.on('close', () => (lost = true));
    this.redis.on('ready', () => {
      if (!lost) return;
      lost = false;
      listener();
    });
  }

  /**
   * Drops entries, so the next lookup rebuilds them from the store, and announces their numbers as
   * changed (a drop follows a change whose view write failed). Throws when Redis cannot answer.
   */
  async drop(trackingNumbers: readonly string[]): Promise<void> {
    if (trackingNumbers.length === 0) return;
    const results = await this.redis
      .pipeline()
      .del(...trackingNumbers.map(trackingViewKey))
      .publish(this.changesChannel, trackingNumbers.join(','))
      .exec();
    const error = results?.find(([failure]) => failure !== null)?.[0];
    if (error) throw error;
  }
}
