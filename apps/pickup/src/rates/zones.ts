import type { ZipArea } from './zip-locator';

/** Territories and freely associated states that USPS prices as zone 9. */
const ZONE_9_STATES = new Set(['PR', 'VI', 'GU', 'AS', 'MP', 'FM', 'MH', 'PW', 'AA', 'AE', 'AP']);

/** Upper bounds in miles of zones 1–8, as on USPS zone charts (zone 1 local … zone 8 over 1800 miles). */
const ZONE_LIMITS_MILES = [50, 150, 300, 600, 1000, 1400, 1800] as const;

const EARTH_RADIUS_MILES = 3958.8;

export function distanceMiles(a: ZipArea, b: ZipArea): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.sqrt(h));
}

/** The USPS zone (1–9) between two ZIP areas. */
export function zoneBetween(origin: ZipArea, destination: ZipArea): number {
  const offshore = ZONE_9_STATES.has(origin.state) || ZONE_9_STATES.has(destination.state);
  if (offshore && origin.state !== destination.state) return 9;
  if (origin.zip3 === destination.zip3) return 1;
  const miles = distanceMiles(origin, destination);
  const index = ZONE_LIMITS_MILES.findIndex((limit) => miles <= limit);
  return index === -1 ? 8 : index + 1;
}
