import { checkTrackingNumber } from '@app/contracts';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { AddressesService } from '../addresses/addresses.service';
import { HoldMailService } from '../delivery/hold-mail.service';
import type { ParcelState } from '../parcels/parcel-state';
import { ParcelRepository } from '../parcels/parcel.repository';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, type Page } from '@app/platform';
import { toTrackingView, type TrackingView } from './tracking-view';
import { TrackingReadModel } from './tracking-read-model';

export const MAX_NUMBERS_PER_LOOKUP = 35;

/** An incoming parcel; held at the post office by the recipient's Hold Mail in force. */
export type IncomingView = TrackingView & {
  heldAtPostOffice?: true;
  holdMail?: { confirmationNumber: string; endDate: string; delivery: string };
};

export type MultiResult =
  ({ trackingNumber: string; found: true } & TrackingView) | { trackingNumber: string; found: false; error?: string };

@Injectable()
export class TrackingService {
  constructor(
    private readonly parcels: ParcelRepository,
    private readonly addresses: AddressesService,
    private readonly views: TrackingReadModel,
    private readonly holdMail: HoldMailService,
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
    const checks = raw.map((input) => ({ input, check: checkTrackingNumber(input) }));
    const valid = checks.flatMap(({ check }) => (check.valid ? [check.trackingNumber] : []));
    // One MGET for all of them; a miss is read from the store by `{_id}` (FerretDB scans for `$in`).
    const views = await this.views.getMany(valid);
    const byNumber = new Map(valid.map((n, i) => [n, views[i]]));
    const results = checks.map(({ input, check }): MultiResult => {
      if (!check.valid) return { trackingNumber: input, found: false, error: check.reason };
      const view = byNumber.get(check.trackingNumber);
      return view ? { found: true, ...view } : { trackingNumber: check.trackingNumber, found: false };
    });
    return { results };
  }

  /**
   * Parcels addressed to one of the user's verified addresses. While a Hold Mail of that address is
   * in force, its parcels not yet delivered are shown held at the post office.
   */
  async incoming(userId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<IncomingView>> {
    const after = decodeCursor(cursor);
    const keys = await this.addresses.keysOf(userId);
    const [parcels, holds] = await Promise.all([
      this.parcels.findByDestinationKeys(keys, after, limit + 1),
      this.holdMail.inForceByKey(userId),
    ]);
    const page = parcels.slice(0, limit);
    const last = page.at(-1);
    const view = (parcel: ParcelState): IncomingView => {
      const hold = parcel.destinationKey ? holds.get(parcel.destinationKey) : undefined;
      if (!hold || parcel.status === 'delivered') return toTrackingView(parcel);
      return {
        ...toTrackingView(parcel),
        heldAtPostOffice: true,
        holdMail: { confirmationNumber: hold._id, endDate: hold.endDate ?? '', delivery: hold.delivery ?? '' },
      };
    };
    return {
      items: page.map(view),
      nextCursor: parcels.length > limit && last ? encodeCursor(last._id) : null,
    };
  }
}
