import {
  endOfPickupDay,
  federalHolidays,
  localDateAndHour,
  nonDeliveryDayReason,
  pickupDateProblem,
} from './delivery-day-rules';

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
});
