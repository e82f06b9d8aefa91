import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Holidays from 'date-holidays';
import {
  bookablePickupDates,
  endOfPickupDay,
  federalHolidays,
  localDateAndHour,
  nonDeliveryDayReason,
  pickupDateProblem,
} from './delivery-days';

// Wednesday 2025-05-07, 10:00 in Chicago (CDT, UTC−5)
const WEDNESDAY_MORNING = new Date('2025-05-07T15:00:00Z');

describe('delivery-day rules', () => {
  it('accepts a Monday to Saturday that is not a holiday', () => {
    expect(pickupDateProblem('2025-05-08', WEDNESDAY_MORNING, 21)).toBeUndefined();
    expect(pickupDateProblem('2025-05-10', WEDNESDAY_MORNING, 21)).toBeUndefined();
  });

  it('refuses a Sunday pickup', () => {
    expect(pickupDateProblem('2025-05-11', WEDNESDAY_MORNING, 21)).toMatch(/Sunday/);
  });

  it('refuses federal holidays', () => {
    expect(nonDeliveryDayReason('2025-05-26')).toMatch(/Memorial Day/);
    expect(nonDeliveryDayReason('2025-07-04')).toMatch(/holiday/);
    expect(nonDeliveryDayReason('2025-12-25')).toMatch(/holiday/);
    expect(nonDeliveryDayReason('2026-01-19')).toMatch(/Martin Luther King/);
    expect(nonDeliveryDayReason('2025-11-27')).toMatch(/Thanksgiving/);
    expect(pickupDateProblem('2025-05-26', WEDNESDAY_MORNING, 21)).toMatch(/holiday/);
  });

  it('refuses the observed day of a holiday on a weekend, as USPS closes on both', () => {
    // July 4, 2026 is a Saturday: observed Friday July 3
    expect(nonDeliveryDayReason('2026-07-03')).toMatch(/Independence Day/);
    expect(nonDeliveryDayReason('2026-07-04')).toMatch(/Independence Day/);
    expect(nonDeliveryDayReason('2026-07-02')).toBeUndefined();
    // Juneteenth 2027 is a Saturday: observed Friday June 18
    expect(nonDeliveryDayReason('2027-06-18')).toMatch(/Juneteenth/);
    expect(nonDeliveryDayReason('2027-06-19')).toMatch(/Juneteenth/);
    // New Year's Day 2028 is a Saturday: observed Friday December 31, 2027, in the year before
    expect(nonDeliveryDayReason('2027-12-31')).toMatch(/New Year/);
    expect(nonDeliveryDayReason('2028-01-01')).toMatch(/New Year/);
    // July 4, 2027 is a Sunday: observed Monday July 5
    expect(nonDeliveryDayReason('2027-07-05')).toMatch(/Independence Day/);
  });

  it('derives the observed Veterans Day that date-holidays leaves out', () => {
    // November 11, 2028 is a Saturday (observed Friday the 10th); 2029 a Sunday (observed Monday the 12th)
    expect(nonDeliveryDayReason('2028-11-10')).toMatch(/Veterans Day \(observed\)/);
    expect(nonDeliveryDayReason('2028-11-11')).toMatch(/Veterans Day/);
    expect(nonDeliveryDayReason('2029-11-12')).toMatch(/Veterans Day \(observed\)/);
    expect(nonDeliveryDayReason('2028-11-09')).toBeUndefined();
    expect(pickupDateProblem('2028-11-10', new Date('2028-11-01T15:00:00Z'), 21)).toMatch(/federal holiday/);
  });

  it("keeps every day date-holidays lists and adds only Veterans Day's observed day (2024–2040)", () => {
    const calendar = new Holidays('US');
    for (let year = 2024; year <= 2040; year++) {
      const listed = calendar
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10));
      const added = [...federalHolidays(year).keys()].filter((d) => !listed.includes(d));
      expect(listed.every((d) => federalHolidays(year).has(d))).toBe(true);
      expect(added.every((d) => /Veterans Day \(observed\)/.test(federalHolidays(year).get(d)!))).toBe(true);
    }
  });

  it('adds no observed day for a holiday on a weekday', () => {
    // Christmas 2025 is a Thursday: Friday the 26th and Wednesday the 24th are delivery days
    expect(nonDeliveryDayReason('2025-12-26')).toBeUndefined();
    expect(nonDeliveryDayReason('2025-12-24')).toBeUndefined();
    expect([...federalHolidays(2025).keys()].every((d) => d.startsWith('2025-'))).toBe(true);
  });

  it('knows the eleven federal holidays of a year', () => {
    expect(federalHolidays(2025).size).toBeGreaterThanOrEqual(11);
  });

  it('refuses past dates and dates beyond the booking window', () => {
    expect(pickupDateProblem('2025-05-06', WEDNESDAY_MORNING, 21)).toMatch(/past/);
    expect(pickupDateProblem('2025-05-28', WEDNESDAY_MORNING, 21)).toBeUndefined();
    expect(pickupDateProblem('2025-05-29', WEDNESDAY_MORNING, 21)).toMatch(/more than 21 days/);
    expect(pickupDateProblem('2025-05-21', WEDNESDAY_MORNING, 14)).toBeUndefined();
  });

  it('refuses malformed and impossible dates', () => {
    expect(pickupDateProblem('2025-02-30', WEDNESDAY_MORNING, 21)).toMatch(/not a calendar date/);
    expect(pickupDateProblem('07/05/2025', WEDNESDAY_MORNING, 21)).toMatch(/not a calendar date/);
  });

  it('books today only before 2:00 AM Chicago time', () => {
    // 01:59 CDT on Wednesday = 06:59 UTC
    expect(pickupDateProblem('2025-05-07', new Date('2025-05-07T06:59:00Z'), 21)).toBeUndefined();
    // 02:00 CDT
    expect(pickupDateProblem('2025-05-07', new Date('2025-05-07T07:00:00Z'), 21)).toMatch(/2:00 AM/);
  });

  it('uses the Chicago date, not the UTC date', () => {
    // 03:00 UTC on Thursday is still Wednesday 22:00 in Chicago: Wednesday is today (past the cut-off), Thursday is tomorrow
    const lateWednesday = new Date('2025-05-08T03:00:00Z');
    expect(localDateAndHour(lateWednesday)).toEqual({ date: '2025-05-07', hour: 22 });
    expect(pickupDateProblem('2025-05-08', lateWednesday, 21)).toBeUndefined();
    expect(pickupDateProblem('2025-05-07', lateWednesday, 21)).toMatch(/2:00 AM/);
  });

  it('applies the cut-off in winter time too (CST, UTC−6)', () => {
    expect(pickupDateProblem('2025-01-08', new Date('2025-01-08T07:59:00Z'), 21)).toBeUndefined();
    expect(pickupDateProblem('2025-01-08', new Date('2025-01-08T08:00:00Z'), 21)).toMatch(/2:00 AM/);
  });

  it('ends a pickup day at local midnight across daylight-saving changes', () => {
    expect(endOfPickupDay('2025-05-07').toISOString()).toBe('2025-05-08T05:00:00.000Z');
    expect(endOfPickupDay('2025-01-08').toISOString()).toBe('2025-01-09T06:00:00.000Z');
    expect(endOfPickupDay('2025-03-08').toISOString()).toBe('2025-03-09T06:00:00.000Z');
    expect(endOfPickupDay('2025-11-01').toISOString()).toBe('2025-11-02T05:00:00.000Z');
  });

  it('knows exactly the federal holidays date-holidays lists, plus the observed Veterans Day (2024–2040)', () => {
    const calendar = new Holidays('US');
    for (let year = 2024; year <= 2040; year++) {
      const listed = calendar
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10));
      // date-holidays leaves out the observed Veterans Day (5 U.S.C. 6103(b)).
      const veterans = new Date(Date.UTC(year, 10, 11)).getUTCDay();
      if (veterans === 6) listed.push(`${year}-11-10`);
      if (veterans === 0) listed.push(`${year}-11-12`);
      expect([...federalHolidays(year).keys()].sort()).toEqual([...new Set(listed)].sort());
    }
  });

  // The portal's pickup date picker (apps/web) offers exactly these days.
  it('offers only delivery days from tomorrow to the end of the window after the same-day cut-off', () => {
    // Wednesday 2026-11-25 at noon in Chicago: Thanksgiving and the Sundays drop out.
    const dates = bookablePickupDates(new Date('2026-11-25T18:00:00Z'), 14);
    expect(dates[0]).toBe('2026-11-27');
    expect(dates).not.toContain('2026-11-26');
    expect(dates).not.toContain('2026-11-29');
    expect(dates).not.toContain('2026-12-06');
    expect(dates.at(-1)).toBe('2026-12-09');
    expect(dates.every((d) => pickupDateProblem(d, new Date('2026-11-25T18:00:00Z'), 14) === undefined)).toBe(true);
  });

  it('offers today before 2:00 AM Central time', () => {
    expect(bookablePickupDates(new Date('2026-11-25T07:30:00Z'))[0]).toBe('2026-11-25');
  });

  it('imports nothing, so the browser bundle can share it', () => {
    const source = readFileSync(join(__dirname, 'delivery-days.ts'), 'utf8');
    expect(source).not.toMatch(/^import /m);
  });
});
