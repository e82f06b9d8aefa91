import {
  type EventDefinition,
  LABEL_CREATED_CODE,
  ParcelAlertV1,
  ParcelArrivedV1,
  ParcelDeliveredV1,
  ParcelStatusChangedV1,
  PICKUP_HOLD_DAYS,
  SCAN_CODE_CATEGORY,
  SCAN_CODE_DESCRIPTIONS,
  type EventEnvelope,
  type LabelCreatedData,
  type ParcelAlertData,
  type ParcelArrivedData,
  type ParcelDeliveredData,
  type ParcelRecipient,
  type ParcelStatusChangedData,
  type PostalAddress,
  type ScanCode,
  type ScanRecordedData,
  type ShippingService,
  type StatusCategory,
  type TrackingEventCode,
} from '@app/contracts';
import { eventEnvelope } from '@app/messaging';
import type { z } from 'zod';

/** How many events and applied ids a parcel keeps: enough for any real journey, bounded for hostile input. */
export const MAX_PARCEL_EVENTS = 100;
export const MAX_APPLIED_EVENT_IDS = 300;
export const TRACKING_SOURCE = 'tracking';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ParcelEvent {
  eventId: string;
  code: TrackingEventCode;
  /** ISO-8601, normalised with toISOString so strings sort by time */
  occurredAt: string;
  facility: { name?: string; city: string; state: string; zip: string };
}

/** Codes under which a parcel waits at the post office (after a notice was left, or on arrival there). */
export const HOLD_CODES: ReadonlySet<TrackingEventCode> = new Set([
  'delivery_attempted',
  'available_for_pickup',
  'held_at_post_office',
]);

/** Whether the parcel's latest scan keeps it at the post office. */
export function isHeld(parcel: Pick<ParcelState, 'statusCode'>): boolean {
  return parcel.statusCode !== undefined && HOLD_CODES.has(parcel.statusCode);
}

export interface ParcelState {
  _id: string;
  /** false while the parcel is only watched and neither a label nor a scan has been seen */
  known: boolean;
  status?: StatusCategory;
  statusCode?: TrackingEventCode;
  /** occurredAt of the scan that set the status; absent until the first scan */
  statusAt?: string;
  events: ParcelEvent[];
  appliedEventIds: string[];
  watchers: string[];
  service?: ShippingService;
  labelId?: string;
  labelOwner?: string;
  origin?: PostalAddress;
  destination?: PostalAddress;
  destinationKey?: string;
  expectedDelivery?: string;
  /** days the recipient added to the hold (the hold extension's request is the source; this copy feeds the public view) */
  holdExtensionDays?: number;
  /** the parcel has an entry in the list of held parcels (HeldParcelsRepository) */
  heldListed?: boolean;
  outbox: EventEnvelope[];
  /** the last write stored entries Redis did not mark pending (OUTBOX_UNMARKED_FIELD); internal */
  outboxUnmarked?: boolean;
  version: number;
}

export interface ApplyContext {
  now: Date;
  newId: () => string;
  correlationId?: string;
  /** users whose verified address is the parcel's destination */
  addressees: readonly string[];
}

export interface ApplyResult {
  parcel: ParcelState;
  changed: boolean;
  published: EventEnvelope[];
}

export function emptyParcel(trackingNumber: string): ParcelState {
  return { _id: trackingNumber, known: false, events: [], appliedEventIds: [], watchers: [], outbox: [], version: 0 };
}

/** Secondary-unit words, spelled out or abbreviated, to one form; the generic ones ("APT", "UNIT", "#") to `#`. */
const UNIT_DESIGNATORS: Readonly<Record<string, string>> = {
  '#': '#',
  APT: '#',
  APARTMENT: '#',
  UNIT: '#',
  NO: '#',
  NUMBER: '#',
  STE: 'STE',
  SUITE: 'STE',
  FL: 'FL',
  FLOOR: 'FL',
  RM: 'RM',
  ROOM: 'RM',
  BLDG: 'BLDG',
  BUILDING: 'BLDG',
};

