import { IdGenerator } from '@app/platform';
import { ConflictException } from '@nestjs/common';
import { DeliveryRequestKinds, type DeliveryRequest, type ParcelClaim } from './delivery-request.schema';
import type { DeliveryRequestsRepository } from './delivery-requests.repository';
import { RequestClaims, type ClaimPolicy } from './request-claims';

const TRACKING_NUMBER = '9212391234567812345670';
const KIND = DeliveryRequestKinds.Redelivery;
const now = new Date('2026-12-07T10:00:00Z');

/** The claims and requests of one parcel, in memory, as DeliveryRequestsRepository keeps them. */
class FakeRequests {
  readonly claims = new Map<string, ParcelClaim>();
  readonly requests = new Map<string, DeliveryRequest>();

  claim(kind: string, trackingNumber: string, requestId: string, at: Date): Promise<boolean> {
    const id = `${kind}:${trackingNumber}`;
    if (this.claims.has(id)) return Promise.resolve(false);
    this.claims.set(id, { _id: id, requestId, createdAt: at });
    return Promise.resolve(true);
  }

  findClaim(kind: string, trackingNumber: string): Promise<ParcelClaim | null> {
    return Promise.resolve(this.claims.get(`${kind}:${trackingNumber}`) ?? null);
  }

  findById(id: string): Promise<DeliveryRequest | null> {
    return Promise.resolve(this.requests.get(id) ?? null);
  }

  release(kind: string, trackingNumber: string, requestId: string): Promise<void> {
    const id = `${kind}:${trackingNumber}`;
    if (this.claims.get(id)?.requestId === requestId) this.claims.delete(id);
    return Promise.resolve();
  }

  held(requestId: string, createdAt: Date, request?: Partial<DeliveryRequest>): void {
    this.claims.set(`${KIND}:${TRACKING_NUMBER}`, { _id: `${KIND}:${TRACKING_NUMBER}`, requestId, createdAt });
    if (request) this.requests.set(requestId, stored(requestId, request));
  }
}

function stored(id: string, fields: Partial<DeliveryRequest>): DeliveryRequest {
  return {
    _id: id,
    kind: KIND,
    userId: 'u1',
    trackingNumber: TRACKING_NUMBER,
    status: 'scheduled',
    createdAt: now,
    updatedAt: now,
    outbox: [],
    ...fields,
  };
}

/** Confirmation numbers RD0, RD1, … in turn. */
class CountingIds extends IdGenerator {
  private next = 0;
  override confirmationNumber(prefix: string): string {
    return `${prefix}${this.next++}`;
  }
}

function setup() {
  const store = new FakeRequests();
  const claims = new RequestClaims(store as unknown as DeliveryRequestsRepository, new CountingIds());
  const recorded: string[] = [];
  const policy = (overrides: Partial<ClaimPolicy<string>> = {}): ClaimPolicy<string> => ({
    kind: KIND,
    prefix: 'RD',
    trackingNumber: TRACKING_NUMBER,
    now,
    record: (booked) => {
      recorded.push(booked._id);
      store.requests.set(booked._id, { ...booked, userId: 'u1', status: 'scheduled' });
      return Promise.resolve(`booked ${booked._id}`);
    },
    heldBy: (holder) => `held by ${holder._id}`,
    busy: 'busy',
    exhausted: 'exhausted',
    ...overrides,
  });
  return { store, claims, recorded, policy };
}

async function conflictOf(booking: Promise<unknown>): Promise<string> {
  const error: unknown = await booking.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConflictException);
  return (error as ConflictException).message;
}

describe('RequestClaims.book', () => {
  it('claims the parcel under a fresh number and records the request there', async () => {
    const { store, claims, recorded, policy } = setup();
    await expect(claims.book(policy())).resolves.toBe('booked RD0');
    expect(recorded).toEqual(['RD0']);
    expect(store.requests.get('RD0')).toMatchObject({
      kind: KIND,
      trackingNumber: TRACKING_NUMBER,
      createdAt: now,
      outbox: [],
    });
    expect(store.claims.get(`${KIND}:${TRACKING_NUMBER}`)?.requestId).toBe('RD0');
  });

  it('answers with the request that holds the claim', async () => {
    const { store, claims, recorded, policy } = setup();
    store.held('RDHELD', now, {});
    await expect(claims.book(policy())).resolves.toBe('held by RDHELD');
    expect(recorded).toEqual([]);
  });

  it('releases the claim of a request that is over and books again', async () => {
    const { store, claims, policy } = setup();
    store.held('RDOLD', now, { status: 'cancelled' });
    const booking = claims.book(policy({ heldBy: (holder) => (holder.status === 'cancelled' ? undefined : 'held') }));
    await expect(booking).resolves.toBe('booked RD1');
  });

  it('tries another number when recording under the claimed one fails', async () => {
    const { store, claims, policy } = setup();
    let tries = 0;
    const booking = claims.book(
      policy({
        record: (booked) => {
          // The first number's claim stays: the second attempt finds it with no request behind it.
          tries++;
          return Promise.resolve(tries === 1 ? undefined : `booked ${booked._id}`);
        },
        takeOverAfterMs: 0,
      }),
    );
    await expect(booking).resolves.toBe('booked RD2');
    expect(store.claims.get(`${KIND}:${TRACKING_NUMBER}`)?.requestId).toBe('RD2');
  });

  it('gives up with the exhausted conflict after five attempts', async () => {
    const { claims, policy } = setup();
    const tried: string[] = [];
    const booking = claims.book(
      policy({
        record: (booked) => {
          tried.push(booked._id);
          return Promise.resolve(undefined);
        },
        takeOverAfterMs: 0,
      }),
    );
    expect(await conflictOf(booking)).toBe('exhausted');
    // Claimed, then its left claim taken over, and so on: attempts 0, 2 and 4 claim.
    expect(tried).toEqual(['RD0', 'RD2', 'RD4']);
  });

  describe('a claim left without its request (a crash between claim and insert)', () => {
    it('is never taken over without takeOverAfterMs (intercepts)', async () => {
      const { store, claims, recorded, policy } = setup();
      store.held('ICCRASHED', new Date(now.getTime() - 24 * 3600_000));
      expect(await conflictOf(claims.book(policy()))).toBe('busy');
      expect(recorded).toEqual([]);
      expect(store.claims.get(`${KIND}:${TRACKING_NUMBER}`)?.requestId).toBe('ICCRASHED');
    });

    it('is busy while younger than takeOverAfterMs (redeliveries)', async () => {
      const { store, claims, recorded, policy } = setup();
      store.held('RDCRASHED', new Date(now.getTime() - 29_999));
      expect(await conflictOf(claims.book(policy({ takeOverAfterMs: 30_000 })))).toBe('busy');
      expect(recorded).toEqual([]);
    });

    it('is released and booked over once takeOverAfterMs has passed (redeliveries)', async () => {
      const { store, claims, recorded, policy } = setup();
      store.held('RDCRASHED', new Date(now.getTime() - 30_000));
      await expect(claims.book(policy({ takeOverAfterMs: 30_000 }))).resolves.toBe('booked RD1');
      expect(recorded).toEqual(['RD1']);
    });
  });
});
