import {
  RedeliveryCancelledV1,
  RedeliveryChangedV1,
  RedeliveryRequestedV1,
  RedeliveryStatuses,
  type RedeliveryRequestedData,
} from '@app/contracts';
import { toOutboxEntries } from '@app/messaging';
import { DEFAULT_PAGE_SIZE, type Page, Clock } from '@app/platform';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { ParcelState } from '../parcels/parcel-state';
import { ParcelRepository } from '../parcels/parcel.repository';
import { DeliveryRequestKinds, type DeliveryRequest } from './delivery-request.schema';
import { DeliveryRequestsRepository } from './delivery-requests.repository';
import {
  holdOf,
  redeliveryActive,
  redeliveryChangeProblem,
  redeliveryDateProblem,
  type HoldState,
} from './delivery-rules';
import type { CreateRedeliveryDto, UpdateRedeliveryDto } from './dto/redelivery.dto';
import { ParcelAccessService } from './parcel-access.service';
import { DeliveryQuota } from './delivery-quota';
import { RequestEvents } from './request-events';
import { confirmationNumberPattern } from './confirmation-number';
import { RequestClaims } from './request-claims';

export const REDELIVERY_PREFIX = 'RD';
const CONFIRMATION_NUMBER_PATTERN = confirmationNumberPattern(REDELIVERY_PREFIX);
/** A claim whose request is missing this long after it was made was left by a crash: it may be taken over. */
const ORPHAN_CLAIM_MS = 30_000;

export interface RedeliveryView {
  confirmationNumber: string;
  trackingNumber: string;
  status: string;
  date: string;
  where: string;
  instructions?: string;
  contact: { email?: string; phone?: string };
  /** still to come or under way (scheduled, to the end of its day) */
  active: boolean;
  /** what the scans said since: `confirmed` (redelivery_scheduled), `delivered`, or `failed` (attempted again) */
  outcome?: string;
  createdAt: string;
  updatedAt: string;
}

@Injectable()
export class RedeliveriesService {
  constructor(
    private readonly access: ParcelAccessService,
    private readonly parcels: ParcelRepository,
    private readonly requests: DeliveryRequestsRepository,
    private readonly events: RequestEvents,
    private readonly clock: Clock,
    private readonly claims: RequestClaims,
    private readonly quota: DeliveryQuota,
  ) {}

  /**
   * Books a redelivery of a held parcel. The same booking sent again (a retry) answers the
   * redelivery already made; any other booking while one is active is a 409.
   */
  async create(userId: string, rawNumber: string, input: CreateRedeliveryDto): Promise<RedeliveryView> {
    const { parcel } = await this.access.require(userId, rawNumber, 'recipient', 'ask for a redelivery');
    const booking = bookingOf(input);
    checkBooking(booking);
    const now = this.clock.now();
    const hold = await this.holdOf(parcel);
    const holdUntil = assertRedeliverable(hold, now);
    const problem = redeliveryDateProblem(booking.date, now, holdUntil);
    if (problem) throw new BadRequestException(problem);
    // A retry of the booking made answers it before the quota counts anything.
    const active = await this.activeFor(parcel._id);
    if (active && active.userId === userId && sameBooking(active, booking)) return toRedeliveryView(active, now);
    await this.quota.take(userId);

    return this.claims.book<RedeliveryView>({
      kind: DeliveryRequestKinds.Redelivery,
      prefix: REDELIVERY_PREFIX,
      trackingNumber: parcel._id,
      now,
      record: async (booked) => {
        const request: DeliveryRequest = { ...booked, userId, status: RedeliveryStatuses.Scheduled, ...booking };
        request.outbox = toOutboxEntries([this.events.create(RedeliveryRequestedV1, parcel._id, detailsOf(request))]);
        await this.requests.insert(request);
        await this.flush(request._id);
        return toRedeliveryView(request, now);
      },
      // A redelivery that is over (cancelled, done, its day past) gives its claim to the next booking.
      heldBy: (existing) => {
        if (!redeliveryActive(existing.status, existing.date ?? '', now)) return undefined;
        if (existing.userId === userId && sameBooking(existing, booking)) return toRedeliveryView(existing, now);
        throw new ConflictException(
          existing.userId === userId
            ? `redelivery ${existing._id} is already scheduled for this parcel on ${existing.date}: change it with PATCH /redeliveries/${existing._id} or cancel it first`
            : `a redelivery is already scheduled for this parcel on ${existing.date}`,
        );
      },
      takeOverAfterMs: ORPHAN_CLAIM_MS,
      busy: 'another redelivery of this parcel is being booked right now; try again',
      exhausted: 'the redelivery could not be booked (concurrent bookings); try again',
    });
  }

