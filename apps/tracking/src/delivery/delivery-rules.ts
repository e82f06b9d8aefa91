import {
  centralDate,
  changeCutoffPassed,
  deliveryDaysAfter,
  federalHolidays,
  isCalendarDate,
  LABEL_CREATED_CODE,
  PICKUP_HOLD_DAYS,
  REDELIVERY_WINDOW_DELIVERY_DAYS,
  type TrackingEventCode,
} from '@app/contracts';
import type { ParcelState } from '../parcels/parcel-state';

const DAY_MS = 86_400_000;

/** Codes under which a parcel waits at the post office (after a notice was left, or on arrival there). */
const HOLD_CODES: ReadonlySet<TrackingEventCode> = new Set(['delivery_attempted', 'available_for_pickup']);

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
  const held = parcel.statusCode !== undefined && HOLD_CODES.has(parcel.statusCode);
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
