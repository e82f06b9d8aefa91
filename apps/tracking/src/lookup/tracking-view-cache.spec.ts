import { computeImpbCheckDigit } from '@app/contracts';
import type { ParcelState } from '../parcels/parcel-state';
import type { ParcelRepository } from '../parcels/parcel.repository';
import type { AddressesService } from '../addresses/addresses.service';
import { LOOKUP_CACHE_TTL_MS, TrackingViewCache } from './tracking-view-cache';
import { TrackingService } from './tracking.service';

const impb = (body: string) => `${body}${computeImpbCheckDigit(body)}`;
const KNOWN = impb('920559000000000000001');
const UNKNOWN = impb('920559000000000000002');

function parcel(id: string, statusCode: ParcelState['statusCode'] = 'processed'): ParcelState {
  return {
    _id: id,
    known: true,
    status: 'in_transit',
    statusCode,
    events: [
      {
        eventId: 'e1',
        code: 'processed',
        occurredAt: '2025-01-01T10:00:00.000Z',
        facility: { name: 'DENVER P&DC', city: 'DENVER', state: 'CO', zip: '80202' },
      },
    ],
    appliedEventIds: ['e1'],
    watchers: [],
    outbox: [],
    version: 1,
  } as unknown as ParcelState;
}

/** A repository whose reads are counted and can be held open. */
class FakeParcels {
  stored = new Map<string, ParcelState>([[KNOWN, parcel(KNOWN)]]);
  reads: string[] = [];
  gate: Promise<void> = Promise.resolve();

  async findById(id: string): Promise<ParcelState | null> {
    this.reads.push(id);
    await this.gate;
    return this.stored.get(id) ?? null;
  }

  findMany(): never {
    throw new Error('lookups must read by exact _id');
  }
}

class FakeClock {
  ms = Date.parse('2025-01-01T12:00:00Z');
  now(): Date {
    return new Date(this.ms);
  }
}

describe('TrackingViewCache', () => {
  let parcels: FakeParcels;
  let clock: FakeClock;
  let cache: TrackingViewCache;

  beforeEach(() => {
    parcels = new FakeParcels();
    clock = new FakeClock();
    cache = new TrackingViewCache(parcels as unknown as ParcelRepository, clock);
  });

  it('answers a repeated lookup within the TTL from memory', async () => {
    const first = await cache.get(KNOWN);
    clock.ms += LOOKUP_CACHE_TTL_MS - 1;
    const second = await cache.get(KNOWN);
    expect(second).toEqual(first);
    expect(first?.trackingNumber).toBe(KNOWN);
    expect(parcels.reads).toEqual([KNOWN]);
  });

  it('reads the parcel again once the TTL has passed, so a change shows within a second', async () => {
    await cache.get(KNOWN);
    parcels.stored.set(KNOWN, parcel(KNOWN, 'out_for_delivery'));
    clock.ms += LOOKUP_CACHE_TTL_MS + 1;
    const view = await cache.get(KNOWN);
    expect(view?.statusCategory).toBe('in_transit');
    expect(view?.status).toMatch(/out for delivery/i);
    expect(parcels.reads).toEqual([KNOWN, KNOWN]);
  });

  it('shares one read between concurrent lookups of the same number', async () => {
    let release!: () => void;
    parcels.gate = new Promise((resolve) => (release = resolve));
    const pending = Promise.all([cache.get(KNOWN), cache.get(KNOWN), cache.get(KNOWN)]);
    release();
    const views = await pending;
    expect(views.every((v) => v?.trackingNumber === KNOWN)).toBe(true);
    expect(parcels.reads).toEqual([KNOWN]);
  });

  it('caches an unknown number briefly too', async () => {
    expect(await cache.get(UNKNOWN)).toBeNull();
    expect(await cache.get(UNKNOWN)).toBeNull();
    expect(parcels.reads).toEqual([UNKNOWN]);
  });

  it('reads again after an invalidation, and a read in flight during it still answers', async () => {
    let release!: () => void;
    parcels.gate = new Promise((resolve) => (release = resolve));
    const inFlight = cache.get(KNOWN);
    cache.invalidate([KNOWN]);
    release();
    expect((await inFlight)?.trackingNumber).toBe(KNOWN);
    await cache.get(KNOWN);
    expect(parcels.reads).toEqual([KNOWN, KNOWN]);
  });

  it('does not keep a failed read', async () => {
    const failing = new TrackingViewCache(
      {
        findById: jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce(parcel(KNOWN)),
      } as unknown as ParcelRepository,
      clock,
    );
    await expect(failing.get(KNOWN)).rejects.toThrow('down');
    expect((await failing.get(KNOWN))?.trackingNumber).toBe(KNOWN);
  });
});

describe('TrackingService.lookupMany', () => {
  it('reads each number by exact _id (never $in) and reports invalid and unknown numbers', async () => {
    const parcels = new FakeParcels();
    const cache = new TrackingViewCache(parcels as unknown as ParcelRepository, new FakeClock());
    const service = new TrackingService(parcels as unknown as ParcelRepository, {} as AddressesService, cache);
    const { results } = await service.lookupMany(`${KNOWN}, 123 ,${UNKNOWN},${KNOWN}`);
    expect(results.map((r) => [r.trackingNumber, r.found])).toEqual([
      [KNOWN, true],
      ['123', false],
      [UNKNOWN, false],
      [KNOWN, true],
    ]);
    expect(results[1]).toHaveProperty('error');
    expect(parcels.reads.sort()).toEqual([KNOWN, UNKNOWN].sort());
  });
});
