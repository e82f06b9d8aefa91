import {
  HOLD_EXTENSION_MAX_DAYS,
  HoldExtendedV1,
  ParcelActions,
  REDELIVERY_LOCATIONS,
  type ParcelAction,
} from '@app/contracts';
import { OutboxRelay, toOutboxEntries } from '@app/messaging';
import { ConflictException, Injectable } from '@nestjs/common';
import { Clock } from '../shared/clock';
import { DeliveryRequestKinds, type DeliveryRequest } from './delivery-request.schema';
import { DeliveryRequestsRepository } from './delivery-requests.repository';
import { extendedHoldUntil, redeliveryDates } from './delivery-rules';
import { ParcelAccessService, type ParcelRole } from './parcel-access.service';
import { holdExtensionId, RedeliveriesService, toRedeliveryView, type RedeliveryView } from './redeliveries.service';
import { RequestEvents } from './request-events';

/** Whether an action is possible now; why not when it is not. */
export type ActionOption =
  ({ allowed: true } & Record<string, unknown>) | { allowed: false; reason: string; [key: string]: unknown };

export interface ParcelOptions {
  trackingNumber: string;
  /** what the caller is to this parcel */
  roles: ParcelRole[];
  statusCategory: string;
  /** ISO-8601: while the parcel is held, when it goes back to the sender */
  holdUntil?: string;
  actions: Record<ParcelAction, ActionOption>;
  /** the caller's active redelivery of this parcel */
  redelivery?: RedeliveryView;
}

export interface HoldExtensionResult {
  trackingNumber: string;
  days: number;
  holdUntil: string;
}

@Injectable()
export class ParcelOptionsService {
  constructor(
    private readonly access: ParcelAccessService,
    private readonly redeliveries: RedeliveriesService,
    private readonly requests: DeliveryRequestsRepository,
    private readonly events: RequestEvents,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
  ) {}

  /** Which actions the caller may take on the parcel now, with the dates they may choose. */
  async options(userId: string, rawNumber: string): Promise<ParcelOptions> {
    const { parcel, roles } = await this.access.resolve(userId, rawNumber);
    const now = this.clock.now();
    const recipient = roles.includes('recipient');
    const [hold, active, extension] = await Promise.all([
      this.redeliveries.holdOf(parcel),
      this.redeliveries.activeFor(parcel._id),
      this.requests.findById(holdExtensionId(parcel._id)),
    ]);
    const holdOver = hold.holdUntil !== undefined && Date.parse(hold.holdUntil) <= now.getTime();

    let redelivery: ActionOption;
    if (!recipient) redelivery = { allowed: false, reason: 'only the recipient may ask for a redelivery' };
    else if (!hold.held || !hold.attempted) {
      redelivery = {
        allowed: false,
        reason: 'a redelivery can be asked for after a delivery attempt, while the parcel is held',
      };
    } else if (holdOver) redelivery = { allowed: false, reason: `the hold ended at ${hold.holdUntil}` };
    else if (active) {
      redelivery = {
        allowed: false,
        reason: `a redelivery is already scheduled for ${active.date}`,
        ...(active.userId === userId ? { confirmationNumber: active._id } : {}),
      };
    } else {
      const dates = redeliveryDates(now, hold.holdUntil ?? now.toISOString());
      redelivery =
        dates.length > 0
          ? { allowed: true, dates, locations: [...REDELIVERY_LOCATIONS] }
          : { allowed: false, reason: 'no delivery day is left before the hold ends' };
    }

    let holdExtension: ActionOption;
    if (!recipient) holdExtension = { allowed: false, reason: 'only the recipient may extend the hold' };
    else if (extension)
      holdExtension = { allowed: false, reason: `the hold was already extended once, to ${extension.holdUntil}` };
    else if (!hold.availableForPickup) {
      holdExtension = { allowed: false, reason: 'the hold can be extended while the parcel is available for pickup' };
    } else if (holdOver) holdExtension = { allowed: false, reason: `the hold ended at ${hold.holdUntil}` };
    else holdExtension = { allowed: true, maxDays: HOLD_EXTENSION_MAX_DAYS };

    return {
      trackingNumber: parcel._id,
      roles,
      statusCategory: parcel.status ?? 'pre_shipment',
      ...(hold.held && hold.holdUntil ? { holdUntil: hold.holdUntil } : {}),
      actions: { [ParcelActions.Redelivery]: redelivery, [ParcelActions.HoldExtension]: holdExtension },
      ...(active && active.userId === userId ? { redelivery: toRedeliveryView(active, now) } : {}),
    };
  }

  /**
   * Extends the hold of a parcel available for pickup, once. The same extension sent again (a
   * retry) answers the extension made; a different one is a 409.
   */
  async extendHold(userId: string, rawNumber: string, days = HOLD_EXTENSION_MAX_DAYS): Promise<HoldExtensionResult> {
    const { parcel } = await this.access.require(userId, rawNumber, 'recipient', 'extend the hold');
    const id = holdExtensionId(parcel._id);
    const existing = await this.requests.findById(id);
    if (existing) return sameOrConflict(existing, days);
    const now = this.clock.now();
    const hold = await this.redeliveries.holdOf(parcel);
    if (!hold.availableForPickup || !hold.holdUntil) {
      throw new ConflictException('the hold can be extended only while the parcel is available for pickup');
    }
    if (Date.parse(hold.holdUntil) <= now.getTime()) {
      throw new ConflictException(`the parcel's hold ended at ${hold.holdUntil}: it goes back to the sender`);
    }
    const holdUntil = extendedHoldUntil(hold.holdUntil, days);
    const request: DeliveryRequest = {
      _id: id,
      kind: DeliveryRequestKinds.HoldExtension,
      userId,
      trackingNumber: parcel._id,
      status: 'extended',
      days,
      holdUntil,
      previousHoldUntil: hold.holdUntil,
      createdAt: now,
      updatedAt: now,
      outbox: [],
    };
    request.outbox = toOutboxEntries([
      this.events.create(HoldExtendedV1, parcel._id, {
        trackingNumber: parcel._id,
        userId,
        days,
        holdUntil,
        previousHoldUntil: hold.holdUntil,
      }),
    ]);
    // The unique `_id` makes it once per parcel: a concurrent extension that won is answered as a retry.
    if (!(await this.requests.insert(request))) {
      const winner = await this.requests.findById(id);
      if (winner) return sameOrConflict(winner, days);
    }
    await this.relay.flush(this.requests.model, [id]);
    return { trackingNumber: parcel._id, days, holdUntil };
  }
}

function sameOrConflict(existing: DeliveryRequest, days: number): HoldExtensionResult {
  if (existing.days !== days) {
    throw new ConflictException(
      `the hold was already extended once (by ${existing.days} days, to ${existing.holdUntil})`,
    );
  }
  return { trackingNumber: existing.trackingNumber, days, holdUntil: existing.holdUntil ?? '' };
}
