import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { EventEnvelope } from '@app/contracts';
import { applyOnce, OutboxRelay, outboxUpdates, withOutbox } from '@app/messaging';
import { ConditionalUpdates, insertUnlessTaken } from '@app/persistence';
import { afterTimeCursor, decodeTimeCursor, idPages, MembershipSet, RedisConnection } from '@app/platform';
import { Label, type ReturnCharge } from './label.schema';

/** Redis key of the tracking numbers that have a label here (after the deployment's REDIS_PREFIX). */
export const LABEL_MEMBERSHIP_KEY = 'pickup:label-numbers';

@Injectable()
export class LabelsRepository {
  /** Every update of a document; the outbox relay's removal of published events takes the same lock. */
  readonly updates: ConditionalUpdates<Label>;

  /**
   * The tracking numbers that have a label: most parcels scanned are not the portal's, and their
   * acceptance and delivery scans are answered "no label" from Redis instead of by a store read
   * (about 3,000 of a 5,000-scan ingest's store reads before).
   */
  readonly numbers: MembershipSet;

  constructor(
    @InjectModel(Label.name) private readonly model: Model<Label>,
    private readonly relay: OutboxRelay,
    redis: RedisConnection,
  ) {
    this.updates = outboxUpdates(model, relay);
    this.numbers = new MembershipSet(redis.client, {
      key: LABEL_MEMBERSHIP_KEY,
      loadAll: () => idPages(model.collection),
    });
  }

  /** Publishes the events just written to these labels' outboxes; a failure is left to the relay's periodic sweep. */
  async flush(trackingNumbers: readonly string[]): Promise<void> {
    await this.relay.flush(this.model, [...trackingNumbers]).catch(() => undefined);
  }

  /** Refunded labels whose money has not gone back yet, at most `limit`. */
  findRefundPending(limit: number): Promise<Label[]> {
    return this.model.find({ refundPending: true }).limit(limit).lean<Label[]>().exec();
  }

  /** Return labels whose charge is due, at most `limit`. */
  findReturnChargesDue(limit: number): Promise<Label[]> {
    return this.model.find({ 'returnCharge.state': 'due' }).limit(limit).lean<Label[]>().exec();
  }

  /**
   * Inserts a label; false when its tracking number already exists. Its number joins the membership
   * set first (throws, inserting nothing, when Redis cannot record it).
   */
  insert(label: Label): Promise<boolean> {
    return this.numbers.around([label._id], () => insertUnlessTaken(() => this.model.create(label)));
  }

  /** Whether a label may exist for the number: false only when the store surely has none (no store read). */
  async mayExist(trackingNumber: string): Promise<boolean> {
    const [maybe] = await this.numbers.mayContain([trackingNumber]);
    return maybe;
  }

  findByTrackingNumber(trackingNumber: string): Promise<Label | null> {
    return this.model.findById(trackingNumber).lean<Label>().exec();
  }

  findOwned(userId: string, labelId: string): Promise<Label | null> {
    return this.model.findOne({ labelId, userId }).lean<Label>().exec();
  }

  findOwnedByTrackingNumbers(userId: string, trackingNumbers: string[]): Promise<Label[]> {
    return this.model
      .find({ _id: { $in: trackingNumbers }, userId })
      .lean<Label[]>()
      .exec();
  }

  findOwnedByLabelIds(userId: string, labelIds: string[]): Promise<Label[]> {
    return this.model
      .find({ labelId: { $in: labelIds }, userId })
      .lean<Label[]>()
      .exec();
  }

  /**
   * The highest serial counter value among stored labels: their `serialIndex`, and for labels made
   * before serials were permuted (no `serialIndex`, the serial was the counter) the highest serial
   * among those whose PIC starts with one of `picPrefixes` (channel, service type code, mailer id).
   * On MongoDB both are index ranges; FerretDB reads the whole collection for them, so this serves
   * only a counter that has no reservation yet or that collided anyway (see SerialAllocator).
   */
  async highestSerialIndex(picPrefixes: string[]): Promise<number> {
    const [newest] = await this.model
      .find({ serialIndex: { $exists: true } }, { serialIndex: 1 })
      .sort({ serialIndex: -1 })
      .limit(1)
      .lean<{ serialIndex: number }[]>()
      .exec();
    let highest = newest?.serialIndex ?? 0;
    for (const prefix of picPrefixes) {
      const [last] = await this.model
        .find({ _id: { $gte: prefix, $lt: `${prefix}:` }, serialIndex: { $exists: false } }, { _id: 1 })
        .sort({ _id: -1 })
        .limit(1)
        .lean<{ _id: string }[]>()
        .exec();
      if (last) highest = Math.max(highest, Number(last._id.slice(prefix.length, -1)));
    }
    return highest;
  }

