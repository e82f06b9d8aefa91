// The same rules as the pickup service (libs/contracts calendar/delivery-days): Monday–Saturday, no US
// federal holiday (with its observed day), today only before 2:00 AM Central time, within the
// window. The server stays the judge; this only keeps impossible days out of the picker.

export const PICKUP_TIME_ZONE = 'America/Chicago';
export const SAME_DAY_CUTOFF_HOUR = 2;
/** The API promises at least this many days ahead are bookable. */
export const BOOKING_WINDOW_DAYS = 14;

const DAY_MS = 86_400_000;

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function utc(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day);
}

/** The n-th (1-based) weekday of a month, or the last one when n is -1. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = utc(year, month, 1);
    const offset = (weekday - new Date(first).getUTCDay() + 7) % 7;
    return first + (offset + (n - 1) * 7) * DAY_MS;
  }
  const last = utc(year, month + 1, 0);
  const back = (new Date(last).getUTCDay() - weekday + 7) % 7;
  return last - back * DAY_MS;
}

/** US federal holidays whose date falls in `year`, by `YYYY-MM-DD`, observed days included. */
export function federalHolidays(year: number): Map<string, string> {
  const days = new Map<string, string>();
  const fixed: [number, number, number, string][] = [
    [year, 1, 1, "New Year's Day"],
    [year, 6, 19, 'Juneteenth'],
    [year, 7, 4, 'Independence Day'],
    [year, 11, 11, 'Veterans Day'],
    [year, 12, 25, 'Christmas Day'],
    // Next year's New Year's Day on a Saturday is observed on this year's December 31.
    [year + 1, 1, 1, "New Year's Day"],
  ];
  for (const [y, m, d, name] of fixed) {
    const ms = utc(y, m, d);
    if (y === year) days.set(iso(ms), name);
    const weekday = new Date(ms).getUTCDay();
    const observed = weekday === 6 ? ms - DAY_MS : weekday === 0 ? ms + DAY_MS : undefined;
    if (observed !== undefined && new Date(observed).getUTCFullYear() === year) {
      days.set(iso(observed), `${name} (observed)`);
    }
  }
  days.set(iso(nthWeekday(year, 1, 1, 3)), 'Martin Luther King Jr. Day');
  days.set(iso(nthWeekday(year, 2, 1, 3)), "Washington's Birthday");
  days.set(iso(nthWeekday(year, 5, 1, -1)), 'Memorial Day');
  days.set(iso(nthWeekday(year, 9, 1, 1)), 'Labor Day');
  days.set(iso(nthWeekday(year, 10, 1, 2)), 'Columbus Day');
  days.set(iso(nthWeekday(year, 11, 4, 4)), 'Thanksgiving Day');
  return days;
}

/** Today's date and the hour in the pickup time zone. */
export function localDateAndHour(now: Date): { date: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: PICKUP_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

/** Why no pickup can be had on `date` (a Sunday or a holiday), or undefined. */
export function nonPickupDayReason(date: string): string | undefined {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) return 'not a date';
  if (new Date(ms).getUTCDay() === 0) return 'Sunday';
  return federalHolidays(new Date(ms).getUTCFullYear()).get(date);
}

/** The dates a pickup can be booked for at `now`, soonest first. */
export function bookablePickupDates(now: Date, windowDays = BOOKING_WINDOW_DAYS): string[] {
  const local = localDateAndHour(now);
  const today = Date.parse(`${local.date}T00:00:00Z`);
  const dates: string[] = [];
  for (let i = local.hour < SAME_DAY_CUTOFF_HOUR ? 0 : 1; i <= windowDays; i++) {
    const date = iso(today + i * DAY_MS);
    if (nonPickupDayReason(date) === undefined) dates.push(date);
  }
  return dates;
}
