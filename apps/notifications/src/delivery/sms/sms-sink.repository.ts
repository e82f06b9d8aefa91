import { isDuplicateKeyError } from '@app/persistence';
import { afterTimeCursor, decodeTimeCursor, encodeTimeCursor } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { QueryFilter, Model } from 'mongoose';
import { SinkSmsRecord } from './sms-sink.schema';

/** One page of kept texts, newest first, and the cursor of the next page (null on the last). */
export interface SinkSmsPage {
  items: SinkSmsRecord[];
  nextCursor: string | null;
}

/** The texts the sink SMS provider keeps in the notifications database instead of sending them. */
@Injectable()
export class SmsSinkRepository {
  constructor(@InjectModel(SinkSmsRecord.name) private readonly model: Model<SinkSmsRecord>) {}

  /** Keeps one text; keeping the same message id again (a retried job) changes nothing. */
  async keep(record: SinkSmsRecord): Promise<void> {
    try {
      await this.model.create(record);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** The texts (to one phone when `to` is given), newest first, `limit` a page from `cursor`. */
  async page(query: { to?: string; limit: number; cursor?: string }): Promise<SinkSmsPage> {
    const filter: QueryFilter<SinkSmsRecord> = {
      ...(query.to ? { to: query.to } : {}),
      ...afterTimeCursor(decodeTimeCursor(query.cursor)),
    };
    const rows = await this.model
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<SinkSmsRecord[]>()
      .exec();
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const more = rows.length > query.limit && last !== undefined;
    return { items, nextCursor: more ? encodeTimeCursor({ createdAt: last.createdAt, id: last._id }) : null };
  }
}
