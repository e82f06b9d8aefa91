/** E.164 phone numbers. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

export const DEFAULT_TIME_ZONE = 'America/New_York';

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
