import { createEnvelope, type EventEnvelope, ScanRecordedV1, type ScanRecordedData } from '@app/contracts';
import { applyScan, emptyParcel, type ParcelState } from '../parcels/parcel-state';
import { labelScans } from './manifest-expansion';
import type { ManifestDocument } from './manifest.schema';
import type { ManifestsRepository } from './manifests.repository';
import type { ParcelRepository } from '../parcels/parcel.repository';
import { ManifestsService } from './manifests.service';

const MANIFEST = '9275012345600000000017';
const LABELS = ['9470100123456000000017', '9470100123456000000024'];

function scan(trackingNumber: string, eventId: string, code: ScanRecordedData['code'] = 'accepted') {
  return createEnvelope<ScanRecordedData>({
    type: ScanRecordedV1.type,
    version: ScanRecordedV1.version,
    key: trackingNumber,
    source: 'postal',
    data: {
      eventId,
      trackingNumber,
      code,
      occurredAt: '2025-05-03T09:30:00.000Z',
      facility: { name: 'CHICAGO IL DISTRIBUTION CENTER', city: 'CHICAGO', state: 'IL', zip: '60601' },
    },
  });
}

/** The store's behaviour in memory (the e2e flow runs it on FerretDB). */
class MemoryManifests {
  readonly docs = new Map<string, ManifestDocument>();
  lookups = 0;

  insert(m: Omit<ManifestDocument, 'expandedBy'>): Promise<void> {
    if (!this.docs.has(m._id)) this.docs.set(m._id, { ...m });
    return Promise.resolve();
  }

  findMany(numbers: readonly string[]): Promise<Map<string, ManifestDocument>> {
    this.lookups++;
    const found = numbers.flatMap((n) => {
      const doc = this.docs.get(n);
      return doc ? [[n, { ...doc }] as const] : [];
    });
    return Promise.resolve(new Map(found));
  }

  markExpandedBy(number: string, eventId: string): Promise<string | undefined> {
    const doc = this.docs.get(number);
    if (doc && doc.expandedBy === undefined) doc.expandedBy = eventId;
    return Promise.resolve(doc?.expandedBy);
  }
}

describe('labelScans', () => {
  it('makes one scan per label with the manifest scan code, time and facility', () => {
    const manifestScan = scan(MANIFEST, 'scanner-1');
    const derived = labelScans(manifestScan, LABELS);
    expect(derived.map((d) => d.data.trackingNumber)).toEqual(LABELS);
    expect(derived.map((d) => d.key)).toEqual(LABELS);
    for (const d of derived) {
      expect(d.data).toMatchObject({
        code: 'accepted',
        occurredAt: manifestScan.data.occurredAt,
        facility: manifestScan.data.facility,
      });
      expect(d.id).toBe(d.data.eventId);
      expect(ScanRecordedV1.schema.safeParse(d.data).success).toBe(true);
    }
  });

  it('derives the same ids on a redelivery, distinct ones per label and per scan', () => {
    const first = labelScans(scan(MANIFEST, 'scanner-1'), LABELS).map((d) => d.data.eventId);
    const again = labelScans(scan(MANIFEST, 'scanner-1'), LABELS).map((d) => d.data.eventId);
    const other = labelScans(scan(MANIFEST, 'scanner-2'), LABELS).map((d) => d.data.eventId);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(LABELS.length);
    expect(first.some((id) => other.includes(id))).toBe(false);
    expect(first).not.toContain('scanner-1');
  });

  it('applies once to a label even when the batch is redelivered', () => {
    const ctx = { now: new Date(), newId: () => 'x', correlationId: 'c', addressees: [] };
    let parcel: ParcelState = emptyParcel(LABELS[0]);
    const [mine] = labelScans(scan(MANIFEST, 'scanner-1'), LABELS);
    const once = applyScan(parcel, mine.data, ctx);
    expect(once.changed).toBe(true);
    parcel = once.parcel;
    expect(parcel.status).toBe('accepted');
    const twice = applyScan(parcel, labelScans(scan(MANIFEST, 'scanner-1'), LABELS)[0].data, ctx);
    expect(twice.changed).toBe(false);
    expect(twice.parcel.events).toHaveLength(1);
  });
});

/** Parcels by number, as the scans left them (only what catch-up reads). */
const parcels = {
  byId: new Map<string, ParcelState>(),
  findById(id: string): Promise<ParcelState | null> {
    return Promise.resolve(this.byId.get(id) ?? null);
  },
};

