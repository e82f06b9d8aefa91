import {
  HoldMailCancelledV1,
  HoldMailChangedV1,
  HoldMailRequestedV1,
  HoldMailStatuses,
  type HoldMailData,
} from '@app/contracts';
import { toOutboxEntries } from '@app/messaging';
import { Clock, DEFAULT_PAGE_SIZE, IdGenerator, type Page } from '@app/platform';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AddressesService } from '../addresses/addresses.service';
import { DeliveryRequestKinds, type DeliveryRequest } from './delivery-request.schema';
import { DeliveryRequestsRepository } from './delivery-requests.repository';
import { holdMailInForce, holdMailProblem, holdMailStarted, rangesOverlap } from './delivery-rules';
import { addDays, centralDate } from '@app/contracts';
import { DeliveryQuota } from './delivery-quota';
import type { CreateHoldMailDto, UpdateHoldMailDto } from './dto/hold-mail.dto';
import { RequestEvents } from './request-events';
import { confirmationNumberPattern } from './confirmation-number';

export const HOLD_MAIL_PREFIX = 'HM';
const HOLD_MAIL_NUMBER = confirmationNumberPattern(HOLD_MAIL_PREFIX);
/** More than anyone books; the list of a user's holds is read whole to find a retry. */
const MAX_HOLDS_READ = 500;
/** A day claim whose hold is missing this long after it was made was left by a crash: it may be taken over. */
const ORPHAN_CLAIM_MS = 30_000;
/** How often one day's claim is retried while stale claims are cleared from under it. */
const MAX_DAY_ATTEMPTS = 5;

export interface HoldMailView {
  confirmationNumber: string;
  addressId: string;
  startDate: string;
  endDate: string;
  delivery: string;
  status: string;
  /** holding the mail today */
  inForce: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * Hold Mail: the owner of a verified address asks the post office to keep its mail for 3–30 days.
 * One hold per address and owner on any day: each day held is a claim document with a unique `_id`
 * (`hold_mail:<userId>|<addressKey>|<date>`), so two bookings racing in two tracking processes
 * cannot both take the same day. Days are claimed in date order, so of two overlapping bookings the
 * one holding the earliest shared day wins and the other gets a 409.
 */
@Injectable()
export class HoldMailService {
  constructor(
    private readonly addresses: AddressesService,
    private readonly requests: DeliveryRequestsRepository,
    private readonly events: RequestEvents,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly quota: DeliveryQuota,
  ) {}

  /** Books a hold; the same hold sent again (a retry) answers the one booked; an overlapping one is a 409. */
  async create(userId: string, input: CreateHoldMailDto): Promise<HoldMailView> {
    const key = await this.addresses.verifiedKeyOf(userId, input.addressId);
    const now = this.clock.now();
    const problem = holdMailProblem(input.startDate, input.endDate, now);
    if (problem) throw new BadRequestException(problem);
    const holds = await this.activeHolds(userId, key, now);
    const same = holds.find(
      (h) => h.startDate === input.startDate && h.endDate === input.endDate && h.delivery === input.delivery,
    );
    if (same) return toHoldMailView(same, now);
    // Told before the quota counts; the day claims below decide when two bookings race.
    assertNoOverlap(holds, input);
    await this.quota.take(userId);
    const created: DeliveryRequest = {
      _id: this.ids.confirmationNumber(HOLD_MAIL_PREFIX),
      kind: DeliveryRequestKinds.HoldMail,
      userId,
      trackingNumber: '',
      status: HoldMailStatuses.Scheduled,
      addressId: input.addressId,
      addressKey: key,
      startDate: input.startDate,
      endDate: input.endDate,
      delivery: input.delivery,
      createdAt: now,
      updatedAt: now,
      outbox: [],
    };
    created.outbox = toOutboxEntries([this.events.create(HoldMailRequestedV1, key, dataOf(created))]);
    const taken = await this.claimDays(created, daysOf(input.startDate, input.endDate), now);
    if (!(await this.requests.insert(created))) {
      await this.releaseDays(created, taken);
      throw new ConflictException('could not book the hold; try again');
    }
    await this.requests.flush(created._id);
    return toHoldMailView(created, now);
  }