/** Upper case, `.` and `,` as spaces, single spaces. */
function normaliseLine(line: string): string {
  return line.toUpperCase().replace(/[.,]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The unit part of an address: "APT 2", "Apt. 2", "#2", "Unit 2", "APT #2" and a bare "2" all give
 * `#2`; "Suite 200" gives `STE 200`.
 */
export function unitKey(line2: string | undefined): string {
  const tokens = normaliseLine((line2 ?? '').replace(/#/g, ' # ')).split(' ');
  const words = tokens.filter(Boolean).map((t) => UNIT_DESIGNATORS[t] ?? t);
  if (words.length > 0 && !Object.hasOwn(UNIT_DESIGNATORS, words[0])) words.unshift('#');
  const deduped = words.filter((w, i) => !(w === '#' && words[i - 1] === '#'));
  return deduped.join(' ').replace(/# /g, '#');
}

/**
 * The key of the verified-address projection: ZIP5, first address line and the unit (line 2),
 * normalised, so "APT 1" never matches a parcel to "APT 2". Without a line 2 the key is `ZIP5|LINE1`.
 */
export function addressKey(address: { line1: string; line2?: string; zip: string }): string {
  const line1 = normaliseLine(address.line1.replace(/#/g, ' '));
  const unit = unitKey(address.line2);
  return unit ? `${address.zip.slice(0, 5)}|${line1}|${unit}` : `${address.zip.slice(0, 5)}|${line1}`;
}

export function recipientsOf(parcel: ParcelState, addressees: readonly string[]): ParcelRecipient[] {
  const recipients: ParcelRecipient[] = parcel.watchers.map((userId) => ({ userId, reason: 'watcher' }));
  for (const userId of addressees) {
    if (!parcel.watchers.includes(userId)) recipients.push({ userId, reason: 'addressee' });
  }
  return recipients;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();
}

/** Delivery date from the label's promised days, not counting Sundays (no Sunday delivery for these classes). */
export function expectedDeliveryFrom(createdAt: string, deliveryDays: number): string {
  let date = new Date(createdAt);
  let remaining = deliveryDays;
  while (remaining > 0) {
    date = new Date(date.getTime() + DAY_MS);
    if (date.getUTCDay() !== 0) remaining--;
  }
  return date.toISOString().slice(0, 10);
}

function withApplied(parcel: ParcelState, eventId: string): string[] {
  return [...parcel.appliedEventIds, eventId].slice(-MAX_APPLIED_EVENT_IDS);
}

function withEvent(parcel: ParcelState, event: ParcelEvent): ParcelEvent[] {
  const events = [...parcel.events, event];
  events.sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : 0));
  return events.slice(0, MAX_PARCEL_EVENTS);
}

function envelope<S extends z.ZodType>(
  definition: EventDefinition<S>,
  key: string,
  data: z.infer<S>,
  ctx: ApplyContext,
): EventEnvelope<z.infer<S>> {
  const source = { source: TRACKING_SOURCE, uuid: ctx.newId, now: () => ctx.now };
  return eventEnvelope(source, definition, key, data, { correlationId: ctx.correlationId });
}

/** Events caused by a scan that became the latest one. */
function eventsForNewLatest(
  parcel: ParcelState,
  previous: StatusCategory | undefined,
  scan: ScanRecordedData,
  occurredAt: string,
  ctx: ApplyContext,
): EventEnvelope[] {
  const category = SCAN_CODE_CATEGORY[scan.code];
  const recipients = recipientsOf(parcel, ctx.addressees);
  const location = { city: scan.facility.city, state: scan.facility.state, zip: scan.facility.zip };
  const description = SCAN_CODE_DESCRIPTIONS[scan.code];
  const key = parcel._id;
  const out: EventEnvelope[] = [];
  if (previous !== category) {
    const data: ParcelStatusChangedData = {
      trackingNumber: key,
      ...(previous ? { previousCategory: previous } : {}),
      statusCategory: category,
      code: scan.code,
      description,
      occurredAt,
      location,
      recipients,
    };
    out.push(envelope(ParcelStatusChangedV1, key, data, ctx));
    if (category === 'available_for_pickup') {
      const arrived: ParcelArrivedData = {
        trackingNumber: key,
        facility: scan.facility,
        holdUntil: addDays(occurredAt, PICKUP_HOLD_DAYS),
        occurredAt,
        recipients,
      };
      out.push(envelope(ParcelArrivedV1, key, arrived, ctx));
    }
    if (category === 'delivered') {
      const delivered: ParcelDeliveredData = { trackingNumber: key, occurredAt, location, recipients };
      out.push(envelope(ParcelDeliveredV1, key, delivered, ctx));
    }
  }
  if (category === 'alert' && isAlertCode(scan.code)) {
    const alert: ParcelAlertData = {
      trackingNumber: key,
      code: scan.code,
      description,
      occurredAt,
      location,
      recipients,
    };
    out.push(envelope(ParcelAlertV1, key, alert, ctx));
  }
  return out;
}

function isAlertCode(code: ScanCode): code is ParcelAlertData['code'] {
  return code === 'delivery_attempted' || code === 'returned_to_sender' || code === 'exception';
}

/**
 * Applies one scan. A repeated eventId changes nothing; a scan older than the latest one joins the
 * history without moving the status back; a newer one sets the status and publishes its events.
 */
export function applyScan(parcel: ParcelState, scan: ScanRecordedData, ctx: ApplyContext): ApplyResult {
  if (parcel.appliedEventIds.includes(scan.eventId)) return { parcel, changed: false, published: [] };
  const occurredAt = new Date(scan.occurredAt).toISOString();
  let next: ParcelState = {
    ...parcel,
    known: true,
    events: withEvent(parcel, { eventId: scan.eventId, code: scan.code, occurredAt, facility: scan.facility }),
    appliedEventIds: withApplied(parcel, scan.eventId),
  };
  let published: EventEnvelope[] = [];
  if (parcel.statusAt === undefined || occurredAt >= parcel.statusAt) {
    published = eventsForNewLatest(parcel, parcel.status, scan, occurredAt, ctx);
    next = { ...next, status: SCAN_CODE_CATEGORY[scan.code], statusCode: scan.code, statusAt: occurredAt };
  }
  next.outbox = [...next.outbox, ...published];
  return { parcel: next, changed: true, published };
}

/**
 * Applies a label: the parcel becomes known as pre_shipment (unless scans already moved it), with its
 * service, addresses and expected delivery, and the label owner watches it.
 */
export function applyLabelCreated(parcel: ParcelState, envelopeId: string, label: LabelCreatedData): ApplyResult {
  if (parcel.appliedEventIds.includes(envelopeId)) return { parcel, changed: false, published: [] };
  const createdAt = new Date(label.createdAt).toISOString();
  const next: ParcelState = {
    ...parcel,
    known: true,
    status: parcel.status ?? 'pre_shipment',
    statusCode: parcel.statusCode ?? LABEL_CREATED_CODE,
    events: withEvent(parcel, {
      eventId: envelopeId,
      code: LABEL_CREATED_CODE,
      occurredAt: createdAt,
      facility: { city: label.from.city, state: label.from.state, zip: label.from.zip },
    }),
    appliedEventIds: withApplied(parcel, envelopeId),
    watchers: parcel.watchers.includes(label.userId) ? parcel.watchers : [...parcel.watchers, label.userId],
    service: label.service,
    labelId: label.labelId,
    labelOwner: label.userId,
    origin: label.from,
    destination: label.to,
    destinationKey: addressKey(label.to),
    expectedDelivery: expectedDeliveryFrom(createdAt, label.deliveryDays),
  };
  return { parcel: next, changed: true, published: [] };
}
