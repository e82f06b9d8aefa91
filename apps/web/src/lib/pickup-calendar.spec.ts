import Holidays from 'date-holidays';
import { bookablePickupDates, federalHolidays, nonPickupDayReason } from './pickup-calendar';

describe('pickup calendar (client side)', () => {
  it('knows the same federal holidays as the pickup service, observed days included', () => {
    const calendar = new Holidays('US');
    for (let year = 2024; year <= 2040; year++) {
      const server = calendar
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10));
      // The server adds the observed Veterans Day, which date-holidays leaves out (5 U.S.C. 6103(b)).
      const veterans = new Date(Date.UTC(year, 10, 11)).getUTCDay();
      if (veterans === 6) server.push(`${year}-11-10`);
      if (veterans === 0) server.push(`${year}-11-12`);
      expect([...federalHolidays(year).keys()].sort()).toEqual(server.sort());
    }
  });

  it('refuses Sundays and holidays but offers Saturdays', () => {
    expect(nonPickupDayReason('2026-11-29')).toBe('Sunday');
    expect(nonPickupDayReason('2026-11-26')).toBe('Thanksgiving Day');
    expect(nonPickupDayReason('2026-11-28')).toBeUndefined();
  });

  it('offers only delivery days from tomorrow to the end of the window after the same-day cut-off', () => {
    // Wednesday 2026-11-25 at noon in Chicago: Thanksgiving and the Sundays drop out.
    const dates = bookablePickupDates(new Date('2026-11-25T18:00:00Z'), 14);
    expect(dates[0]).toBe('2026-11-27');
    expect(dates).not.toContain('2026-11-26');
    expect(dates).not.toContain('2026-11-29');
    expect(dates).not.toContain('2026-12-06');
    expect(dates.at(-1)).toBe('2026-12-09');
  });

  it('offers today before 2:00 AM Central time', () => {
    expect(bookablePickupDates(new Date('2026-11-25T07:30:00Z'))[0]).toBe('2026-11-25');
  });
});
