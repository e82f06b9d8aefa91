import {
  addDays,
  centralDate,
  HOLD_MAIL_BOOKING_WINDOW_DAYS,
  HOLD_MAIL_MAX_DAYS,
  HOLD_MAIL_MIN_DAYS,
  changeCutoffPassed,
  deliveryDaysAfter,
  federalHolidays,
  type InterceptAction,
  type InterceptStatus,
  isCalendarDate,
  LABEL_CREATED_CODE,
  PICKUP_HOLD_DAYS,
  REDELIVERY_WINDOW_DELIVERY_DAYS,
  type TrackingEventCode,
  type RedeliveryOutcome,
} from '@app/contracts';
import { HOLD_CODES, isHeld, type ParcelState } from '../parcels/parcel-state';

const DAY_MS = 86_400_000;

/** Where a parcel stands with respect to being held at the post office. */
export interface HoldState {
  /** the latest scan keeps it at the post office */
  held: boolean;
  /** a delivery was attempted in the current hold (a redelivery can be asked for) */
  attempted: boolean;
  /** the parcel is `available_for_pickup` (the hold can be extended) */
  availableForPickup: boolean;
  /** ISO-8601: when the current hold began (its first hold scan) */
  heldSince?: string;
  /** ISO-8601: after this the parcel goes back to the sender (15 days, plus any extension) */
  holdUntil?: string;
}

/**
 * The hold of a parcel from its history (newest first): the run of hold scans at the top of the
 * history is the current hold; it starts at the oldest of them and lasts PICKUP_HOLD_DAYS days
 * plus the extension granted.
 */
export function holdOf(parcel: ParcelState, extensionDays = 0): HoldState {
  const held = isHeld(parcel);
  if (!held) return { held: false, attempted: false, availableForPickup: false };
  const run: ParcelState['events'] = [];
  for (const event of parcel.events) {
    // A label printed late (its time after the scans) does not end the run.
    if (event.code === LABEL_CREATED_CODE) continue;
    if (!HOLD_CODES.has(event.code)) break;
    run.push(event);
  }
  const heldSince = run.at(-1)?.occurredAt ?? parcel.statusAt;
  const holdUntil =
    heldSince === undefined
      ? undefined
      : new Date(Date.parse(heldSince) + (PICKUP_HOLD_DAYS + extensionDays) * DAY_MS).toISOString();
  return {
    held: true,
    attempted: run.some((e) => e.code === 'delivery_attempted'),
    availableForPickup: parcel.status === 'available_for_pickup',
    heldSince,
    holdUntil,
  };
}

/**
 * The days a redelivery may be booked for at `now`: the next REDELIVERY_WINDOW_DELIVERY_DAYS
 * delivery days after today (Central time), none after the day the hold ends.
 */
export function redeliveryDates(now: Date, holdUntil: string): string[] {
  const lastDay = centralDate(new Date(holdUntil));
  return deliveryDaysAfter(centralDate(now), REDELIVERY_WINDOW_DELIVERY_DAYS).filter((d) => d <= lastDay);
}

/** Why a redelivery cannot be booked for `date` at `now`, or undefined when it can. */
export function redeliveryDateProblem(date: string, now: Date, holdUntil: string): string | undefined {
  if (!isCalendarDate(date)) return `${date} is not a calendar date (YYYY-MM-DD)`;
  const today = centralDate(now);
  if (date <= today) return `${date} is not after today (${today}, Central time): a redelivery is for a later day`;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0) return `${date} is a Sunday: no deliveries on Sundays`;
  const holiday = federalHolidays(Number(date.slice(0, 4))).get(date);
  if (holiday) return `${date} is a federal holiday (${holiday}): no deliveries`;
  const window = deliveryDaysAfter(today, REDELIVERY_WINDOW_DELIVERY_DAYS);
  if (date > (window.at(-1) ?? today)) {
    return `${date} is beyond the next ${REDELIVERY_WINDOW_DELIVERY_DAYS} delivery days (the last is ${window.at(-1)})`;
  }
  const lastDay = centralDate(new Date(holdUntil));
  if (date > lastDay) return `${date} is after the parcel's hold ends (${lastDay}); it goes back to the sender then`;
  return undefined;
}

/** Why a redelivery booked for `date` can no longer change or be cancelled at `now`, or undefined. */
export function redeliveryChangeProblem(date: string, now: Date): string | undefined {
  if (changeCutoffPassed(date, now)) {
    return `the redelivery of ${date} can change only before 2:00 AM Central time on that day`;
  }
  return undefined;
}

/** A scheduled redelivery stays active to the end of its day (Central time). */
export function redeliveryActive(status: string, date: string, now: Date): boolean {
  return status === 'scheduled' && date >= centralDate(now);
}

/** The hold end after an extension of `days`. */
export function extendedHoldUntil(holdUntil: string, days: number): string {
  return new Date(Date.parse(holdUntil) + days * DAY_MS).toISOString();
}

/** What the scans after an intercept say of it. */
export interface InterceptOutcome {
  status: InterceptStatus;
  /** ISO-8601 of the scan that decided it */
  decidedAt?: string;
  reason?: string;
}

