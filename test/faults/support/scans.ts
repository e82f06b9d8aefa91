import {
  computeImpbCheckDigit,
  createEnvelope,
  SCAN_CODE_CATEGORY,
  ScanRecordedV1,
  type ScanCode,
  type ScanRecordedData,
  type StatusCategory,
} from '@app/contracts';
import { randomInt, randomUUID } from 'node:crypto';

const FACILITIES = [
  { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' },
  { name: 'KANSAS CITY NDC', city: 'KANSAS CITY', state: 'KS', zip: '66106' },
  { name: 'CHICAGO IL DISTRIBUTION CENTER', city: 'CHICAGO', state: 'IL', zip: '60607' },
];

/** A parcel's journey, in the order the scans happen. */
const JOURNEY: ScanCode[] = [
  'accepted',
  'processed',
  'arrived_at_facility',
  'departed_facility',
  'in_transit',
  'out_for_delivery',
  'delivery_attempted',
  'available_for_pickup',
  'delivered',
];

/** `count` fresh, valid IMpb numbers, unique to this call. */
export function newTrackingNumbers(count: number): string[] {
  const run = String(randomInt(0, 100_000_000)).padStart(8, '0');
  return Array.from({ length: count }, (_, i) => {
    const body = `9205590${run}${String(i).padStart(6, '0')}`;
    return body + computeImpbCheckDigit(body);
  });
}

/** A scan `step` hours into its parcel's journey (distinct times per parcel, so "latest" is exact). */
export function scanAt(trackingNumber: string, step: number, code: ScanCode = JOURNEY[step % JOURNEY.length]) {
  const occurredAt = new Date(Date.UTC(2025, 4, 1, 8) + step * 3_600_000 + randomInt(0, 59) * 1000).toISOString();
  const data: ScanRecordedData = {
    eventId: randomUUID(),
    trackingNumber,
    code,
    occurredAt,
    facility: FACILITIES[step % FACILITIES.length],
  };
  return data;
}

export function scanEnvelope(scan: ScanRecordedData) {
  return createEnvelope({
    id: scan.eventId,
    type: ScanRecordedV1.type,
    version: 1,
    key: scan.trackingNumber,
    data: scan,
    source: 'faults',
  });
}

export interface ScanStream {
  /** Every distinct scan (the oracle's input). */
  scans: ScanRecordedData[];
  /** The order they are sent in: some out of order, some sent twice. */
  sent: ScanRecordedData[];
  repeats: number;
  outOfOrder: number;
}

/**
 * `total` scans over `parcels` parcels, each parcel's in journey order except a share swapped with
 * the next one of the same parcel (out of order), parcels interleaved at random, and a share sent a
 * second time later in the stream (repeats).
 */
export function scanStream(parcels: number, total: number, { repeatShare = 0.05, outOfOrderShare = 0.05 } = {}) {
  const numbers = newTrackingNumbers(parcels);
  const perParcel = numbers.map((tn, p) => {
    const steps = Math.floor(total / parcels) + (p < total % parcels ? 1 : 0);
    return Array.from({ length: steps }, (_, step) => scanAt(tn, step));
  });
  const scans = perParcel.flat();
  let outOfOrder = 0;
  const swaps = Math.round(scans.length * outOfOrderShare);
  for (let tries = 0; outOfOrder < swaps && tries < swaps * 20; tries++) {
    const list = perParcel[randomInt(0, perParcel.length)];
    if (list.length < 2) continue;
    const i = randomInt(0, list.length - 1);
    [list[i], list[i + 1]] = [list[i + 1], list[i]];
    outOfOrder++;
  }
  // Interleave the parcels at random while keeping each parcel's own order.
  const cursors = perParcel.map(() => 0);
  const live = perParcel.map((_, i) => i);
  const sent: ScanRecordedData[] = [];
  while (live.length > 0) {
    const at = randomInt(0, live.length);
    const p = live[at];
    sent.push(perParcel[p][cursors[p]++]);
    if (cursors[p] === perParcel[p].length) live.splice(at, 1);
  }
  const repeats = Math.round(scans.length * repeatShare);
  for (let r = 0; r < repeats; r++) {
    const from = randomInt(0, sent.length);
    const to = randomInt(from + 1, sent.length + 1);
    sent.splice(to, 0, sent[from]);
  }
  return { numbers, scans, sent, repeats, outOfOrder };
}

export interface ExpectedParcel {
  status: StatusCategory;
  /** event ids, newest first */
  eventIds: string[];
}

/** What every parcel must look like once each distinct scan has been applied exactly once. */
export function oracle(scans: readonly ScanRecordedData[]): Map<string, ExpectedParcel> {
  const byParcel = new Map<string, ScanRecordedData[]>();
  for (const scan of scans) {
    const list = byParcel.get(scan.trackingNumber) ?? [];
    if (!list.some((s) => s.eventId === scan.eventId)) list.push(scan);
    byParcel.set(scan.trackingNumber, list);
  }
  const expected = new Map<string, ExpectedParcel>();
  for (const [tn, list] of byParcel) {
    const newestFirst = [...list].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));
    expected.set(tn, { status: SCAN_CODE_CATEGORY[newestFirst[0].code], eventIds: newestFirst.map((s) => s.eventId) });
  }
  return expected;
}

export interface StoredParcel {
  _id: string;
  status?: string;
  events: { eventId: string; code: string; occurredAt: string }[];
  appliedEventIds: string[];
  outbox: unknown[];
}

export interface ParcelMismatch {
  trackingNumber: string;
  problem: string;
}

/** Compares stored parcels with the oracle: status, event list (order too), no id lost or doubled. */
export function compareWithOracle(
  expected: Map<string, ExpectedParcel>,
  stored: Map<string, StoredParcel>,
): { mismatches: ParcelMismatch[]; lost: number; doubled: number } {
  const mismatches: ParcelMismatch[] = [];
  let lost = 0;
  let doubled = 0;
  for (const [tn, want] of expected) {
    const got = stored.get(tn);
    if (!got) {
      lost += want.eventIds.length;
      mismatches.push({ trackingNumber: tn, problem: 'missing' });
      continue;
    }
    const ids = got.events.map((e) => e.eventId);
    const seen = new Set(ids);
    doubled += ids.length - seen.size;
    doubled += got.appliedEventIds.length - new Set(got.appliedEventIds).size;
    lost += want.eventIds.filter((id) => !seen.has(id)).length;
    if (got.status !== want.status)
      mismatches.push({ trackingNumber: tn, problem: `status ${got.status} ≠ ${want.status}` });
    else if (ids.join() !== want.eventIds.join())
      mismatches.push({ trackingNumber: tn, problem: 'event list differs' });
  }
  return { mismatches, lost, doubled };
}
