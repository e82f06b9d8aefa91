import { Schema } from 'mongoose';

export const WATCHLIST_MODEL = 'Watchlist';

export interface WatchlistItem {
  trackingNumber: string;
  nickname?: string;
  addedAt: string;
}

/** One document per user (`_id` = userId); `version` guards concurrent edits. */
export interface WatchlistDocument {
  _id: string;
  items: WatchlistItem[];
  version: number;
}

export const WatchlistSchema = new Schema<WatchlistDocument>(
  { _id: String, items: { type: Schema.Types.Mixed, default: () => [] }, version: { type: Number, default: 0 } },
  { collection: 'watchlists', versionKey: false, minimize: false },
);
