import { applyOnce } from '@app/messaging';
import { isDuplicateKeyError } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ContactRecord } from './contact.schema';

export type ContactFields = Partial<Omit<ContactRecord, '_id' | 'appliedEventIds'>>;

/** Users' contact projections, one document per user id. */
@Injectable()
export class ContactsRepository {
  constructor(@InjectModel(ContactRecord.name) private readonly model: Model<ContactRecord>) {}

  /**
   * Sets `fields` once per event (its id is recorded in the same write); creates the contact when
   * there is none. A replayed event matches nothing, and its upsert's duplicate `_id` is that replay.
   */
  async setOnce(userId: string, fields: ContactFields, eventId: string): Promise<void> {
    const { filter, update } = applyOnce({ _id: userId }, { $set: fields }, eventId);
    try {
      await this.model.updateOne(filter, update, { upsert: true }).exec();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /**
   * The records of `userIds` that exist, one `{_id}` read each (the only filter FerretDB on SQLite
   * serves from an index), with the driver's own point read: every planned notice makes it, and
   * mongoose's query machinery adds CPU and nothing else to what a lean `findById` sends.
   */
  async findMany(userIds: readonly string[]): Promise<ContactRecord[]> {
    const records = await Promise.all(
      userIds.map((id) => this.model.collection.findOne<ContactRecord>({ _id: id } as Record<string, unknown>)),
    );
    return records.filter((record): record is ContactRecord => record !== null);
  }
}
