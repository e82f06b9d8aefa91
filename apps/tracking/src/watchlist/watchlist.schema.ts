import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const WATCHLIST_MODEL = 'Watchlist';

export interface WatchlistItem {
  trackingNumber: string;
  nickname?: string;
  addedAt: string;
}

/** One document per user (`_id` = userId); `version` guards concurrent edits. */
@Schema({ collection: 'watchlists', versionKey: false, minimize: false })
export class WatchlistDocument {
  @Prop({ type: String })
  _id: string;

  @Prop({ type: Object, default: () => [] })
  items: WatchlistItem[];

  @Prop({ type: Number, default: 0 })
  version: number;
}

export const WatchlistSchema = SchemaFactory.createForClass(WatchlistDocument);