describe('ManifestsService.expand', () => {
  let store: MemoryManifests;
  let service: ManifestsService;

  beforeEach(async () => {
    parcels.byId.clear();
    store = new MemoryManifests();
    service = new ManifestsService(store as unknown as ManifestsRepository, parcels as unknown as ParcelRepository);
    await service.remember(
      {
        manifestId: MANIFEST,
        userId: 'u_1',
        trackingNumbers: LABELS,
        date: '2025-05-03',
        createdAt: '2025-05-01T15:00:00.000Z',
      },
      'c',
    );
  });

  it('does not touch the store for batches without a manifest number', async () => {
    store.lookups = 0;
    expect((await service.expand([scan(LABELS[0], 'a'), scan(LABELS[1], 'b')])).derived).toEqual([]);
    expect(store.lookups).toBe(0);
  });

  it("expands the manifest's first scan into its labels, again on a redelivery, not a later scan", async () => {
    const first = (await service.expand([scan(LABELS[0], 'a'), scan(MANIFEST, 'scanner-1')])).derived;
    expect(first.map((d) => d.data.trackingNumber)).toEqual(LABELS);
    const redelivered = (await service.expand([scan(MANIFEST, 'scanner-1')])).derived;
    expect(redelivered.map((d) => d.data.eventId)).toEqual(first.map((d) => d.data.eventId));
    expect((await service.expand([scan(MANIFEST, 'scanner-2', 'picked_up')])).derived).toEqual([]);
  });

  it('expands only the first of two scans of the manifest in one batch', async () => {
    const derived = (await service.expand([scan(MANIFEST, 'scanner-1'), scan(MANIFEST, 'scanner-2')])).derived;
    expect(derived).toHaveLength(LABELS.length);
    expect(derived.every((d: EventEnvelope<ScanRecordedData>) => d.data.code === 'accepted')).toBe(true);
  });

  it('leaves the scan of a manifest it does not know to its own number (as before)', async () => {
    expect((await service.expand([scan('9275012345600000000024', 'scanner-1')])).derived).toEqual([]);
  });

  it('keeps the first copy of a redelivered ManifestCreated', async () => {
    await service.remember(
      {
        manifestId: MANIFEST,
        userId: 'u_1',
        trackingNumbers: [LABELS[0]],
        date: '2025-05-03',
        createdAt: '2025-05-01T15:00:00.000Z',
      },
      'c',
    );
    expect((await service.expand([scan(MANIFEST, 'scanner-1')])).derived.map((d) => d.data.trackingNumber)).toEqual(
      LABELS,
    );
  });
});

describe('ManifestsService: a scan before its form', () => {
  const ctx = { now: new Date(), newId: () => 'x', correlationId: 'c', addressees: [] };
  const created = {
    manifestId: MANIFEST,
    userId: 'u_1',
    trackingNumbers: LABELS,
    date: '2025-05-03',
    createdAt: '2025-05-01T15:00:00.000Z',
  };

  it('copies the first scan already stored on the number once the form arrives, once', async () => {
    const store = new MemoryManifests();
    parcels.byId.clear();
    const service = new ManifestsService(
      store as unknown as ManifestsRepository,
      parcels as unknown as ParcelRepository,
    );
    // The scan comes first: the form is unknown, the scan stays on the manifest's number.
    const early = await service.expand([scan(MANIFEST, 'scanner-1')]);
    expect(early).toEqual({ derived: [], unknown: [MANIFEST] });
    let stored = applyScan(emptyParcel(MANIFEST), scan(MANIFEST, 'scanner-1').data, ctx).parcel;
    stored = applyScan(
      stored,
      { ...scan(MANIFEST, 'scanner-0', 'picked_up').data, occurredAt: '2025-05-03T10:00:00.000Z' },
      ctx,
    ).parcel;
    parcels.byId.set(MANIFEST, stored);
    expect(await service.catchUp(early.unknown, 'c')).toEqual([]);

    const derived = await service.remember(created, 'c');
    expect(derived.map((d) => d.data.trackingNumber)).toEqual(LABELS);
    // the earliest scan, with the ids its expansion would have had
    expect(derived.map((d) => d.data.eventId)).toEqual(
      labelScans(scan(MANIFEST, 'scanner-1'), LABELS).map((d) => d.data.eventId),
    );
    expect(derived.every((d) => d.data.code === 'accepted')).toBe(true);
    // A redelivered form, or the scan side looking again, copies nothing more.
    expect(await service.remember(created, 'c')).toEqual([]);
    expect(await service.catchUp([MANIFEST], 'c')).toEqual([]);
  });

  it('copies nothing for a form whose number has no scan yet', async () => {
    const store = new MemoryManifests();
    parcels.byId.clear();
    const service = new ManifestsService(
      store as unknown as ManifestsRepository,
      parcels as unknown as ParcelRepository,
    );
    expect(await service.remember(created, 'c')).toEqual([]);
    expect(store.docs.get(MANIFEST)?.expandedBy).toBeUndefined();
  });
});
