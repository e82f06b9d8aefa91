export interface QuietHours {
  /** local hour (0–23) quiet time starts */
  startHour: number;
  /** local hour (0–23) quiet time ends */
  endHour: number;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { startHour: 21, endHour: 8 };

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetMs(instant: Date, timeZone: string): number {
  const t = localTime(instant, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

function inQuiet(hour: number, quiet: QuietHours): boolean {
  return quiet.startHour > quiet.endHour
    ? hour >= quiet.startHour || hour < quiet.endHour
    : hour >= quiet.startHour && hour < quiet.endHour;
}

/**
 * When a message may go out: `undefined` if now is fine, else the instant quiet hours end in the
 * recipient's zone (an unknown zone counts as UTC).
 */
export function quietHoursEnd(now: Date, timeZone: string | undefined, quiet = DEFAULT_QUIET_HOURS): Date | undefined {
  const zone = timeZone && isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const local = localTime(now, zone);
  if (!inQuiet(local.hour, quiet)) return undefined;
  const nextDay = quiet.startHour > quiet.endHour && local.hour >= quiet.startHour;
  const wall = Date.UTC(local.year, local.month - 1, local.day + (nextDay ? 1 : 0), quiet.endHour, 0, 0);
  // The offset at the target instant can differ from now's across a DST change: settle it twice.
  let target = wall - offsetMs(now, zone);
  target = wall - offsetMs(new Date(target), zone);
  return new Date(target);
}
