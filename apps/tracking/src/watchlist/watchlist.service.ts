import { checkTrackingNumber, LABEL_CREATED_CODE, SCAN_CODE_DESCRIPTIONS } from '@app/contracts';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { TRACKING_CONFIG, type TrackingConfig } from '../config';
import { ParcelRepository } from '../parcels/parcel.repository';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, type Page, Clock } from '@app/platform';
import { WatchlistRepository } from './watchlist.repository';
import type { WatchlistItem } from './watchlist.schema';

const MAX_ATTEMPTS = 5;

export interface WatchlistEntry {
  trackingNumber: string;
  nickname?: string;
  addedAt: string;
  found: boolean;
  /** as in the lookup: the description of the latest event, and its category */
  status: string | null;
  statusCategory: string | null;
  expectedDelivery?: string;
  lastEventAt?: string;
}

/**
 * A user's watchlist. The parcel's `watchers` is the source of truth for who is notified, so adding
 * records the watcher on the parcel first and then lists it; removing does the reverse order.
 */
@Injectable()
export class WatchlistService {
  constructor(
    private readonly lists: WatchlistRepository,
    private readonly parcels: ParcelRepository,
    private readonly clock: Clock,
    @Inject(TRACKING_CONFIG) private readonly config: TrackingConfig,
  ) {}

  async list(userId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<WatchlistEntry>> {
    const after = decodeCursor(cursor);
    const doc = await this.lists.find(userId);
    const items = [...(doc?.items ?? [])].sort((a, b) =>
      a.addedAt === b.addedAt ? a.trackingNumber.localeCompare(b.trackingNumber) : a.addedAt < b.addedAt ? 1 : -1,
    );
    const start = after === undefined ? 0 : items.findIndex((i) => `${i.addedAt}|${i.trackingNumber}` === after) + 1;
    const page = items.slice(start, start + limit);
    const parcels = await this.parcels.findMany(page.map((i) => i.trackingNumber));
    const entries = page.map((item): WatchlistEntry => {
      const parcel = parcels.get(item.trackingNumber);
      const found = parcel?.known === true;
      return {
        trackingNumber: item.trackingNumber,
        ...(item.nickname ? { nickname: item.nickname } : {}),
        addedAt: item.addedAt,
        found,
        status: found ? SCAN_CODE_DESCRIPTIONS[parcel.statusCode ?? LABEL_CREATED_CODE] : null,
        statusCategory: found ? (parcel.status ?? 'pre_shipment') : null,
        ...(found && parcel.expectedDelivery ? { expectedDelivery: parcel.expectedDelivery } : {}),
        ...(found && parcel.events[0] ? { lastEventAt: parcel.events[0].occurredAt } : {}),
      };
    });
    const last = page.at(-1);
    const more = start + limit < items.length;
    return { items: entries, nextCursor: more && last ? encodeCursor(`${last.addedAt}|${last.trackingNumber}`) : null };
  }

  async add(userId: string, rawNumber: string, nickname?: string): Promise<WatchlistItem> {
    const check = checkTrackingNumber(rawNumber);
    if (!check.valid) throw new BadRequestException(check.reason);
    const current = await this.lists.find(userId);
    const listed = current?.items.some((i) => i.trackingNumber === check.trackingNumber) ?? false;
    if (!listed && (current?.items.length ?? 0) >= this.config.TRACKING_WATCHLIST_MAX) {
      throw new ConflictException(`a watchlist holds at most ${this.config.TRACKING_WATCHLIST_MAX} numbers`);
    }
    // Under the parcel's claim (ParcelRepository): ingest in another process may be writing the parcel.
    await this.parcels.addWatcher(check.trackingNumber, userId);
    return this.upsertItem(userId, check.trackingNumber, nickname, true);
  }

  /** Lists a parcel for its label owner (the parcel already records the watcher); idempotent. */
  async ensureListed(userId: string, trackingNumber: string): Promise<void> {
    await this.upsertItem(userId, trackingNumber, undefined, false);
  }

  async remove(userId: string, rawNumber: string): Promise<void> {
    const check = checkTrackingNumber(rawNumber);
    if (!check.valid) throw new BadRequestException(check.reason);
    const current = await this.lists.find(userId);
    if (!current?.items.some((i) => i.trackingNumber === check.trackingNumber)) {
      throw new NotFoundException('this number is not on your watchlist');
    }
    await this.parcels.removeWatcher(check.trackingNumber, userId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.lists.find(userId);
      if (!doc) return;
      const items = doc.items.filter((i) => i.trackingNumber !== check.trackingNumber);
      if (await this.lists.replaceItems(userId, doc.version, items)) return;
    }
    throw new ConflictException('the watchlist changed concurrently; try again');
  }

  private async upsertItem(
    userId: string,
    trackingNumber: string,
    nickname: string | undefined,
    overwriteNickname: boolean,
  ): Promise<WatchlistItem> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.lists.find(userId);
      const items = [...(doc?.items ?? [])];
      const index = items.findIndex((i) => i.trackingNumber === trackingNumber);
      let item: WatchlistItem;
      if (index >= 0) {
        item = overwriteNickname ? { ...items[index], ...(nickname ? { nickname } : {}) } : items[index];
        if (item === items[index]) return item;
        items[index] = item;
      } else {
        if (!overwriteNickname && items.length >= this.config.TRACKING_WATCHLIST_MAX) {
          return { trackingNumber, addedAt: this.clock.now().toISOString() };
        }
        item = { trackingNumber, ...(nickname ? { nickname } : {}), addedAt: this.clock.now().toISOString() };
        items.push(item);
      }
      const stored = doc
        ? await this.lists.replaceItems(userId, doc.version, items)
        : await this.lists.create(userId, items);
      if (stored) return item;
    }
    throw new ConflictException('the watchlist changed concurrently; try again');
  }
}