  async list(userId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<RedeliveryView>> {
    const now = this.clock.now();
    return this.requests.page(userId, DeliveryRequestKinds.Redelivery, limit, cursor, (r) => toRedeliveryView(r, now));
  }

  async get(userId: string, confirmationNumber: string): Promise<RedeliveryView> {
    return toRedeliveryView(await this.owned(userId, confirmationNumber), this.clock.now());
  }

  async modify(userId: string, confirmationNumber: string, changes: UpdateRedeliveryDto): Promise<RedeliveryView> {
    const current = await this.owned(userId, confirmationNumber);
    const now = this.clock.now();
    assertChangeable(current, now);
    const next: DeliveryRequest = {
      ...current,
      date: changes.date ?? current.date,
      where: changes.where ?? current.where,
      // null clears the instructions; undefined keeps them
      instructions:
        changes.instructions === null ? undefined : (changes.instructions?.trim() ?? current.instructions) || undefined,
      contact: changes.contact ? contactOf(changes.contact) : current.contact,
      updatedAt: now,
    };
    const booking = bookingOf(next as CreateRedeliveryDto);
    checkBooking(booking);
    if (sameBooking(current, booking)) return toRedeliveryView(current, now);
    await this.quota.take(userId);
    if (next.date !== current.date) {
      const parcel = await this.parcels.findById(current.trackingNumber);
      const holdUntil = assertRedeliverable(parcel ? await this.holdOf(parcel) : undefined, now);
      const problem = redeliveryDateProblem(booking.date, now, holdUntil);
      if (problem) throw new BadRequestException(problem);
    }
    const event = this.events.create(RedeliveryChangedV1, current.trackingNumber, detailsOf(next));
    // Only over the redelivery as read: two changes at once must not both answer 200 with one lost.
    const updated = await this.requests.change(
      { _id: current._id, status: RedeliveryStatuses.Scheduled, updatedAt: current.updatedAt },
      { ...booking, instructions: booking.instructions, updatedAt: now },
      [event],
    );
    if (!updated) throw new ConflictException('the redelivery changed meanwhile; try again');
    await this.flush(current._id);
    return toRedeliveryView({ ...next, ...booking }, now);
  }

  /** Cancels a redelivery; cancelling one already cancelled answers the same (a retry). */
  async cancel(userId: string, confirmationNumber: string): Promise<RedeliveryView> {
    const current = await this.owned(userId, confirmationNumber);
    const now = this.clock.now();
    if (current.status === RedeliveryStatuses.Cancelled) return toRedeliveryView(current, now);
    assertChangeable(current, now);
    await this.quota.take(userId);
    const event = this.events.create(RedeliveryCancelledV1, current.trackingNumber, {
      confirmationNumber: current._id,
      trackingNumber: current.trackingNumber,
      userId,
      date: current.date ?? '',
    });
    const updated = await this.requests.change(
      { _id: current._id, status: RedeliveryStatuses.Scheduled },
      { status: RedeliveryStatuses.Cancelled, updatedAt: now },
      [event],
    );
    if (!updated) throw new ConflictException('the redelivery changed meanwhile; try again');
    await this.requests.release(DeliveryRequestKinds.Redelivery, current.trackingNumber, current._id);
    await this.flush(current._id);
    return toRedeliveryView({ ...current, status: RedeliveryStatuses.Cancelled, updatedAt: now }, now);
  }

  /** The active redelivery of a parcel, if any. */
  async activeFor(trackingNumber: string): Promise<DeliveryRequest | undefined> {
    const claim = await this.requests.findClaim(DeliveryRequestKinds.Redelivery, trackingNumber);
    if (!claim) return undefined;
    const request = await this.requests.findById(claim.requestId);
    return request && redeliveryActive(request.status, request.date ?? '', this.clock.now()) ? request : undefined;
  }

  /** The parcel's hold, counting its extension. */
  async holdOf(parcel: ParcelState): Promise<HoldState> {
    const extension = await this.requests.findById(holdExtensionId(parcel._id));
    return holdOf(parcel, extension?.days ?? 0);
  }

  private async owned(userId: string, confirmationNumber: string): Promise<DeliveryRequest> {
    if (!CONFIRMATION_NUMBER_PATTERN.test(confirmationNumber)) {
      throw new BadRequestException('confirmationNumber is malformed (RD and 10 letters or digits)');
    }
    const request = await this.requests.findById(confirmationNumber);
    if (!request || request.kind !== DeliveryRequestKinds.Redelivery || request.userId !== userId) {
      throw new NotFoundException(`redelivery ${confirmationNumber} not found`);
    }
    return request;
  }

  private async flush(id: string): Promise<void> {
    await this.requests.flush(id);
  }
}

/** The `_id` of a parcel's one hold extension. */
export function holdExtensionId(trackingNumber: string): string {
  return `hold-extension:${trackingNumber}`;
}

type Booking = Pick<RedeliveryRequestedData, 'date' | 'where' | 'instructions' | 'contact'>;

function contactOf(contact: { email?: string; phone?: string }): { email?: string; phone?: string } {
  return {
    ...(contact.email ? { email: contact.email.trim() } : {}),
    ...(contact.phone ? { phone: contact.phone.trim() } : {}),
  };
}

function bookingOf(input: CreateRedeliveryDto): Booking {
  const instructions = input.instructions?.trim();
  return {
    date: input.date,
    where: input.where,
    ...(instructions ? { instructions } : {}),
    contact: contactOf(input.contact ?? {}),
  };
}

function checkBooking(booking: Booking): void {
  if (!booking.contact.email && !booking.contact.phone)
    throw new BadRequestException('contact needs an email or a phone');
  if (booking.where === 'other' && !booking.instructions) {
    throw new BadRequestException('where "other" needs instructions saying where to leave the parcel');
  }
}

function sameBooking(request: DeliveryRequest, booking: Booking): boolean {
  return (
    request.date === booking.date &&
    request.where === booking.where &&
    (request.instructions ?? undefined) === booking.instructions &&
    (request.contact?.email ?? undefined) === booking.contact.email &&
    (request.contact?.phone ?? undefined) === booking.contact.phone
  );
}

/** The hold's end, when a redelivery may be asked for now; a 409 with the reason otherwise. */
function assertRedeliverable(hold: HoldState | undefined, now: Date): string {
  if (!hold?.held || !hold.attempted || !hold.holdUntil) {
    throw new ConflictException(
      'a redelivery can be asked for only after a delivery attempt, while the parcel is held at the post office',
    );
  }
  if (Date.parse(hold.holdUntil) <= now.getTime()) {
    throw new ConflictException(`the parcel's hold ended at ${hold.holdUntil}: it goes back to the sender`);
  }
  return hold.holdUntil;
}

function assertChangeable(request: DeliveryRequest, now: Date): void {
  if (request.status !== RedeliveryStatuses.Scheduled) {
    throw new ConflictException(`the redelivery is ${request.status} and cannot change`);
  }
  const problem = redeliveryChangeProblem(request.date ?? '', now);
  if (problem) throw new ConflictException(problem);
}

function detailsOf(request: DeliveryRequest): RedeliveryRequestedData {
  return {
    confirmationNumber: request._id,
    trackingNumber: request.trackingNumber,
    userId: request.userId,
    date: request.date ?? '',
    where: request.where ?? 'front_door',
    ...(request.instructions ? { instructions: request.instructions } : {}),
    contact: request.contact ?? {},
  };
}

export function toRedeliveryView(request: DeliveryRequest, now: Date): RedeliveryView {
  return {
    confirmationNumber: request._id,
    trackingNumber: request.trackingNumber,
    status: request.status,
    date: request.date ?? '',
    where: request.where ?? 'front_door',
    ...(request.instructions ? { instructions: request.instructions } : {}),
    contact: request.contact ?? {},
    active: redeliveryActive(request.status, request.date ?? '', now),
    ...(request.outcome ? { outcome: request.outcome } : {}),
    createdAt: new Date(request.createdAt).toISOString(),
    updatedAt: new Date(request.updatedAt).toISOString(),
  };
}
