import { idPages, MembershipSet, RedisConnection } from '@app/platform';
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PARCEL_MODEL, type ParcelDocument } from './parcel.schema';

/** Redis key of the tracking numbers that have a parcel document (after the deployment's REDIS_PREFIX). */
export const PARCEL_MEMBERSHIP_KEY = 'tracking:parcel-numbers';

/**
 * The tracking numbers the store has a parcel for, in Redis: ingest does not read a number Redis
 * says was never stored (a new parcel; most of a fresh backlog's reads found nothing). A wrong "no"
 * cannot lose anything: the parcel's insert then fails on its duplicate `_id`, and ingest reads it
 * and retries as for any lost race. So the numbers are added after the store write, best effort.
 */
@Injectable()
export class ParcelNumbersRepository {
  private readonly logger = new Logger(ParcelNumbersRepository.name);
  readonly membership: MembershipSet;

  constructor(redis: RedisConnection, @InjectModel(PARCEL_MODEL) model: Model<ParcelDocument>) {
    this.membership = new MembershipSet(redis.client, {
      key: PARCEL_MEMBERSHIP_KEY,
      loadAll: () => idPages(model.collection),
    });
  }

  /** For each number, false only when Redis knows the store has no parcel of it. */
  mayExist(ids: readonly string[]): Promise<boolean[]> {
    return this.membership.mayContain(ids);
  }

  /** Records stored numbers; a failure only costs a retried insert later. */
  async record(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.membership.add(ids).catch((error: unknown) => {
      this.logger.debug(
        `parcel numbers not recorded in Redis: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
}
