import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addDays,
  bookablePickupDates,
  localDateAndHour,
  PICKUP_PICKER_DAYS,
} from '@app/contracts/calendar/delivery-days';
import { closedDayReason } from '../lib/closed-day';
import { longDate, monthAndDay, weekdayInitials } from '../lib/format';

interface CalendarDay {
  date: string;
  /** why no pickup can be booked for it; undefined when one can */
  reason?: string;
}

/**
 * The pickup date as a month calendar that is a radio group: Tab enters it on the chosen day, the arrow
 * keys move between bookable days (the browser's own radio behaviour, so every screen reader knows it),
 * each day is named in full ("Monday, December 7, 2026"), and a day without pickups is a disabled radio
 * whose description says why (Sunday, federal holiday, too late for today).
 */
export function PickupCalendar({
  legend,
  value,
  onChange,
  now,
}: {
  legend: string;
  value: string;
  onChange: (date: string) => void;
  now: Date;
}) {
  const { t } = useTranslation();
  const id = useId();
  const months = useMemo(() => {
    const today = localDateAndHour(now).date;
    const bookable = new Set(bookablePickupDates(now));
    const days: CalendarDay[] = [];
    for (let i = 0; i <= PICKUP_PICKER_DAYS; i++) {
      const date = addDays(today, i);
      if (bookable.has(date)) {
        days.push({ date });
        continue;
      }
      days.push({ date, reason: closedDayReason(date, t) });
    }
    const byMonth = new Map<string, CalendarDay[]>();
    for (const day of days) byMonth.set(day.date.slice(0, 7), [...(byMonth.get(day.date.slice(0, 7)) ?? []), day]);
    return [...byMonth.values()];
  }, [now, t]);
  const initials = weekdayInitials();
  return (
    <fieldset className="calendar">
      <legend>{legend}</legend>
      {months.map((days) => (
        <div key={days[0].date} className="calendar-month">
          <p className="calendar-caption">{monthAndDay(days[0].date).month}</p>
          {/* The day names are in each day's own name; these initials are for the eye only. */}
          <div className="calendar-grid calendar-weekdays" aria-hidden="true">
            {initials.map((initial, i) => (
              <span key={i}>{initial}</span>
            ))}
          </div>
          <div className="calendar-grid">
            {days.map((day, i) => {
              const column = new Date(`${day.date}T00:00:00Z`).getUTCDay() + 1;
              const why = `${id}-${day.date}-why`;
              return (
                // Classes, not inline styles, place the first day under its weekday (the CSP refuses inline styles).
                <label key={day.date} className={`calendar-day${i === 0 ? ` start-${column}` : ''}`}>
                  <input
                    type="radio"
                    name={`${id}-date`}
                    value={day.date}
                    checked={value === day.date}
                    disabled={day.reason !== undefined}
                    aria-label={longDate(day.date)}
                    aria-describedby={day.reason ? why : undefined}
                    onChange={() => onChange(day.date)}
                  />
                  <span aria-hidden="true">{monthAndDay(day.date).day}</span>
                  {day.reason ? (
                    <span id={why} className="visually-hidden">
                      {day.reason}
                    </span>
                  ) : null}
                </label>
              );
            })}
          </div>
        </div>
      ))}
    </fieldset>
  );
}
