import {
  HoldMailCancelledV1,
  HoldMailChangedV1,
  HoldMailRequestedV1,
  HoldMailStatuses,
  type HoldMailData,
} from '@app/contracts';
import { KeyedLock, OutboxRelay, toOutboxEntries, withOutbox } from '@app/messaging';
import { DEFAULT_PAGE_SIZE, encodeTimeCursor, pageOf, type Page, Clock, IdGenerator } from '@app/platform';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AddressesService } from '../addresses/addresses.service';
import { DeliveryRequestKinds, type DeliveryRequest } from './delivery-request.schema';
import { DeliveryRequestsRepository } from './delivery-requests.repository';
import { holdMailInForce, holdMailProblem, holdMailStarted, rangesOverlap } from './delivery-rules';
import { centralDate } from '@app/contracts';
import type { CreateHoldMailDto, UpdateHoldMailDto } from './dto/hold-mail.dto';
import { RequestEvents } from './request-events';

export const HOLD_MAIL_PREFIX = 'HM';
const HOLD_MAIL_NUMBER = /^HM[A-Z0-9]{10}$/;
/** More than anyone books; the list of a user's holds is read whole to check overlaps. */
const MAX_HOLDS_READ = 500;

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

/** Hold Mail: the owner of a verified address asks the post office to keep its mail for 3–30 days. */
@Injectable()
export class HoldMailService {
  /** A user's holds are checked for overlaps and written under this lock (one writer per user here). */
  private readonly lock = new KeyedLock();

  constructor(
    private readonly addresses: AddressesService,
    private readonly requests: DeliveryRequestsRepository,
    private readonly events: RequestEvents,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Books a hold; the same hold sent again (a retry) answers the one booked; an overlapping one is a 409. */
  async create(userId: string, input: CreateHoldMailDto): Promise<HoldMailView> {
    const key = await this.verifiedKey(userId, input.addressId);
    const now = this.clock.now();
    const problem = holdMailProblem(input.startDate, input.endDate, now);
    if (problem) throw new BadRequestException(problem);
    const created = await this.lock.runExclusive([userId], async () => {
      const holds = await this.activeHolds(userId, key, now);
      const same = holds.find(
        (h) => h.startDate === input.startDate && h.endDate === input.endDate && h.delivery === input.delivery,
      );
      if (same) return same;
      const clash = holds.find((h) => rangesOverlap(h as Required<DeliveryRequest>, input));
      if (clash) {
        throw new ConflictException(
          `Hold Mail ${clash._id} already holds this address from ${clash.startDate} to ${clash.endDate}: change or cancel it`,
        );
      }
      const request: DeliveryRequest = {
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
      request.outbox = toOutboxEntries([this.events.create(HoldMailRequestedV1, key, dataOf(request))]);
      if (!(await this.requests.insert(request))) throw new ConflictException('could not book the hold; try again');
      return request;
    });
    await this.relay.flush(this.requests.model, [created._id]);
    return toHoldMailView(created, now);
  }

  async list(userId: string, limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<HoldMailView>> {
    const now = this.clock.now();
    const rows = await this.requests.list(userId, DeliveryRequestKinds.HoldMail, limit, cursor);
    return pageOf(
      rows,
      limit,
      (last) => encodeTimeCursor({ createdAt: new Date(last.createdAt), id: last._id }),
      (r) => toHoldMailView(r, now),
    );
  }

  async get(userId: string, confirmationNumber: string): Promise<HoldMailView> {
    return toHoldMailView(await this.owned(userId, confirmationNumber), this.clock.now());
  }

  async modify(userId: string, confirmationNumber: string, changes: UpdateHoldMailDto): Promise<HoldMailView> {
    const now = this.clock.now();
    const next = await this.lock.runExclusive([userId], async () => {
      const current = await this.owned(userId, confirmationNumber);
      assertChangeable(current, now);
      const updated: DeliveryRequest = {
        ...current,
        startDate: changes.startDate ?? current.startDate,
        endDate: changes.endDate ?? current.endDate,
        delivery: changes.delivery ?? current.delivery,
        updatedAt: now,
      };
      const same =
        updated.startDate === current.startDate &&
        updated.endDate === current.endDate &&
        updated.delivery === current.delivery;
      if (same) return current;
      const problem = holdMailProblem(updated.startDate ?? '', updated.endDate ?? '', now);
      if (problem) throw new BadRequestException(problem);
      const others = (await this.activeHolds(userId, current.addressKey ?? '', now)).filter(
        (h) => h._id !== current._id,
      );
      const clash = others.find((h) =>
        rangesOverlap(h as Required<DeliveryRequest>, updated as Required<DeliveryRequest>),
      );
      if (clash)
        throw new ConflictException(
          `Hold Mail ${clash._id} already holds this address from ${clash.startDate} to ${clash.endDate}`,
        );
      const event = this.events.create(HoldMailChangedV1, current.addressKey ?? '', dataOf(updated));
      const ok = await this.requests.update(
        { _id: current._id, status: HoldMailStatuses.Scheduled, updatedAt: current.updatedAt },
        withOutbox(
          {
            $set: {
              startDate: updated.startDate,
              endDate: updated.endDate,
              delivery: updated.delivery,
              updatedAt: now,
            },
          },
          [event],
        ),
      );
      if (!ok) throw new ConflictException('the hold changed meanwhile; try again');
      return updated;
    });
    await this.relay.flush(this.requests.model, [confirmationNumber]);
    return toHoldMailView(next, now);
  }

  /** Cancels a hold before it starts; cancelling one already cancelled answers the same (a retry). */
  async cancel(userId: string, confirmationNumber: string): Promise<HoldMailView> {
    const now = this.clock.now();
    const current = await this.owned(userId, confirmationNumber);
    if (current.status === HoldMailStatuses.Cancelled) return toHoldMailView(current, now);
    assertChangeable(current, now);
    const event = this.events.create(HoldMailCancelledV1, current.addressKey ?? '', dataOf(current));
    const ok = await this.requests.update(
      { _id: current._id, status: HoldMailStatuses.Scheduled },
      withOutbox({ $set: { status: HoldMailStatuses.Cancelled, updatedAt: now } }, [event]),
    );
    if (!ok) throw new ConflictException('the hold changed meanwhile; try again');
    await this.relay.flush(this.requests.model, [confirmationNumber]);
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

  private async verifiedKey(userId: string, addressId: string): Promise<string> {
    const key = (await this.addresses.verifiedAddressesOf(userId)).find((a) => a.addressId === addressId)?.key;
    if (!key) throw new NotFoundException(`no verified address ${addressId.slice(0, 100)} in your address book`);
    return key;
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
