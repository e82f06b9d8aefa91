import { idPages, MembershipSet, RedisConnection } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ParcelShipperRecord } from './webhook.schema';
import { WebhooksRepository } from './webhooks.repository';

/** Redis key of the tracking numbers that have a shipper record (after the deployment's REDIS_PREFIX). */
export const SHIPPER_MEMBERSHIP_KEY = 'webhooks:parcel-shippers';

/**
 * Who shipped a parcel (the creator of its portal label), for the webhooks of its tracking events.
 * Most scanned parcels have no portal label: a membership set in Redis answers that "no" without a
 * store read (one per tracking event before; about 4,000 of a 5,000-scan ingest's store reads).
 */
@Injectable()
export class ParcelShippersRepository {
  readonly membership: MembershipSet;

  constructor(
    private readonly repository: WebhooksRepository,
    redis: RedisConnection,
    @InjectModel(ParcelShipperRecord.name) shippers: Model<ParcelShipperRecord>,
  ) {
    this.membership = new MembershipSet(redis.client, {
      key: SHIPPER_MEMBERSHIP_KEY,
      loadAll: () => idPages(shippers.collection),
    });
  }

  /** Records who shipped a parcel; the first label wins. Throws when Redis cannot record the member (the event is retried). */
  record(trackingNumber: string, ownerId: string): Promise<void> {
    return this.membership.around([trackingNumber], () => this.repository.recordShipper(trackingNumber, ownerId));
  }

  async of(trackingNumber: string): Promise<string | undefined> {
    const [maybe] = await this.membership.mayContain([trackingNumber]);
    return maybe ? this.repository.shipperOf(trackingNumber) : undefined;
  }
}
