import type { TFunction } from 'i18next';
import { federalHolidayIds } from '@app/contracts/calendar/delivery-days';

/**
 * Why no pickup can be booked for a day the calendar shows (it is not bookable): a Sunday, a federal holiday
 * named in the page's language ("Federal holiday (Thanksgiving Day): no pickups."), or too late for today.
 */
export function closedDayReason(date: string, t: TFunction): string {
  if (new Date(`${date}T00:00:00Z`).getUTCDay() === 0) return t('calendar.sunday');
  const holiday = federalHolidayIds(Number(date.slice(0, 4))).get(date);
  if (!holiday) return t('calendar.tooLate');
  const name = t(`holidays.${holiday.id}`);
  return t('calendar.holiday', { name: holiday.observed ? t('holidays.observed', { name }) : name });
}