  async list(userId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<HoldMailView>> {
    const now = this.clock.now();
    return this.requests.page(userId, DeliveryRequestKinds.HoldMail, limit, cursor, (r) => toHoldMailView(r, now));
  }

  async get(userId: string, confirmationNumber: string): Promise<HoldMailView> {
    return toHoldMailView(await this.owned(userId, confirmationNumber), this.clock.now());
  }

  async modify(userId: string, confirmationNumber: string, changes: UpdateHoldMailDto): Promise<HoldMailView> {
    const now = this.clock.now();
    const current = await this.owned(userId, confirmationNumber);
    assertChangeable(current, now);
    const next: DeliveryRequest = {
      ...current,
      startDate: changes.startDate ?? current.startDate,
      endDate: changes.endDate ?? current.endDate,
      delivery: changes.delivery ?? current.delivery,
      updatedAt: now,
    };
    const same =
      next.startDate === current.startDate && next.endDate === current.endDate && next.delivery === current.delivery;
    if (same) return toHoldMailView(current, now);
    const problem = holdMailProblem(next.startDate ?? '', next.endDate ?? '', now);
    if (problem) throw new BadRequestException(problem);
    const others = (await this.activeHolds(userId, current.addressKey ?? '', now)).filter((h) => h._id !== current._id);
    assertNoOverlap(others, { startDate: next.startDate ?? '', endDate: next.endDate ?? '' });
    await this.quota.take(userId);
    const before = daysOf(current.startDate ?? '', current.endDate ?? '');
    const after = daysOf(next.startDate ?? '', next.endDate ?? '');
    // The new days are claimed first; the days given up are released once the change is written.
    const taken = await this.claimDays(
      current,
      after.filter((d) => !before.includes(d)),
      now,
    );
    const event = this.events.create(HoldMailChangedV1, current.addressKey ?? '', dataOf(next));
    const ok = await this.requests.change(
      { _id: current._id, status: HoldMailStatuses.Scheduled, updatedAt: current.updatedAt },
      { startDate: next.startDate, endDate: next.endDate, delivery: next.delivery, updatedAt: now },
      [event],
    );
    if (!ok) {
      await this.releaseDays(current, taken);
      throw new ConflictException('the hold changed meanwhile; try again');
    }
    await this.releaseDays(
      current,
      before.filter((d) => !after.includes(d)),
    );
    await this.requests.flush(confirmationNumber);
    return toHoldMailView(next, now);
  }

  /** Cancels a hold before it starts; cancelling one already cancelled answers the same (a retry). */
  async cancel(userId: string, confirmationNumber: string): Promise<HoldMailView> {
    const now = this.clock.now();
    const current = await this.owned(userId, confirmationNumber);
    if (current.status === HoldMailStatuses.Cancelled) return toHoldMailView(current, now);
    assertChangeable(current, now);
    await this.quota.take(userId);
    const event = this.events.create(HoldMailCancelledV1, current.addressKey ?? '', dataOf(current));
    const ok = await this.requests.change(
      { _id: current._id, status: HoldMailStatuses.Scheduled },
      { status: HoldMailStatuses.Cancelled, updatedAt: now },
      [event],
    );
    if (!ok) throw new ConflictException('the hold changed meanwhile; try again');
    // Left behind by a crash here, the claims are stale (their hold is cancelled) and get taken over.
    await this.releaseDays(current, daysOf(current.startDate ?? '', current.endDate ?? ''));
    await this.requests.flush(confirmationNumber);
    return toHoldMailView({ ...current, status: HoldMailStatuses.Cancelled, updatedAt: now }, now);
  }

  /** The holds of a user in force today, by address key (for "incoming"). */
  async inForceByKey(userId: string): Promise<Map<string, DeliveryRequest>> {
    const now = this.clock.now();
    const rows = await this.requests.list(userId, DeliveryRequestKinds.HoldMail, MAX_HOLDS_READ);
    const byKey = new Map<string, DeliveryRequest>();
    for (const r of rows) {
      if (r.addressKey && holdMailInForce(r.status, r.startDate ?? '', r.endDate ?? '', now))
        byKey.set(r.addressKey, r);
    }
    return byKey;
  }

  private async activeHolds(userId: string, key: string, now: Date): Promise<DeliveryRequest[]> {
    const rows = await this.requests.list(userId, DeliveryRequestKinds.HoldMail, MAX_HOLDS_READ);
    return rows.filter(
      (r) => r.addressKey === key && r.status === HoldMailStatuses.Scheduled && (r.endDate ?? '') >= centralDate(now),
    );
  }

  /**
   * Claims `dates` for `hold`; returns the days it took. A day held by another live hold (scheduled,
   * still covering it) is a 409 naming that hold, after giving back the days taken here. A claim
   * whose hold was cancelled or moved, or is missing after ORPHAN_CLAIM_MS (a crash between claim
   * and insert), is stale and taken over.
   */
  private async claimDays(hold: DeliveryRequest, dates: string[], now: Date): Promise<string[]> {
    const taken: string[] = [];
    for (const date of dates) {
      const id = dayClaimId(hold, date);
      for (let attempt = 0; ; attempt++) {
        if (await this.requests.claim(DeliveryRequestKinds.HoldMail, id, hold._id, now)) {
          taken.push(date);
          break;
        }
        const claim = await this.requests.findClaim(DeliveryRequestKinds.HoldMail, id);
        if (claim?.requestId === hold._id) break;
        const owner = claim ? await this.requests.findById(claim.requestId) : null;
        const live = !claim
          ? false
          : owner
            ? owner.status === HoldMailStatuses.Scheduled &&
              (owner.startDate ?? '') <= date &&
              date <= (owner.endDate ?? '')
            : now.getTime() - new Date(claim.createdAt).getTime() < ORPHAN_CLAIM_MS;
        if (!live && attempt < MAX_DAY_ATTEMPTS) {
          // Released meanwhile, or stale: clear it (only if still that claim) and try the day again.
          if (claim) await this.requests.release(DeliveryRequestKinds.HoldMail, id, claim.requestId);
          continue;
        }
        await this.releaseDays(hold, taken);
        throw new ConflictException(
          owner && live
            ? `Hold Mail ${owner._id} already holds this address from ${owner.startDate} to ${owner.endDate}: change or cancel it`
            : 'another hold of this address is being booked right now; try again',
        );
      }
    }
    return taken;
  }

  /** Gives back the days `hold` claimed (only while it still holds them). */
  private async releaseDays(hold: DeliveryRequest, dates: string[]): Promise<void> {
    for (const date of dates)
      await this.requests.release(DeliveryRequestKinds.HoldMail, dayClaimId(hold, date), hold._id);
  }

  private async owned(userId: string, confirmationNumber: string): Promise<DeliveryRequest> {
    if (!HOLD_MAIL_NUMBER.test(confirmationNumber)) {
      throw new BadRequestException('confirmationNumber is malformed (HM and 10 letters or digits)');
    }
    const request = await this.requests.findById(confirmationNumber);
    if (!request || request.kind !== DeliveryRequestKinds.HoldMail || request.userId !== userId) {
      throw new NotFoundException(`Hold Mail ${confirmationNumber} not found`);
    }
    return request;
  }
}

function assertNoOverlap(holds: DeliveryRequest[], range: { startDate: string; endDate: string }): void {
  const clash = holds.find((h) => rangesOverlap({ startDate: h.startDate ?? '', endDate: h.endDate ?? '' }, range));
  if (clash) {
    throw new ConflictException(
      `Hold Mail ${clash._id} already holds this address from ${clash.startDate} to ${clash.endDate}: change or cancel it`,
    );
  }
}

/** The claim of one day of one owner's address. */
function dayClaimId(hold: DeliveryRequest, date: string): string {
  return `${hold.userId}|${hold.addressKey ?? ''}|${date}`;
}

/** Every day from `startDate` to `endDate`, both included (at most the 30 a hold may last). */
function daysOf(startDate: string, endDate: string): string[] {
  const days: string[] = [];
  for (let day = startDate; day <= endDate && days.length <= 31; day = addDays(day, 1)) days.push(day);
  return days;
}

function assertChangeable(request: DeliveryRequest, now: Date): void {
  if (request.status !== HoldMailStatuses.Scheduled) {
    throw new ConflictException(`the hold is ${request.status} and cannot change`);
  }
  if (holdMailStarted(request.startDate ?? '', now)) {
    throw new ConflictException(`the hold started on ${request.startDate}: it can change only before it starts`);
  }
}

/** The address of a key `ZIP5|LINE1[|UNIT]` (tracking keeps the key, not the address book entry). */
function addressOfKey(key: string): HoldMailData['address'] {
  const [zip, line1, unit] = key.split('|');
  return { line1: line1 ?? '', ...(unit ? { line2: unit } : {}), zip: zip ?? '' };
}

function dataOf(request: DeliveryRequest): HoldMailData {
  return {
    confirmationNumber: request._id,
    userId: request.userId,
    addressKey: request.addressKey ?? '',
    address: addressOfKey(request.addressKey ?? ''),
    startDate: request.startDate ?? '',
    endDate: request.endDate ?? '',
    delivery: request.delivery ?? 'deliver_all_on_end',
  };
}

export function toHoldMailView(request: DeliveryRequest, now: Date): HoldMailView {
  return {
    confirmationNumber: request._id,
    addressId: request.addressId ?? '',
    startDate: request.startDate ?? '',
    endDate: request.endDate ?? '',
    delivery: request.delivery ?? 'deliver_all_on_end',
    status: request.status,
    inForce: holdMailInForce(request.status, request.startDate ?? '', request.endDate ?? '', now),
    createdAt: new Date(request.createdAt).toISOString(),
    updatedAt: new Date(request.updatedAt).toISOString(),
  };
}
