import { insertUnlessTaken } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { IdempotencyRecord } from './idempotency-record.schema';
import { WebhookEvent } from './webhook-event.schema';

/** Idempotency-Key records: a key is claimed by a unique `_id` insert, the only write FerretDB makes atomically. */
@Injectable()
export class IdempotencyRecordsRepository {
  constructor(@InjectModel(IdempotencyRecord.name) private readonly records: Model<IdempotencyRecord>) {}

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

  async extendLease(id: string, leaseUntil: Date): Promise<void> {
    await this.records.updateOne({ _id: id }, { $set: { leaseUntil } }).exec();
  }

  async complete(id: string, statusCode: number, bodyJson: string | undefined): Promise<void> {
    await this.records.updateOne({ _id: id }, { $set: { state: 'done', statusCode, bodyJson } }).exec();
  }

  /** Removes the record if its call has not completed. */
  async release(id: string): Promise<void> {
    await this.records.deleteOne({ _id: id, state: 'in_progress' }).exec();
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
