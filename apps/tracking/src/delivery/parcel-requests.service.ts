import { DeliveryInstructionsSetV1, InterceptRequestedV1, type PostalAddress } from '@app/contracts';
import { toOutboxEntries } from '@app/messaging';
import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { AddressesService } from '../addresses/addresses.service';
import type { ParcelState } from '../parcels/parcel-state';
import { DeliveryRequestKinds, type DeliveryRequest } from './delivery-request.schema';
import { DeliveryRequestsRepository } from './delivery-requests.repository';
import { instructionsProblem, interceptOutcome, interceptProblem, type InterceptOutcome } from './delivery-rules';
import type { DeliveryInstructionsDto, InterceptDto } from './dto/intercept.dto';
import { ParcelAccessService } from './parcel-access.service';
import { DeliveryQuota } from './delivery-quota';
import { RequestEvents } from './request-events';
import { Clock } from '@app/platform';
import { RequestClaims } from './request-claims';

export const INTERCEPT_PREFIX = 'IC';

export interface InterceptView extends InterceptOutcome {
  interceptId: string;
  trackingNumber: string;
  action: string;
  address?: PostalAddress;
  requestedAt: string;
}

export interface InstructionsView {
  trackingNumber?: string;
  addressId?: string;
  where: string;
  instructions?: string;
  /** `parcel`: the parcel's own; `address`: the default of the verified address it goes to */
  scope: 'parcel' | 'address';
  updatedAt: string;
}

export function instructionsId(trackingNumber: string): string {
  return `instructions:${trackingNumber}`;
}

export function addressInstructionsId(userId: string, addressId: string): string {
  return `address-instructions:${userId}:${addressId}`;
}

/** Intercepts (the shipper's) and delivery instructions (the recipient's, per parcel or per verified address). */
@Injectable()
export class ParcelRequestsService {
  constructor(
    private readonly access: ParcelAccessService,
    private readonly addresses: AddressesService,
    private readonly requests: DeliveryRequestsRepository,
    private readonly events: RequestEvents,
    private readonly clock: Clock,
    private readonly claims: RequestClaims,
    private readonly quota: DeliveryQuota,
  ) {}

  /**
   * Asks the postal service to stop a parcel on its way: return it, redirect it, or hold it at the
   * post office. One per parcel: the same request again answers the one made; another is a 409.
   */
  async intercept(userId: string, rawNumber: string, input: InterceptDto): Promise<InterceptView> {
    const { parcel } = await this.access.require(userId, rawNumber, 'shipper', 'intercept it');
    if (input.action === 'redirect' && !input.address)
      throw new BadRequestException('a redirect needs the new address');
    if (input.action !== 'redirect' && input.address) {
      throw new BadRequestException('address is only for a redirect');
    }
    const address = input.address ? { ...input.address } : undefined;
    const existing = await this.interceptOf(parcel._id);
    if (existing) return this.sameInterceptOrConflict(existing, input.action, address, parcel);
    const problem = interceptProblem(parcel);
    if (problem) throw new ConflictException(problem);
    await this.quota.take(userId);
    const now = this.clock.now();
    // An intercept's claim is never taken over: a booking that crashed before writing its request blocks the parcel.
    return this.claims.book<InterceptView>({
      kind: DeliveryRequestKinds.Intercept,
      prefix: INTERCEPT_PREFIX,
      trackingNumber: parcel._id,
      now,
      record: async (booked) => {
        const interceptId = booked._id;
        const request: DeliveryRequest = {
          ...booked,
          userId,
          status: 'requested',
          action: input.action,
          ...(address ? { address } : {}),
        };
        request.outbox = toOutboxEntries([
          this.events.create(InterceptRequestedV1, parcel._id, {
            interceptId,
            trackingNumber: parcel._id,
            userId,
            action: input.action,
            ...(address ? { address } : {}),
          }),
        ]);
        if (!(await this.requests.insert(request))) return undefined;
        await this.requests.flush(interceptId);
        return toInterceptView(request, parcel);
      },
      heldBy: (winner) => this.sameInterceptOrConflict(winner, input.action, address, parcel),
      busy: 'another intercept of this parcel is being asked for right now; try again',
      exhausted: 'the intercept could not be recorded; try again',
    });
  }

  /** The parcel's intercept, if one was asked for. */
  async interceptOf(trackingNumber: string): Promise<DeliveryRequest | undefined> {
    const claim = await this.requests.findClaim(DeliveryRequestKinds.Intercept, trackingNumber);
    if (!claim) return undefined;
    return (await this.requests.findById(claim.requestId)) ?? undefined;
  }

