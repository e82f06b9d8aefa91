import { IdGenerator } from '@app/platform';
import { ConflictException, Injectable } from '@nestjs/common';
import type { DeliveryRequest, DeliveryRequestKind } from './delivery-request.schema';
import { DeliveryRequestsRepository } from './delivery-requests.repository';

const MAX_CLAIM_ATTEMPTS = 5;

/** What every booked request starts with: its confirmation number, kind, parcel and times, and an empty outbox. */
export type BookedRequest = Pick<
  DeliveryRequest,
  '_id' | 'kind' | 'trackingNumber' | 'createdAt' | 'updatedAt' | 'outbox'
>;

/** How one kind of request is booked on a parcel (RequestClaims.book). */
export interface ClaimPolicy<T> {
  kind: DeliveryRequestKind;
  /** the confirmation number's prefix */
  prefix: string;
  trackingNumber: string;
  now: Date;
  /** Writes the request (`booked` and its own fields) under the number just claimed: its answer, or undefined to try another number. */
  record(booked: BookedRequest): Promise<T | undefined>;
  /**
   * The answer when `holder` holds the parcel's claim: a view of it, or a throw (a conflict).
   * Undefined when it is over: its claim is released and the booking tried again.
   */
  heldBy(holder: DeliveryRequest): T | undefined;
  /** A claim whose request is still missing this long after it was made was left by a crash: take it over. Never when unset. */
  takeOverAfterMs?: number;
  /** the 409 while another booking holds the claim and has not written its request yet */
  busy: string;
  /** the 409 when every attempt lost */
  exhausted: string;
}

/**
 * Books one request of a kind per parcel: claims `<kind>:<trackingNumber>` under a fresh
 * confirmation number, so two bookings at once cannot both succeed, and retries a lost claim.
 */
@Injectable()
export class RequestClaims {
  constructor(
    private readonly requests: DeliveryRequestsRepository,
    private readonly ids: IdGenerator,
  ) {}

  async book<T>(policy: ClaimPolicy<T>): Promise<T> {
    const { kind, trackingNumber, now } = policy;
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const confirmationNumber = this.ids.confirmationNumber(policy.prefix);
      if (await this.requests.claim(kind, trackingNumber, confirmationNumber, now)) {
        const booked = { _id: confirmationNumber, kind, trackingNumber, createdAt: now, updatedAt: now, outbox: [] };
        const answer = await policy.record(booked);
        if (answer !== undefined) return answer;
        continue;
      }
      const claim = await this.requests.findClaim(kind, trackingNumber);
      // Released meanwhile: claim again.
      if (!claim) continue;
      const holder = await this.requests.findById(claim.requestId);
      if (holder) {
        const answer = policy.heldBy(holder);
        if (answer !== undefined) return answer;
      } else if (
        policy.takeOverAfterMs === undefined ||
        now.getTime() - new Date(claim.createdAt).getTime() < policy.takeOverAfterMs
      ) {
        throw new ConflictException(policy.busy);
      }
      await this.requests.release(kind, trackingNumber, claim.requestId);
    }
    throw new ConflictException(policy.exhausted);
  }
}
