import { ConditionalUpdates, insertUnique, WriteClaims } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { WATCHLIST_MODEL, type WatchlistDocument, type WatchlistItem } from './watchlist.schema';

/**
 * Users' watchlists, one document a user, changed only by a compare on `version` (the store has no
 * transactions across documents, and two requests of one user may race, in two processes too).
 */
@Injectable()
export class WatchlistRepository {
  /**
   * The compare on `version`: one findOneAndUpdate on MongoDB; on FerretDB, where `{_id, version}`
   * is neither atomic across connections nor served by an index, a point read and a write by `_id`
   * under the list's claim (WriteClaims), so two tracking processes cannot both win one version.
   */
  private readonly updates: ConditionalUpdates<WatchlistDocument>;

  constructor(@InjectModel(WATCHLIST_MODEL) private readonly model: Model<WatchlistDocument>) {
    this.updates = new ConditionalUpdates(model, WriteClaims.of(model));
  }

  find(userId: string): Promise<WatchlistDocument | null> {
    return this.model.findById(userId).lean<WatchlistDocument>().exec();
  }

  /** Creates a user's first list; false when another request created it first. */
  create(userId: string, items: WatchlistItem[]): Promise<boolean> {
    return insertUnique(this.model, { _id: userId, items, version: 1 });
  }

  /** Replaces the items if the list is still at `version`; false when it changed meanwhile. */
  replaceItems(userId: string, version: number, items: WatchlistItem[]): Promise<boolean> {
    return this.updates.updateWhere({ _id: userId, version }, { $set: { items, version: version + 1 } });
  }
}
