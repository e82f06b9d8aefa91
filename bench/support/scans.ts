import { randomUUID } from 'node:crypto';
import {
  computeImpbCheckDigit,
  createEnvelope,
  ScanRecordedV1,
  type EventEnvelope,
  type ScanCode,
  type ScanRecordedData,
} from '@app/contracts';
import type { Message } from 'kafkajs';
import { envelopeMessage } from './kafka';

export const BENCH_SOURCE = 'bench';
const HOUR_MS = 3_600_000;
const MIDDLE_CODES: readonly ScanCode[] = ['processed', 'arrived_at_facility', 'departed_facility', 'in_transit'];
const FACILITY = { name: 'BENCH PROCESSING CENTER', city: 'DENVER', state: 'CO', zip: '80202' };

/**
 * A valid 22-digit IMpb number. `range` (0–9) keeps the parcels of different scenarios apart.
 */
export function trackingNumber(range: number, index: number): string {
  const body = `9205${range}${String(index).padStart(16, '0')}`;
  return `${body}${computeImpbCheckDigit(body)}`;
}

export function scanEnvelope(data: ScanRecordedData): EventEnvelope<ScanRecordedData> {
  return createEnvelope({
    id: data.eventId,
    type: ScanRecordedV1.type,
    version: ScanRecordedV1.version,
    key: data.trackingNumber,
    data,
    source: BENCH_SOURCE,
  });
}

export interface ScanPlan {
  messages: Message[];
  numbers: string[];
  /** distinct scans (the effects expected); the rest of `messages` are repeats */
  distinct: number;
}

function codeAt(step: number, steps: number): ScanCode {
  if (step === 0) return 'accepted';
  if (step === steps - 1) return steps > 2 ? 'delivered' : 'out_for_delivery';
  return MIDDLE_CODES[(step - 1) % MIDDLE_CODES.length];
}

/**
 * `total` scans over `parcels` parcels: each parcel a journey of distinct scans, interleaved across
 * parcels; `repeatShare` of the messages re-send an earlier scan (same eventId) and `outOfOrderShare`
 * of the scans are produced after the parcel's next scan.
 */
export function planScans(options: {
  range: number;
  parcels: number;
  total: number;
  repeatShare?: number;
  outOfOrderShare?: number;
  now?: number;
}): ScanPlan {
  const { range, parcels, total } = options;
  const now = options.now ?? Date.now();
  const repeats = Math.round(total * (options.repeatShare ?? 0.05));
  const distinct = total - repeats;
  const outOfOrderShare = options.outOfOrderShare ?? 0.05;
  const numbers = Array.from({ length: parcels }, (_, i) => trackingNumber(range, i));
  const perParcel = Math.floor(distinct / parcels);
  const extra = distinct % parcels;
  const maxSteps = perParcel + (extra > 0 ? 1 : 0);
  // Journeys end before now: scan clocks may not run ahead of the receiver's.
  const start = now - (maxSteps + 1) * HOUR_MS;
  // The out-of-order share is taken among scans that have a successor.
  const withSuccessor = distinct - parcels;
  const swapChance = withSuccessor > 0 ? Math.min(1, (outOfOrderShare * distinct) / withSuccessor) : 0;

  const keyed: { key: number; message: Message }[] = [];
  const originals: { key: number; message: Message }[] = [];
  for (let p = 0; p < parcels; p++) {
    const steps = perParcel + (p < extra ? 1 : 0);
    for (let step = 0; step < steps; step++) {
      const data: ScanRecordedData = {
        eventId: randomUUID(),
        trackingNumber: numbers[p],
        code: codeAt(step, steps),
        occurredAt: new Date(start + step * HOUR_MS + Math.floor(Math.random() * (HOUR_MS / 2))).toISOString(),
        facility: FACILITY,
      };
      const late = step < steps - 1 && Math.random() < swapChance;
      const entry = { key: step + (late ? 1.95 : Math.random() * 0.9), message: envelopeMessage(scanEnvelope(data)) };
      keyed.push(entry);
      originals.push(entry);
    }
  }
  for (let r = 0; r < repeats; r++) {
    const original = originals[Math.floor(Math.random() * originals.length)];
    keyed.push({ key: original.key + 0.5 + Math.random() * 2, message: original.message });
  }
  keyed.sort((a, b) => a.key - b.key);
  return { messages: keyed.map((k) => k.message), numbers, distinct };
}
