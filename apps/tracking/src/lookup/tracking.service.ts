import { checkTrackingNumber } from '@app/contracts';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { AddressesService } from '../addresses/addresses.service';
import { ParcelRepository } from '../parcels/parcel.repository';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, type Page } from '@app/platform';
import { toTrackingView, type TrackingView } from './tracking-view';
import { TrackingViewCache } from './tracking-view-cache';

export const MAX_NUMBERS_PER_LOOKUP = 35;

export type MultiResult =
  ({ trackingNumber: string; found: true } & TrackingView) | { trackingNumber: string; found: false; error?: string };

@Injectable()
export class TrackingService {
  constructor(
    private readonly parcels: ParcelRepository,
    private readonly addresses: AddressesService,
    private readonly views: TrackingViewCache,
  ) {}

  async lookup(rawNumber: string): Promise<TrackingView> {
    const check = checkTrackingNumber(rawNumber);
    if (!check.valid) throw new BadRequestException(check.reason);
    const view = await this.views.get(check.trackingNumber);
    if (!view) throw new NotFoundException(`no record of ${check.trackingNumber} yet`);
    return view;
  }

  async lookupMany(numbersParam: string | undefined): Promise<{ results: MultiResult[] }> {
    const raw = (numbersParam ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    if (raw.length === 0) throw new BadRequestException('numbers must list at least one tracking number');
    if (raw.length > MAX_NUMBERS_PER_LOOKUP) {
      throw new BadRequestException(`at most ${MAX_NUMBERS_PER_LOOKUP} tracking numbers per request`);
    }
    // One `{_id}` read per number, not one `{_id: {$in}}`: FerretDB decodes and filters the whole
    // collection for `$in`, while an exact `_id` filter is pushed down to SQLite.
    const results = await Promise.all(
      raw.map(async (input): Promise<MultiResult> => {
        const check = checkTrackingNumber(input);
        if (!check.valid) return { trackingNumber: input, found: false, error: check.reason };
        const view = await this.views.get(check.trackingNumber);
        return view ? { found: true, ...view } : { trackingNumber: check.trackingNumber, found: false };
      }),
    );
    return { results };
  }

  /** Parcels addressed to one of the user's verified addresses. */
  async incoming(userId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<TrackingView>> {
    const after = decodeCursor(cursor);
    const keys = await this.addresses.keysOf(userId);
    const parcels = await this.parcels.findByDestinationKeys(keys, after, limit + 1);
    const page = parcels.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toTrackingView),
      nextCursor: parcels.length > limit && last ? encodeCursor(last._id) : null,
    };
  }
}
