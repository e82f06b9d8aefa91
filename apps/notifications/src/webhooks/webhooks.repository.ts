import { ConditionalUpdates, type DocumentLock, WriteClaims } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import {
  type EndpointSecret,
  ParcelShipperRecord,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
  WebhookOwnerRecord,
  type DeliveryAttempt,
} from './webhook.schema';

/** Every read by `_id` (the one filter FerretDB serves from an index); lists go through the owner document. */
@Injectable()
export class WebhooksRepository {
  private readonly endpointUpdates: ConditionalUpdates<WebhookEndpointRecord>;
  /**
   * Held while an owner's list of endpoint ids changes: FerretDB applies `$addToSet`/`$pull` as a
   * read and a rewrite of the document, so two notifications replicas registering or deleting
   * endpoints of one owner (an organisation's members at once) would lose one change without it.
   */
  private readonly ownerClaims: DocumentLock;

  constructor(
    @InjectModel(WebhookEndpointRecord.name) private readonly endpoints: Model<WebhookEndpointRecord>,
    @InjectModel(WebhookOwnerRecord.name) private readonly owners: Model<WebhookOwnerRecord>,
    @InjectModel(ParcelShipperRecord.name) private readonly shippers: Model<ParcelShipperRecord>,
    @InjectModel(WebhookDeliveryRecord.name) private readonly deliveries: Model<WebhookDeliveryRecord>,
  ) {
    // An endpoint is changed over HTTP in one replica while a delivery worker in another records its failures.
    this.endpointUpdates = new ConditionalUpdates(endpoints, WriteClaims.of(endpoints));
    this.ownerClaims = WriteClaims.of(owners);
  }

  async createEndpoint(record: WebhookEndpointRecord): Promise<void> {
    await this.endpoints.create(record);
    await this.ownerClaims.runExclusive([record.ownerId], () =>
      this.owners.updateOne({ _id: record.ownerId }, { $addToSet: { endpointIds: record._id } }, { upsert: true }),
    );
  }

  findEndpoint(id: string): Promise<WebhookEndpointRecord | null> {
    return this.endpoints.findById(id).lean<WebhookEndpointRecord>().exec();
  }

  async endpointIdsOf(ownerId: string): Promise<string[]> {
    const owner = await this.owners.findById(ownerId).lean<WebhookOwnerRecord>().exec();
    return owner?.endpointIds ?? [];
  }

  /** The owner's endpoints, oldest first. */
  async endpointsOf(ownerId: string): Promise<WebhookEndpointRecord[]> {
    const found = await Promise.all((await this.endpointIdsOf(ownerId)).map((id) => this.findEndpoint(id)));
    return found
      .filter((e): e is WebhookEndpointRecord => e !== null && e.ownerId === ownerId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** Writes the owner's edit of an endpoint (the fields given, `updatedAt` among them). */
  async editEndpoint(id: string, fields: Partial<WebhookEndpointRecord>): Promise<void> {
    await this.updateEndpointIf(id, {}, { $set: fields });
  }

  /**
   * Replaces the endpoint's signing secrets, changed at `at`; with `unchangedSince` (its `updatedAt`
   * as read), only while the endpoint is unchanged. False when it changed meanwhile.
   */
  async replaceSecrets(id: string, secrets: EndpointSecret[], at: Date, unchangedSince?: Date): Promise<boolean> {
    const condition = unchangedSince === undefined ? {} : { updatedAt: unchangedSince };
    return (await this.updateEndpointIf(id, condition, { $set: { secrets, updatedAt: at } })) !== null;
  }

  /** A delivery to the endpoint succeeded: it is not failing any more. */
  async markEndpointRecovered(id: string): Promise<void> {
    await this.updateEndpointIf(id, {}, { $set: { failingSince: null } });
  }

  /** The endpoint's deliveries fail from `at` on, unless it was already failing. */
  async markEndpointFailing(id: string, at: Date): Promise<void> {
    await this.updateEndpointIf(id, { failingSince: null }, { $set: { failingSince: at } });
  }

  /** Disables an enabled endpoint at `at` for `reason`; false when it was no longer enabled (disabled meanwhile). */
  async disableEndpoint(id: string, reason: string, at: Date): Promise<boolean> {
    const before = await this.updateEndpointIf(
      id,
      { status: 'enabled' },
      { $set: { status: 'disabled', disabledReason: reason, updatedAt: at } },
    );
    return before !== null;
  }

  /** Applies `update` when the endpoint still matches `condition`; the endpoint before, or null. */
  private updateEndpointIf(
    id: string,
    condition: QueryFilter<WebhookEndpointRecord>,
    update: UpdateQuery<WebhookEndpointRecord>,
  ): Promise<WebhookEndpointRecord | null> {
    return this.endpointUpdates.updateIf(id, condition, update);
  }

  /** Every endpoint's id, secrets and last change (a scan: only for the start-up sealing of old secrets). */
  allEndpointSecrets(): Promise<Pick<WebhookEndpointRecord, '_id' | 'secrets' | 'updatedAt'>[]> {
    return this.endpoints
      .find({}, { secrets: 1, updatedAt: 1 })
      .lean<Pick<WebhookEndpointRecord, '_id' | 'secrets' | 'updatedAt'>[]>()
      .exec();
  }

  async deleteEndpoint(endpoint: WebhookEndpointRecord): Promise<void> {
    await this.ownerClaims.runExclusive([endpoint.ownerId], () =>
      this.owners.updateOne({ _id: endpoint.ownerId }, { $pull: { endpointIds: endpoint._id } }),
    );
    await this.endpoints.deleteOne({ _id: endpoint._id });
  }

  /** Records who shipped a parcel; the first label wins (a replayed LabelCreated changes nothing). */
  async recordShipper(trackingNumber: string, ownerId: string): Promise<void> {
    try {
      await this.shippers.create({ _id: trackingNumber, ownerId });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }

  async shipperOf(trackingNumber: string): Promise<string | undefined> {
    return (await this.shippers.findById(trackingNumber).lean<ParcelShipperRecord>().exec())?.ownerId;
  }

  /** Inserts the delivery unless one with its id exists; answers the existing one, or null when inserted. */
  async insertDeliveryIfAbsent(record: WebhookDeliveryRecord): Promise<WebhookDeliveryRecord | null> {
    try {
      await this.deliveries.create(record);
      return null;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return this.findDelivery(record._id);
    }
  }

  findDelivery(id: string): Promise<WebhookDeliveryRecord | null> {
    return this.deliveries.findById(id).lean<WebhookDeliveryRecord>().exec();
  }

  async findDeliveries(ids: string[]): Promise<WebhookDeliveryRecord[]> {
    const found = await Promise.all(ids.map((id) => this.findDelivery(id)));
    return found.filter((d): d is WebhookDeliveryRecord => d !== null);
  }

  /** One writer per delivery (its job, or a redelivery once it is final), so a plain update. Attempts are bounded by WEBHOOK_ATTEMPTS + MAX_REDELIVERIES. */
  async updateDelivery(id: string, set: Partial<WebhookDeliveryRecord>, attempt?: DeliveryAttempt): Promise<void> {
    await this.deliveries
      .updateOne(
        { _id: id },
        {
          $set: set,
          ...(attempt ? { $push: { attempts: attempt } } : {}),
        },
      )
      .exec();
  }

  async deleteDeliveries(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.deliveries.deleteMany({ _id: { $in: ids } }).exec();
  }
}