  list(userId: string, limit: number, cursor?: string): Promise<Label[]> {
    return this.model
      .find({ userId, ...afterTimeCursor(decodeTimeCursor(cursor)) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Label[]>()
      .exec();
  }

  /**
   * Points an active, not yet accepted label at a pickup, compare-and-set on the pointer it was read
   * with: false when it was attached, refunded or accepted meanwhile.
   */
  pointAtPickup(label: Label, confirmationNumber: string): Promise<boolean> {
    return this.update(
      {
        _id: label._id,
        status: 'active',
        acceptedAt: { $exists: false },
        pickupConfirmationNumber: label.pickupConfirmationNumber ?? null,
      },
      { $set: { pickupConfirmationNumber: confirmationNumber } },
    );
  }

  /** Clears a label's pickup pointer where it still points at that pickup. */
  unpointFromPickup(trackingNumber: string, confirmationNumber: string): Promise<boolean> {
    return this.update(
      { _id: trackingNumber, pickupConfirmationNumber: confirmationNumber },
      { $unset: { pickupConfirmationNumber: '' } },
    );
  }

  /**
   * Refunds an active label not yet accepted, at `at`, with its events; the money is pending until
   * clearRefundPending. False when it was refunded or accepted meanwhile.
   */
  refund(trackingNumber: string, at: Date, events: EventEnvelope[]): Promise<boolean> {
    return this.update(
      { _id: trackingNumber, status: 'active', acceptedAt: { $exists: false } },
      withOutbox({ $set: { status: 'refunded', refundedAt: at, refundPending: true } }, events),
    );
  }

  /** Records that a refunded label's money went back (or was refused for good). */
  async clearRefundPending(trackingNumber: string): Promise<void> {
    await this.update({ _id: trackingNumber }, { $unset: { refundPending: 1 } });
  }

  /**
   * Records the label's acceptance scan `eventId` at `at`, once and only for a label not yet accepted;
   * `returnChargeDue` makes a return label's charge due in the same write. False when it was not written.
   */
  accept(trackingNumber: string, at: Date, returnChargeDue: boolean, eventId: string): Promise<boolean> {
    const set = returnChargeDue ? { acceptedAt: at, 'returnCharge.state': 'due' } : { acceptedAt: at };
    const once = applyOnce({ _id: trackingNumber, acceptedAt: { $exists: false } }, { $set: set }, eventId);
    return this.update(once.filter, once.update);
  }

  /**
   * Marks a return label's charge failed at `at` for `reason`, only while it is in state `from`, with
   * its events; `retries` records the attempts so far. False when the charge moved meanwhile.
   */
  failReturnCharge(
    trackingNumber: string,
    from: ReturnCharge['state'],
    failure: { at: Date; reason: string; retries?: number },
    events: EventEnvelope[],
  ): Promise<boolean> {
    return this.update(
      { _id: trackingNumber, 'returnCharge.state': from },
      withOutbox(
        {
          $set: {
            'returnCharge.state': 'failed',
            'returnCharge.failedAt': failure.at,
            'returnCharge.failureReason': failure.reason,
            ...(failure.retries !== undefined ? { 'returnCharge.retries': failure.retries } : {}),
          },
        },
        events,
      ),
    );
  }

  /** Marks a return label's charge paid at `at` by `paidBy` (repeats change nothing). */
  async markReturnCharged(trackingNumber: string, paidBy: Label['paidBy'], at: Date): Promise<void> {
    await this.update(
      { _id: trackingNumber, 'returnCharge.state': { $ne: 'charged' } },
      { $set: { 'returnCharge.state': 'charged', 'returnCharge.chargedAt': at, paidBy } },
    );
  }

  /** Updates the document `filter._id` when it matches the rest of `filter`; false when it does not. */
  update(filter: { _id: string } & Record<string, unknown>, update: Record<string, unknown>): Promise<boolean> {
    return this.updates.updateWhere(filter, update);
  }
}
