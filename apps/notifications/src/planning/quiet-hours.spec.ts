import { quietHoursEnd } from './quiet-hours';

describe('quietHoursEnd', () => {
  it('lets a message go at noon local time', () => {
    expect(quietHoursEnd(new Date('2025-06-10T16:00:00Z'), 'America/New_York')).toBeUndefined();
  });

  it('holds a message sent at 22:00 local until 08:00 the next morning', () => {
    // 22:00 EDT on 10 June = 02:00Z on 11 June; 08:00 EDT on 11 June = 12:00Z
    expect(quietHoursEnd(new Date('2025-06-11T02:00:00Z'), 'America/New_York')?.toISOString()).toBe(
      '2025-06-11T12:00:00.000Z',
    );
  });

  it('holds a message sent at 03:00 local until 08:00 the same day', () => {
    // 03:00 in Tokyo (UTC+9) = 18:00Z the day before
    expect(quietHoursEnd(new Date('2025-01-14T18:00:00Z'), 'Asia/Tokyo')?.toISOString()).toBe(
      '2025-01-14T23:00:00.000Z',
    );
  });

  it('uses the offset in force after a daylight-saving change', () => {
    // 23:00 CET on 29 March 2025; Europe switches to CEST (UTC+2) that night
    expect(quietHoursEnd(new Date('2025-03-29T22:00:00Z'), 'Europe/Berlin')?.toISOString()).toBe(
      '2025-03-30T06:00:00.000Z',
    );
  });

  it('treats an unknown time zone as UTC', () => {
    expect(quietHoursEnd(new Date('2025-06-10T23:30:00Z'), 'Mars/Olympus')?.toISOString()).toBe(
      '2025-06-11T08:00:00.000Z',
    );
  });

  it('counts 08:00 local as outside quiet hours', () => {
    expect(quietHoursEnd(new Date('2025-06-10T08:00:00Z'), 'UTC')).toBeUndefined();
  });
});
