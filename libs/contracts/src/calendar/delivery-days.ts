// The postal calendar shared by carrier pickups (apps/pickup), delivery requests (apps/tracking:
// redelivery, Hold Mail) and the web portal's date pickers (apps/web imports this file through its
// `@app/contracts/*` alias): delivery days are Monday–Saturday except US federal holidays, and the
// day's cut-offs follow the clock of the service's central time zone. Pure code with no dependency,
// so the browser bundle gets the same rules; the spec checks it against date-holidays.

/** Carrier pickups and their cut-offs follow the clock of the postal service's central time zone. */
export const PICKUP_TIME_ZONE = 'America/Chicago';
/** A same-day pickup can be booked only before this hour, local time. */
export const SAME_DAY_CUTOFF_HOUR = 2;
/** How many days ahead the portal offers for a pickup: the pickup service books at least this far (its PICKUP_BOOKING_WINDOW_DAYS). */
export const PICKUP_PICKER_DAYS = 14;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The US federal holidays (5 U.S.C. 6103(a)) by id; holiday-names.ts names them in every language. */
export const HOLIDAY_IDS = [
  'new_years_day',
  'martin_luther_king_day',
  'washingtons_birthday',
  'memorial_day',
  'juneteenth',
  'independence_day',
  'labor_day',
  'columbus_day',
  'veterans_day',
  'thanksgiving_day',
  'christmas_day',
] as const;
export type HolidayId = (typeof HOLIDAY_IDS)[number];

/** Their names in the law, which server messages quote. */
export const HOLIDAY_ENGLISH_NAMES: Record<HolidayId, string> = {
  new_years_day: "New Year's Day",
  martin_luther_king_day: 'Martin Luther King Jr. Day',
  washingtons_birthday: "Washington's Birthday",
  memorial_day: 'Memorial Day',
  juneteenth: 'Juneteenth',
  independence_day: 'Independence Day',
  labor_day: 'Labor Day',
  columbus_day: 'Columbus Day',
  veterans_day: 'Veterans Day',
  thanksgiving_day: 'Thanksgiving Day',
  christmas_day: 'Christmas Day',
};

const holidaysByYear = new Map<number, Map<string, string>>();
const holidayIdsByYear = new Map<number, Map<string, { id: HolidayId; observed: boolean }>>();

function isoOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The n-th (1-based) weekday (0 = Sunday) of a month, or the last one when n is -1, at UTC midnight. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = Date.UTC(year, month - 1, 1);
    const offset = (weekday - new Date(first).getUTCDay() + 7) % 7;
    return first + (offset + (n - 1) * 7) * DAY_MS;
  }
  const last = Date.UTC(year, month, 0);
  return last - ((new Date(last).getUTCDay() - weekday + 7) % 7) * DAY_MS;
}

/**
 * The days of a year without carrier pickups, by `YYYY-MM-DD`: every US federal holiday (5 U.S.C.
 * 6103(a)) and its observed day. A fixed-date holiday on a Saturday is observed the Friday before
 * (New Year's Day 2028 on Friday 2027-12-31), one on a Sunday the Monday after (6103(b)); USPS
 * delivers on neither the holiday nor its observed day.
 */
export function federalHolidays(year: number): Map<string, string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    days = new Map();
    for (const [date, { id, observed }] of federalHolidayIds(year)) {
      days.set(date, observed ? `${HOLIDAY_ENGLISH_NAMES[id]} (observed)` : HOLIDAY_ENGLISH_NAMES[id]);
    }
    holidaysByYear.set(year, days);
  }
  return days;
}

/** The same days as federalHolidays, by holiday id (holiday-names.ts names them in every language). */
export function federalHolidayIds(year: number): Map<string, { id: HolidayId; observed: boolean }> {
  let days = holidayIdsByYear.get(year);
  if (!days) {
    days = new Map();
    const fixed: [number, number, number, HolidayId][] = [
      [year, 1, 1, 'new_years_day'],
      [year, 6, 19, 'juneteenth'],
      [year, 7, 4, 'independence_day'],
      [year, 11, 11, 'veterans_day'],
      [year, 12, 25, 'christmas_day'],
      // Next year's New Year's Day on a Saturday is observed on this year's December 31.
      [year + 1, 1, 1, 'new_years_day'],
    ];
    for (const [y, m, d, id] of fixed) {
      const ms = Date.UTC(y, m - 1, d);
      if (y === year) days.set(isoOf(ms), { id, observed: false });
      const weekday = new Date(ms).getUTCDay();
      const observed = weekday === 6 ? ms - DAY_MS : weekday === 0 ? ms + DAY_MS : undefined;
      if (observed !== undefined && new Date(observed).getUTCFullYear() === year) {
        days.set(isoOf(observed), { id, observed: true });
      }
    }
    days.set(isoOf(nthWeekday(year, 1, 1, 3)), { id: 'martin_luther_king_day', observed: false });
    days.set(isoOf(nthWeekday(year, 2, 1, 3)), { id: 'washingtons_birthday', observed: false });
    days.set(isoOf(nthWeekday(year, 5, 1, -1)), { id: 'memorial_day', observed: false });
    days.set(isoOf(nthWeekday(year, 9, 1, 1)), { id: 'labor_day', observed: false });
    days.set(isoOf(nthWeekday(year, 10, 1, 2)), { id: 'columbus_day', observed: false });
    days.set(isoOf(nthWeekday(year, 11, 4, 4)), { id: 'thanksgiving_day', observed: false });
    holidayIdsByYear.set(year, days);
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

/** The dates a carrier pickup can be booked for at `now`, soonest first (what the portal's picker offers). */
export function bookablePickupDates(now: Date, windowDays = PICKUP_PICKER_DAYS): string[] {
  const local = localDateAndHour(now);
  const dates: string[] = [];
  for (let i = local.hour < SAME_DAY_CUTOFF_HOUR ? 0 : 1; i <= windowDays; i++) {
    const date = addDays(local.date, i);
    if (nonDeliveryDayReason(date) === undefined) dates.push(date);
  }
  return dates;
}