/** Scan codes that carry out each intercept action. */
const INTERCEPT_DONE: Readonly<Record<InterceptAction, readonly TrackingEventCode[]>> = {
  return_to_sender: ['intercepted', 'returned_to_sender'],
  redirect: ['redirected'],
  hold_at_post_office: ['held_at_post_office', 'intercepted'],
};

/**
 * The outcome of an intercept from the scans after it was asked for, oldest first: the first scan
 * that carries it out makes it `succeeded` (for a redirect, also any scan at the new destination's
 * ZIP: its next scans are there), a delivery first makes it `failed`; else it stays `requested`.
 */
export function interceptOutcome(
  intercept: { action: InterceptAction; requestedAt: string; address?: { zip: string } },
  events: ParcelState['events'],
): InterceptOutcome {
  const after = events.filter((e) => e.occurredAt > intercept.requestedAt).reverse();
  const newZip = intercept.address?.zip.slice(0, 5);
  for (const event of after) {
    if (event.code === 'delivered') {
      return { status: 'failed', decidedAt: event.occurredAt, reason: 'the parcel was delivered before the intercept' };
    }
    const atNewDestination =
      intercept.action === 'redirect' && newZip !== undefined && event.facility.zip.slice(0, 5) === newZip;
    if (INTERCEPT_DONE[intercept.action].includes(event.code) || atNewDestination) {
      return { status: 'succeeded', decidedAt: event.occurredAt };
    }
  }
  return { status: 'requested' };
}

/**
 * What the scans after a redelivery was booked say of it, oldest first: `delivered` or another
 * `delivery_attempted` ends it (`failed`); a `redelivery_scheduled` scan before that confirms it.
 * Undefined while no scan has answered.
 */
export function redeliveryOutcome(
  bookedAt: string,
  events: ParcelState['events'],
): { outcome: RedeliveryOutcome; occurredAt: string } | undefined {
  let confirmed: { outcome: RedeliveryOutcome; occurredAt: string } | undefined;
  for (const event of events.filter((e) => e.occurredAt > bookedAt).reverse()) {
    if (event.code === 'delivered') return { outcome: 'delivered', occurredAt: event.occurredAt };
    if (event.code === 'delivery_attempted') return { outcome: 'failed', occurredAt: event.occurredAt };
    if (event.code === 'redelivery_scheduled') confirmed ??= { outcome: 'confirmed', occurredAt: event.occurredAt };
  }
  return confirmed;
}

/** Why the shipper cannot intercept the parcel now, or undefined. */
export function interceptProblem(parcel: ParcelState): string | undefined {
  if (parcel.status === 'delivered') return 'the parcel is delivered: it can no longer be intercepted';
  if (parcel.statusCode === 'returned_to_sender') return 'the parcel is on its way back to the sender already';
  return undefined;
}

/** Why the recipient cannot leave instructions for the parcel now, or undefined. */
export function instructionsProblem(parcel: ParcelState): string | undefined {
  if (parcel.status === 'out_for_delivery' || parcel.status === 'delivered') {
    return `delivery instructions can be given only before the parcel is out for delivery (it is ${parcel.status})`;
  }
  return undefined;
}

/** Why a Hold Mail from `startDate` to `endDate` (both held) cannot be booked at `now`, or undefined. */
export function holdMailProblem(startDate: string, endDate: string, now: Date): string | undefined {
  if (!isCalendarDate(startDate)) return `startDate ${startDate} is not a calendar date (YYYY-MM-DD)`;
  if (!isCalendarDate(endDate)) return `endDate ${endDate} is not a calendar date (YYYY-MM-DD)`;
  const today = centralDate(now);
  if (startDate <= today) return `startDate must be at least one day ahead (today is ${today}, Central time)`;
  if (startDate > addDays(today, HOLD_MAIL_BOOKING_WINDOW_DAYS)) {
    return `startDate may be at most ${HOLD_MAIL_BOOKING_WINDOW_DAYS} days ahead`;
  }
  const weekday = new Date(`${startDate}T00:00:00Z`).getUTCDay();
  if (weekday === 0) return `startDate ${startDate} is a Sunday: a hold starts on a delivery day`;
  const holiday = federalHolidays(Number(startDate.slice(0, 4))).get(startDate);
  if (holiday) return `startDate ${startDate} is a federal holiday (${holiday}): a hold starts on a delivery day`;
  const days = Math.round((Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / DAY_MS) + 1;
  if (days < HOLD_MAIL_MIN_DAYS || days > HOLD_MAIL_MAX_DAYS) {
    return `a hold lasts ${HOLD_MAIL_MIN_DAYS} to ${HOLD_MAIL_MAX_DAYS} days, both ends counted (this one: ${days})`;
  }
  return undefined;
}

/** Whether a Hold Mail has started at `now` (from its first day, Central time): it can no longer change. */
export function holdMailStarted(startDate: string, now: Date): boolean {
  return centralDate(now) >= startDate;
}

/** Whether a scheduled Hold Mail holds the mail today. */
export function holdMailInForce(status: string, startDate: string, endDate: string, now: Date): boolean {
  const today = centralDate(now);
  return status === 'scheduled' && startDate <= today && today <= endDate;
}

/** Whether two date ranges (both ends included) share a day. */
export function rangesOverlap(
  a: { startDate: string; endDate: string },
  b: { startDate: string; endDate: string },
): boolean {
  return a.startDate <= b.endDate && b.startDate <= a.endDate;
}
