import { isDuplicateKeyError } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { WATCHLIST_MODEL, type WatchlistDocument, type WatchlistItem } from './watchlist.schema';

/**
 * Users' watchlists, one document a user, changed only by a compare on `version` (the store has no
 * transactions across documents, and two requests of one user may race).
 */
@Injectable()
export class WatchlistRepository {
  constructor(@InjectModel(WATCHLIST_MODEL) private readonly model: Model<WatchlistDocument>) {}

  find(userId: string): Promise<WatchlistDocument | null> {
    return this.model.findById(userId).lean<WatchlistDocument>().exec();
  }

  /** Creates a user's first list; false when another request created it first. */
  async create(userId: string, items: WatchlistItem[]): Promise<boolean> {
    try {
      await this.model.create({ _id: userId, items, version: 1 });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Replaces the items if the list is still at `version`; false when it changed meanwhile. */
  async replaceItems(userId: string, version: number, items: WatchlistItem[]): Promise<boolean> {
    const result = await this.model
      .updateOne({ _id: userId, version }, { $set: { items, version: version + 1 } })
      .exec();
    return result.matchedCount === 1;
  }
}
