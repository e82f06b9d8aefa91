import type { EventEnvelope } from '@app/contracts';
import { OutboxRelay, outboxUpdates, withOutbox } from '@app/messaging';
import { ConditionalUpdates, insertUnlessTaken } from '@app/persistence';
import { afterTimeCursor, decodeTimeCursor, encodeTimeCursor, pageOf, type Page } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import {
  DELIVERY_REQUEST_MODEL,
  PARCEL_CLAIM_MODEL,
  type DeliveryRequest,
  type DeliveryRequestKind,
  type ParcelClaim,
} from './delivery-request.schema';

@Injectable()
export class DeliveryRequestsRepository {
  /** Every update of a request; the outbox relay's removal of published events takes the same lock. */
  private readonly updates: ConditionalUpdates<DeliveryRequest>;

  constructor(
    @InjectModel(DELIVERY_REQUEST_MODEL) private readonly model: Model<DeliveryRequest>,
    @InjectModel(PARCEL_CLAIM_MODEL) private readonly claims: Model<ParcelClaim>,
    private readonly relay: OutboxRelay,
  ) {
    // Claims on FerretDB: a request changed over HTTP in one tracking process may be having its
    // published events removed by the outbox relay (or changed by a request) in another.
    this.updates = outboxUpdates(model, relay);
  }

  /** Publishes the events just written to the request's outbox. */
  flush(id: string): Promise<void> {
    return this.relay.flush(this.model, [id]);
  }

  /** Inserts a request; false when its `_id` is taken. */
  insert(request: DeliveryRequest): Promise<boolean> {
    return insertUnlessTaken(() => this.model.create(request));
  }

  findById(id: string): Promise<DeliveryRequest | null> {
    return this.model.findById(id).lean<DeliveryRequest>().exec();
  }

  list(userId: string, kind: DeliveryRequestKind, limit: number, cursor?: string): Promise<DeliveryRequest[]> {
    return this.model
      .find({ userId, kind, ...afterTimeCursor(decodeTimeCursor(cursor)) }, { outbox: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<DeliveryRequest[]>()
      .exec();
  }

  /** One page of the user's requests of a kind, newest first, each shown by `view`. */
  async page<V>(
    userId: string,
    kind: DeliveryRequestKind,
    limit: number,
    cursor: string | undefined,
    view: (request: DeliveryRequest) => V,
  ): Promise<Page<V>> {
    const rows = await this.list(userId, kind, limit, cursor);
    return pageOf(rows, limit, (last) => encodeTimeCursor({ createdAt: new Date(last.createdAt), id: last._id }), view);
  }

  /** Requests of a kind matching `filter`, without their outbox (the outcome sweep's reads). */
  findOpen(kind: DeliveryRequestKind, filter: Record<string, unknown>, limit: number): Promise<DeliveryRequest[]> {
    return this.model
      .find({ kind, ...filter }, { outbox: 0 })
      .limit(limit)
      .lean<DeliveryRequest[]>()
      .exec();
  }

  /**
   * Writes `fields` to the request `filter._id` when it matches the rest of `filter` (a field given
   * as undefined is removed) and adds `events` to its outbox; false when it does not match.
   */
  change(
    filter: { _id: string } & Record<string, unknown>,
    fields: Partial<Omit<DeliveryRequest, '_id' | 'outbox'>>,
    events: readonly EventEnvelope[] = [],
  ): Promise<boolean> {
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) unset[field] = '';
      else set[field] = value;
    }
    const update = Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set };
    return this.updates.updateWhere(filter, withOutbox(update, events));
  }

  /** Claims `<kind>:<trackingNumber>` for a request; false when another request holds it. */
  claim(kind: DeliveryRequestKind, trackingNumber: string, requestId: string, now: Date): Promise<boolean> {
    return insertUnlessTaken(() => this.claims.create({ _id: `${kind}:${trackingNumber}`, requestId, createdAt: now }));
  }

  findClaim(kind: DeliveryRequestKind, trackingNumber: string): Promise<ParcelClaim | null> {
    return this.claims.findById(`${kind}:${trackingNumber}`).lean<ParcelClaim>().exec();
  }

  /** Releases the claim if `requestId` still holds it. */
  async release(kind: DeliveryRequestKind, trackingNumber: string, requestId: string): Promise<void> {
    await this.claims.deleteOne({ _id: `${kind}:${trackingNumber}`, requestId }).exec();
  }
}
