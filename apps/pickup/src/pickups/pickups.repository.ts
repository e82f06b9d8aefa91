import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { type EventEnvelope, PickupStatuses } from '@app/contracts';
import { applyOnce, OutboxRelay, outboxUpdates, withOutbox } from '@app/messaging';
import { ConditionalUpdates, insertUnlessTaken } from '@app/persistence';
import { afterTimeCursor, decodeTimeCursor } from '@app/platform';
import { Pickup } from './pickup.schema';

@Injectable()
export class PickupsRepository {
  /** Every update of a document; the outbox relay's removal of published events takes the same lock. */
  readonly updates: ConditionalUpdates<Pickup>;

  constructor(
    @InjectModel(Pickup.name) private readonly model: Model<Pickup>,
    private readonly relay: OutboxRelay,
  ) {
    this.updates = outboxUpdates(model, relay);
  }

  /** Publishes the events just written to this pickup's outbox; what fails is left to the relay's sweep. */
  async flush(confirmationNumber: string): Promise<void> {
    await this.relay.flush(this.model, [confirmationNumber]);
  }

  /** Inserts a pickup; false when its confirmation number is taken. */
  insert(pickup: Pickup): Promise<boolean> {
    return insertUnlessTaken(() => this.model.create(pickup));
  }

  findById(confirmationNumber: string): Promise<Pickup | null> {
    return this.model.findById(confirmationNumber).lean<Pickup>().exec();
  }

  list(userId: string, limit: number, cursor?: string): Promise<Pickup[]> {
    return this.model
      .find({ userId, ...afterTimeCursor(decodeTimeCursor(cursor)) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Pickup[]>()
      .exec();
  }

  /** Scheduled pickups: the candidates for "missed" (a scan; pickups are few per day). */
  findScheduled(): Promise<Pickup[]> {
    return this.model.find({ status: 'scheduled' }).lean<Pickup[]>().exec();
  }

  /**
   * Writes a customer's change of a scheduled pickup with its events, only over the pickup as read
   * (`readAt`, its `updatedAt`): of two changes at once, one is written and the other is told, none
   * is lost. Instructions absent from `next` are removed.
   */
  reschedule(next: Pickup, readAt: Date, events: EventEnvelope[]): Promise<boolean> {
    const { date, packageLocation, packages, estimatedWeightLb, dogPresent, trackingNumbers, updatedAt } = next;
    const set = { date, packageLocation, packages, estimatedWeightLb, dogPresent, trackingNumbers, updatedAt };
    const change =
      next.instructions === undefined
        ? { $set: set, $unset: { instructions: '' } }
        : { $set: { ...set, instructions: next.instructions } };
    return this.update(
      { _id: next._id, status: PickupStatuses.Scheduled, updatedAt: readAt },
      withOutbox(change, events),
    );
  }

  /** Cancels a scheduled pickup with its events; false when it is no longer scheduled. */
  cancel(confirmationNumber: string, at: Date, events: EventEnvelope[]): Promise<boolean> {
    return this.update(
      { _id: confirmationNumber, status: PickupStatuses.Scheduled },
      withOutbox({ $set: { status: PickupStatuses.Cancelled, updatedAt: at } }, events),
    );
  }

  /** Completes a scheduled pickup with its events, once for the acceptance event `causeId`. */
  complete(confirmationNumber: string, at: Date, events: EventEnvelope[], causeId: string): Promise<boolean> {
    const once = applyOnce(
      { _id: confirmationNumber, status: PickupStatuses.Scheduled },
      withOutbox({ $set: { status: PickupStatuses.Completed, completedAt: at } }, events),
      causeId,
    );
    return this.update(once.filter, once.update);
  }

  /** Marks missed a scheduled pickup unchanged since it was read (`readAt`, its `updatedAt`). */
  markMissed(confirmationNumber: string, readAt: Date, at: Date, events: EventEnvelope[]): Promise<boolean> {
    return this.update(
      { _id: confirmationNumber, status: PickupStatuses.Scheduled, updatedAt: readAt },
      withOutbox({ $set: { status: PickupStatuses.Missed, updatedAt: at } }, events),
    );
  }

  /** Updates the document `filter._id` when it matches the rest of `filter`; false when it does not. */
  update(filter: { _id: string } & Record<string, unknown>, update: Record<string, unknown>): Promise<boolean> {
    return this.updates.updateWhere(filter, update);
  }
}
