import { ConditionalUpdates, insertUnlessTaken, WriteClaims } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { IdempotencyRecord } from './idempotency-record.schema';
import { WebhookEvent } from './webhook-event.schema';

/**
 * Idempotency-Key records: a key is claimed by a unique `_id` insert, the only write FerretDB makes
 * atomically. Every later write of a record (a crashed call's takeover, the answer, the release)
 * holds the record's claim, so two pickup instances retrying one key cannot both take it over and
 * a takeover's rewrite cannot undo an answer.
 */
@Injectable()
export class IdempotencyRecordsRepository {
  private readonly updates: ConditionalUpdates<IdempotencyRecord>;

  constructor(@InjectModel(IdempotencyRecord.name) private readonly records: Model<IdempotencyRecord>) {
    this.updates = new ConditionalUpdates(records, WriteClaims.of(records));
  }

  /** Inserts the record `in_progress`; false when a record with its id exists. */
  claim(id: string, requestHash: string, now: Date, leaseUntil: Date): Promise<boolean> {
    return insertUnlessTaken(() =>
      this.records.create({ _id: id, requestHash, state: 'in_progress', createdAt: now, leaseUntil }),
    );
  }

  find(id: string): Promise<IdempotencyRecord | null> {
    return this.records.findById(id).lean<IdempotencyRecord>().exec();
  }

  /** Removes the record created at `createdAt` (an expired key), leaving a newer one with the same id. */
  async forget(id: string, createdAt: Date): Promise<void> {
    await this.records.deleteOne({ _id: id, createdAt }).exec();
  }

  /**
   * Takes over the call of a record whose lease ran out (its caller crashed): gives it a new lease,
   * only while it is still in progress under the lease `expired` that the caller saw. False when
   * another caller took it over, or the call completed or was released, first.
   */
  takeOver(id: string, expired: Date, leaseUntil: Date): Promise<boolean> {
    return this.updates.updateWhere({ _id: id, state: 'in_progress', leaseUntil: expired }, { $set: { leaseUntil } });
  }

  async complete(id: string, statusCode: number, bodyJson: string | undefined): Promise<void> {
    await this.updates.updateWhere({ _id: id }, { $set: { state: 'done', statusCode, bodyJson } });
  }

  /** Removes the record if its call has not completed. */
  async release(id: string): Promise<void> {
    await this.updates.lock.runExclusive([id], async () => {
      await this.records.deleteOne({ _id: id, state: 'in_progress' }).exec();
    });
  }
}

/** The provider events applied, by event id, so a replayed event is seen and skipped. */
@Injectable()
export class ProviderEventsRepository {
  constructor(@InjectModel(WebhookEvent.name) private readonly events: Model<WebhookEvent>) {}

  async seen(id: string): Promise<boolean> {
    return (await this.events.exists({ _id: id })) !== null;
  }

  /** Records the event applied; false when it already was (another delivery of it got there first). */
  record(event: WebhookEvent): Promise<boolean> {
    return insertUnlessTaken(() => this.events.create(event));
  }
}