  /** Sets the parcel's own delivery instructions (recipient, before it is out for delivery). */
  async setInstructions(userId: string, rawNumber: string, input: DeliveryInstructionsDto): Promise<InstructionsView> {
    const { parcel } = await this.access.require(userId, rawNumber, 'recipient', 'give delivery instructions');
    const problem = instructionsProblem(parcel);
    if (problem) throw new ConflictException(problem);
    const { where, instructions } = checkedInstructions(input);
    const id = instructionsId(parcel._id);
    const current = await this.requests.findById(id);
    const now = this.clock.now();
    if (current && current.where === where && current.instructions === instructions) return toInstructionsView(current);
    const event = this.events.create(DeliveryInstructionsSetV1, parcel._id, {
      scope: 'parcel',
      trackingNumber: parcel._id,
      userId,
      where,
      ...(instructions ? { instructions } : {}),
    });
    const next: DeliveryRequest = {
      _id: id,
      kind: DeliveryRequestKinds.Instructions,
      userId,
      trackingNumber: parcel._id,
      status: 'set',
      where,
      ...(instructions ? { instructions } : {}),
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
      outbox: [],
    };
    await this.write(current, next, event);
    return toInstructionsView(next);
  }

  /** Sets the default instructions of one of the caller's verified addresses. */
  async setAddressInstructions(
    userId: string,
    addressId: string,
    input: DeliveryInstructionsDto,
  ): Promise<InstructionsView> {
    const key = await this.addresses.verifiedKeyOf(userId, addressId);
    const { where, instructions } = checkedInstructions(input);
    const id = addressInstructionsId(userId, addressId);
    const current = await this.requests.findById(id);
    const now = this.clock.now();
    if (current && current.where === where && current.instructions === instructions) return toInstructionsView(current);
    const event = this.events.create(DeliveryInstructionsSetV1, key, {
      scope: 'address',
      addressKey: key,
      userId,
      where,
      ...(instructions ? { instructions } : {}),
    });
    const next: DeliveryRequest = {
      _id: id,
      kind: DeliveryRequestKinds.AddressInstructions,
      userId,
      trackingNumber: '',
      status: 'set',
      addressId,
      addressKey: key,
      where,
      ...(instructions ? { instructions } : {}),
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
      outbox: [],
    };
    await this.write(current, next, event);
    return toInstructionsView(next);
  }

  /** The instructions that apply to a parcel for its recipient: its own, else the default of the address. */
  async instructionsFor(userId: string, parcel: ParcelState): Promise<InstructionsView | undefined> {
    const own = await this.requests.findById(instructionsId(parcel._id));
    if (own) return toInstructionsView(own);
    const addresses = (await this.addresses.verifiedAddressesOf(userId)).filter((a) => a.key === parcel.destinationKey);
    for (const address of addresses) {
      const fallback = await this.requests.findById(addressInstructionsId(userId, address.addressId));
      if (fallback) return toInstructionsView(fallback);
    }
    return undefined;
  }

  private async write(
    current: DeliveryRequest | null,
    next: DeliveryRequest,
    event: ReturnType<RequestEvents['create']>,
  ): Promise<void> {
    await this.quota.take(next.userId);
    if (!current) {
      next.outbox = toOutboxEntries([event]);
      if (!(await this.requests.insert(next)))
        throw new ConflictException('the instructions changed meanwhile; try again');
    } else {
      const updated = await this.requests.change(
        { _id: next._id, updatedAt: current.updatedAt },
        { where: next.where, instructions: next.instructions, updatedAt: next.updatedAt },
        [event],
      );
      if (!updated) throw new ConflictException('the instructions changed meanwhile; try again');
    }
    await this.requests.flush(next._id);
  }

  private sameInterceptOrConflict(
    existing: DeliveryRequest,
    action: string,
    address: PostalAddress | undefined,
    parcel: ParcelState,
  ): InterceptView {
    if (existing.action === action && JSON.stringify(existing.address ?? null) === JSON.stringify(address ?? null)) {
      return toInterceptView(existing, parcel);
    }
    throw new ConflictException(`intercept ${existing._id} (${existing.action}) was already asked for this parcel`);
  }
}

function checkedInstructions(input: DeliveryInstructionsDto): {
  where: DeliveryInstructionsDto['where'];
  instructions?: string;
} {
  const instructions = input.instructions?.trim() || undefined;
  if (input.where === 'other' && !instructions) {
    throw new BadRequestException('where "other" needs instructions saying where to leave the parcel');
  }
  return { where: input.where, ...(instructions ? { instructions } : {}) };
}

export function toInterceptView(request: DeliveryRequest, parcel: ParcelState): InterceptView {
  const requestedAt = new Date(request.createdAt).toISOString();
  const action = request.action ?? 'return_to_sender';
  return {
    interceptId: request._id,
    trackingNumber: request.trackingNumber,
    action,
    ...(request.address ? { address: request.address } : {}),
    requestedAt,
    ...interceptOutcome({ action, requestedAt, address: request.address }, parcel.events),
  };
}

function toInstructionsView(request: DeliveryRequest): InstructionsView {
  return {
    ...(request.trackingNumber ? { trackingNumber: request.trackingNumber } : {}),
    ...(request.addressId ? { addressId: request.addressId } : {}),
    where: request.where ?? 'front_door',
    ...(request.instructions ? { instructions: request.instructions } : {}),
    scope: request.kind === DeliveryRequestKinds.AddressInstructions ? 'address' : 'parcel',
    updatedAt: new Date(request.updatedAt).toISOString(),
  };
}
