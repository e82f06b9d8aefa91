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
