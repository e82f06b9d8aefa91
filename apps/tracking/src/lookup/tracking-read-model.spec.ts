import { computeImpbCheckDigit } from '@app/contracts';
import type { ParcelState } from '../parcels/parcel-state';
import type { ParcelRepository } from '../parcels/parcel.repository';
import type { AddressesService } from '../addresses/addresses.service';
import { RECENT_WRITES_MS, REDIS_BACKOFF_MS, TrackingReadModel } from './tracking-read-model';
import type { StoredView, TrackingViewStore } from './tracking-view-store';
import { TrackingService } from './tracking.service';
import type { HoldMailService } from '../delivery/hold-mail.service';

const impb = (body: string) => `${body}${computeImpbCheckDigit(body)}`;
const KNOWN = impb('920559000000000000001');
const UNKNOWN = impb('920559000000000000002');

function parcel(id: string, statusCode: ParcelState['statusCode'] = 'processed', version = 1): ParcelState {
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
    version,
  } as unknown as ParcelState;
}

/** The public view of the fixture parcel at `processed` (what Redis held before the lost write). */
function storedStatus(id: string) {
  return { trackingNumber: id, status: 'Processed', statusCategory: 'in_transit', events: [] };
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

/** The Redis side in memory (its compare and MGET are tested against real Redis in test/). */
class FakeViewStore {
  entries = new Map<string, StoredView>();
  down = false;
  gets: string[][] = [];
  puts: string[] = [];
  drops: string[] = [];
  reconnected: () => void = () => undefined;

  onReconnect(listener: () => void): void {
    this.reconnected = listener;
  }

  async getMany(numbers: readonly string[]): Promise<(StoredView | undefined)[]> {
    await Promise.resolve();
    if (this.down) throw new Error('Connection is closed.');
    this.gets.push([...numbers]);
    return numbers.map((n) => this.entries.get(n));
  }

  async putMany(entries: readonly { trackingNumber: string; entry: StoredView }[]): Promise<void> {
    await Promise.resolve();
    if (this.down) throw new Error('Connection is closed.');
    for (const { trackingNumber, entry } of entries) {
      this.puts.push(trackingNumber);
      const current = this.entries.get(trackingNumber);
      if (!current || current.version <= entry.version) this.entries.set(trackingNumber, entry);
    }
  }

  async drop(numbers: readonly string[]): Promise<void> {
    await Promise.resolve();
    if (this.down) throw new Error('Connection is closed.');
    for (const n of numbers) {
      this.drops.push(n);
      this.entries.delete(n);
    }
  }
}

class FakeClock {
  ms = Date.parse('2025-01-01T12:00:00Z');
  now(): Date {
    return new Date(this.ms);
  }
}

describe('TrackingReadModel', () => {
  let parcels: FakeParcels;
  let views: FakeViewStore;
  let clock: FakeClock;
  let model: TrackingReadModel;

  beforeEach(() => {
    parcels = new FakeParcels();
    views = new FakeViewStore();
    clock = new FakeClock();
    model = new TrackingReadModel(parcels as unknown as ParcelRepository, views as unknown as TrackingViewStore, clock);
  });

  afterEach(() => model.onModuleDestroy());

  it('rebuilds a miss from the store once, writes it to Redis and answers later lookups without the store', async () => {
    const first = await model.get(KNOWN);
    const second = await model.get(KNOWN);
    expect(first?.trackingNumber).toBe(KNOWN);
    expect(second).toEqual(first);
    expect(parcels.reads).toEqual([KNOWN]);
    expect(views.entries.get(KNOWN)).toEqual({ version: 1, view: first });
  });

  it('serves what the writer published, without reading the store', async () => {
    await model.publish([{ parcel: parcel(KNOWN, 'out_for_delivery', 2), version: 2 }]);
    const view = await model.get(KNOWN);
    expect(view?.status).toMatch(/out for delivery/i);
    expect(parcels.reads).toEqual([]);
  });

  it('remembers an unknown number, and the parcel replaces that as soon as it is published', async () => {
    expect(await model.get(UNKNOWN)).toBeNull();
    expect(await model.get(UNKNOWN)).toBeNull();
    expect(parcels.reads).toEqual([UNKNOWN]);
    expect(views.entries.get(UNKNOWN)).toEqual({ version: 0, view: null });
    await model.publish([{ parcel: parcel(UNKNOWN), version: 1 }]);
    expect((await model.get(UNKNOWN))?.trackingNumber).toBe(UNKNOWN);
    expect(parcels.reads).toEqual([UNKNOWN]);
  });

  it('shares one store read between concurrent misses of the same number', async () => {
    let release!: () => void;
    parcels.gate = new Promise((resolve) => (release = resolve));
    const pending = Promise.all([model.get(KNOWN), model.get(KNOWN), model.getMany([KNOWN, KNOWN])]);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const [a, b, [c, d]] = await pending;
    expect([a, b, c, d].every((v) => v?.trackingNumber === KNOWN)).toBe(true);
    expect(parcels.reads).toEqual([KNOWN]);
  });

  it('reads a batch with one Redis call and only its misses from the store', async () => {
    await model.publish([{ parcel: parcel(KNOWN), version: 1 }]);
    const result = await model.getMany([KNOWN, UNKNOWN, KNOWN]);
    expect(result.map((v) => v?.trackingNumber ?? null)).toEqual([KNOWN, null, KNOWN]);
    expect(views.gets).toEqual([[KNOWN, UNKNOWN]]);
    expect(parcels.reads).toEqual([UNKNOWN]);
  });

  it('answers from the store while Redis is down, and does not try to write there', async () => {
    views.down = true;
    expect((await model.get(KNOWN))?.trackingNumber).toBe(KNOWN);
    expect(await model.get(UNKNOWN)).toBeNull();
    expect(parcels.reads).toEqual([KNOWN, UNKNOWN]);
    expect(views.puts).toEqual([]);
  });

  it('skips Redis for a moment after it failed, so a hung Redis costs one timeout per second', async () => {
    const getMany = jest.spyOn(views, 'getMany');
    views.down = true;
    await model.get(KNOWN);
    views.down = false;
    await model.get(KNOWN);
    await model.publish([{ parcel: parcel(KNOWN), version: 1 }]);
    expect(getMany).toHaveBeenCalledTimes(1);
    expect(views.puts).toEqual([]);
    clock.ms += REDIS_BACKOFF_MS;
    await model.get(KNOWN);
    expect(getMany).toHaveBeenCalledTimes(2);
  });

  it('does not serve an old view from Redis after a write there failed, until it is dropped', async () => {
    await model.publish([{ parcel: parcel(KNOWN, 'processed', 1), version: 1 }]);
    parcels.stored.set(KNOWN, parcel(KNOWN, 'delivered', 2));
    views.down = true;
    await expect(model.publish([{ parcel: parcel(KNOWN, 'delivered', 2), version: 2 }])).resolves.toBeUndefined();
    views.down = false;
    clock.ms += REDIS_BACKOFF_MS;
    // Redis still holds version 1: the lookup goes to the store, and does not write back before the drop.
    expect((await model.get(KNOWN))?.status).toMatch(/delivered/i);
    expect(views.entries.get(KNOWN)?.version).toBe(1);
    expect(await model.dropUndropped()).toBe(true);
    expect(views.drops).toEqual([KNOWN]);
    expect((await model.get(KNOWN))?.status).toMatch(/delivered/i);
    expect(views.entries.get(KNOWN)?.version).toBe(2);
  });

  it('drops the views it wrote just before Redis came back from a lost connection, not older ones', async () => {
    const OLD = impb('920559000000000000003');
    parcels.stored.set(OLD, parcel(OLD, 'delivered', 2));
    await model.publish([{ parcel: parcel(OLD, 'delivered', 2), version: 2 }]);
    clock.ms += RECENT_WRITES_MS + 1;
    parcels.stored.set(KNOWN, parcel(KNOWN, 'delivered', 2));
    await model.publish([{ parcel: parcel(KNOWN, 'delivered', 2), version: 2 }]);
    // Restarted from an AOF that lacks the last second: the older view is back.
    views.entries.set(KNOWN, { version: 1, view: storedStatus(KNOWN) });
    views.reconnected();
    expect((await model.get(KNOWN))?.status).toMatch(/delivered/i);
    expect(parcels.reads).toEqual([KNOWN]);
    expect(await model.dropUndropped()).toBe(true);
    expect(views.drops).toEqual([KNOWN]);
    expect((await model.get(OLD))?.status).toMatch(/delivered/i);
    expect(parcels.reads).toEqual([KNOWN]);
  });

  it('does not keep a failed store read', async () => {
    const failing = new TrackingReadModel(
      {
        findById: jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce(parcel(KNOWN)),
      } as unknown as ParcelRepository,
      views as unknown as TrackingViewStore,
      clock,
    );
    await expect(failing.get(KNOWN)).rejects.toThrow('down');
    expect((await failing.get(KNOWN))?.trackingNumber).toBe(KNOWN);
  });
});

describe('TrackingService.lookupMany', () => {
  it('reads every valid number in one batch (one MGET) and reports invalid and unknown numbers', async () => {
    const parcels = new FakeParcels();
    const views = new FakeViewStore();
    const model = new TrackingReadModel(
      parcels as unknown as ParcelRepository,
      views as unknown as TrackingViewStore,
      new FakeClock(),
    );
    const service = new TrackingService(
      parcels as unknown as ParcelRepository,
      {} as AddressesService,
      model,
      {} as HoldMailService,
    );
    const { results } = await service.lookupMany(`${KNOWN}, 123 ,${UNKNOWN},${KNOWN}`);
    expect(results.map((r) => [r.trackingNumber, r.found])).toEqual([
      [KNOWN, true],
      ['123', false],
      [UNKNOWN, false],
      [KNOWN, true],
    ]);
    expect(results[1]).toHaveProperty('error');
    expect(views.gets).toEqual([[KNOWN, UNKNOWN]]);
    expect(parcels.reads.sort()).toEqual([KNOWN, UNKNOWN].sort());
  });
});
