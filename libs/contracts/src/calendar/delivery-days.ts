import Holidays from 'date-holidays';

// The postal calendar shared by carrier pickups (apps/pickup) and delivery requests (apps/tracking:
// redelivery, Hold Mail): delivery days are Monday–Saturday except US federal holidays, and the
// day's cut-offs follow the clock of the service's central time zone.

/** Carrier pickups and their cut-offs follow the clock of the postal service's central time zone. */
export const PICKUP_TIME_ZONE = 'America/Chicago';
/** A same-day pickup can be booked only before this hour, local time. */
export const SAME_DAY_CUTOFF_HOUR = 2;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

const holidayCalendar = new Holidays('US');
const holidaysByYear = new Map<number, Map<string, string>>();

/**
 * The days of a year without carrier pickups, by `YYYY-MM-DD`: every US federal (public) holiday
 * and its observed day. A holiday on a Saturday is observed the Friday before (New Year's Day 2028
 * on Friday 2027-12-31), one on a Sunday the Monday after (5 U.S.C. 6103(b)); USPS delivers on
 * neither the holiday nor its observed day. date-holidays lists most observed days as substitutes
 * but not Veterans Day's, so they are derived here and its substitutes are kept as they are.
 */
export function federalHolidays(year: number): Map<string, string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    days = new Map();
    for (const holiday of [...holidayCalendar.getHolidays(year), ...holidayCalendar.getHolidays(year + 1)]) {
      if (holiday.type !== 'public') continue;
      const date = holiday.date.slice(0, 10);
      if (date.startsWith(`${year}-`) && !days.has(date)) days.set(date, holiday.name);
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      const observed = weekday === 6 ? addDays(date, -1) : weekday === 0 ? addDays(date, 1) : undefined;
      if (observed?.startsWith(`${year}-`) && !days.has(observed) && !holiday.substitute) {
        days.set(observed, `${holiday.name} (observed)`);
      }
    }
    holidaysByYear.set(year, days);
  }
  return days;
}

/** The calendar date and hour of an instant in the pickup time zone. */
export function localDateAndHour(now: Date, timeZone = PICKUP_TIME_ZONE): { date: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

/** Milliseconds since the epoch of a `YYYY-MM-DD` at UTC midnight, or undefined for a non-date. */
function parseDate(date: string): number | undefined {
  const match = DATE_PATTERN.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms;
}

/** Adds days to a `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const ms = parseDate(date);
  if (ms === undefined) throw new Error(`not a date: ${date}`);
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

/** Why `date` is not a delivery day (Sunday or federal holiday), or undefined when it is. */
export function nonDeliveryDayReason(date: string): string | undefined {
  const ms = parseDate(date);
  if (ms === undefined) return `${date} is not a calendar date (YYYY-MM-DD)`;
  if (new Date(ms).getUTCDay() === 0) return `${date} is a Sunday: no pickups on Sundays`;
  const holiday = federalHolidays(new Date(ms).getUTCFullYear()).get(date);
  if (holiday) return `${date} is a federal holiday (${holiday}): no pickups`;
  return undefined;
}

/**
 * Why a carrier pickup cannot be booked for `date` at instant `now`, or undefined when it can:
 * a delivery day (Monday–Saturday, not a federal holiday), today only before 2:00 AM in
 * America/Chicago, and at most `windowDays` ahead.
 */
export function pickupDateProblem(date: string, now: Date, windowDays: number): string | undefined {
  const ms = parseDate(date);
  if (ms === undefined) return `${date} is not a calendar date (YYYY-MM-DD)`;
  const local = localDateAndHour(now);
  const today = parseDate(local.date) as number;
  if (ms < today) return `${date} is in the past`;
  if (ms === today && local.hour >= SAME_DAY_CUTOFF_HOUR) {
    return `a pickup for today must be booked before ${SAME_DAY_CUTOFF_HOUR}:00 AM Central time`;
  }
  if (ms > today + windowDays * DAY_MS) return `${date} is more than ${windowDays} days ahead`;
  return nonDeliveryDayReason(date);
}

/** The instant a pickup day ends: midnight after `date` in the pickup time zone. */
export function endOfPickupDay(date: string): Date {
  const next = parseDate(addDays(date, 1)) as number;
  // Midnight local is UTC midnight shifted by the zone's offset at that moment; two guesses cover DST changes.
  let guess = next;
  for (let i = 0; i < 2; i++) {
    const local = localWallClockMs(new Date(guess));
    guess += next - local;
  }
  return new Date(guess);
}

function localWallClockMs(instant: Date): number {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: PICKUP_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** Today's date (`YYYY-MM-DD`) in the pickup (postal central) time zone. */
export function centralDate(now: Date): string {
  return localDateAndHour(now).date;
}

/** Whether `date` is a valid `YYYY-MM-DD` calendar date. */
export function isCalendarDate(date: string): boolean {
  return parseDate(date) !== undefined;
}

/**
 * The first `count` delivery days after `date` (exclusive), soonest first: Monday–Saturday, no
 * federal holiday (nor its observed day).
 */
export function deliveryDaysAfter(date: string, count: number): string[] {
  const days: string[] = [];
  // A year holds far more than any count asked for; the bound only guards against a bad input.
  for (let day = addDays(date, 1), i = 0; days.length < count && i < 400; day = addDays(day, 1), i++) {
    if (nonDeliveryDayReason(day) === undefined) days.push(day);
  }
  return days;
}

/** The instant a day starts (midnight) in the pickup time zone. */
export function startOfPickupDay(date: string): Date {
  return endOfPickupDay(addDays(date, -1));
}

/**
 * Whether the change cut-off of a day has passed at `now`: a request for `date` may change only
 * before `SAME_DAY_CUTOFF_HOUR` (2:00 AM) Central time on that day.
 */
export function changeCutoffPassed(date: string, now: Date): boolean {
  const local = localDateAndHour(now);
  return local.date > date || (local.date === date && local.hour >= SAME_DAY_CUTOFF_HOUR);
}
