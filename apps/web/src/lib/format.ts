import { intlLocale } from '../i18n/i18n';

export function money(cents: number): string {
  return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: 'USD' }).format(cents / 100);
}

export function dateTime(value: string | undefined): string {
  if (!value) return '';
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}

/** `YYYY-MM-DD` as "Fri, Nov 27, 2026" in the page's language (the date itself, whatever the viewer's time zone). */
export function calendarDate(date: string): string {
  return new Intl.DateTimeFormat(intlLocale(), {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** `available_for_pickup` → "Available for pickup". */
export function humanize(value: string): string {
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Splits what a person typed or pasted into tracking numbers (spaces inside a number are dropped). */
export function parseTrackingNumbers(input: string): string[] {
  const numbers = input
    .split(/[,;\n]+/)
    .flatMap((chunk) => (/^[\d\s]+$/.test(chunk.trim()) ? [chunk.replace(/\s+/g, '')] : chunk.trim().split(/\s+/)))
    .map((n) => n.trim().toUpperCase())
    .filter((n) => n.length > 0);
  return [...new Set(numbers)];
}

/** `YYYY-MM-DD` as "Monday, December 7, 2026": a calendar day's full name for a screen reader. */
export function longDate(date: string): string {
  return new Intl.DateTimeFormat(intlLocale(), {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** `YYYY-MM-DD` → its month as "December 2026" and its day of the month as "7", in the page's language. */
export function monthAndDay(date: string): { month: string; day: string } {
  const at = new Date(`${date}T00:00:00Z`);
  return {
    month: new Intl.DateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at),
    day: new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', timeZone: 'UTC' }).format(at),
  };
}

/** The week's day initials, Sunday first, in the page's language. */
export function weekdayInitials(): string[] {
  const format = new Intl.DateTimeFormat(intlLocale(), { weekday: 'narrow', timeZone: 'UTC' });
  // 2026-11-29 is a Sunday.
  return [0, 1, 2, 3, 4, 5, 6].map((i) => format.format(new Date(Date.UTC(2026, 10, 29 + i))));
}
