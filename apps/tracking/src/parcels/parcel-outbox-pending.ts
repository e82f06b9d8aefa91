import { OutboxPendingSet } from '@app/messaging';
import { RedisConnection } from '@app/platform';
import { Injectable } from '@nestjs/common';

/** Redis key of the parcels that may hold outbox entries (after the deployment's REDIS_PREFIX). */
export const PARCEL_OUTBOX_PENDING_KEY = 'tracking:outbox-pending:parcels';

/**
 * The parcels that may hold outbox entries, so the relay's sweep reads those by `_id` instead of
 * every parcel (a full read of 100,000 parcels costs FerretDB about 10 s of CPU; README of
 * @app/messaging, "Outbox sweep"). Ingest, the one writer that stores parcel events, adds to it
 * before its write, and its next write drops the entries the set says are published (the parcels
 * are watched "pruned by the next write", same README).
 */
@Injectable()
export class ParcelOutboxPending extends OutboxPendingSet {
  constructor(redis: RedisConnection) {
    super(redis.client, PARCEL_OUTBOX_PENDING_KEY);
  }
}
