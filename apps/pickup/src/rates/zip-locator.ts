import { codes, lookup } from 'zipcodes';

export interface ZipArea {
  zip5: string;
  zip3: string;
  state: string;
  city: string;
  latitude: number;
  longitude: number;
}

interface Centroid {
  latitude: number;
  longitude: number;
}

let zip3Centroids: Map<string, Centroid> | undefined;

// USPS zone charts measure between ZIP3 sectional centres; the mean of a ZIP3's coordinates stands in for its centre.
function centroids(): Map<string, Centroid> {
  if (zip3Centroids) return zip3Centroids;
  const sums = new Map<string, { lat: number; lon: number; n: number }>();
  for (const entry of Object.values(codes)) {
    if (entry.country !== 'US' || !/^\d{5}$/.test(entry.zip)) continue;
    const key = entry.zip.slice(0, 3);
    const sum = sums.get(key) ?? { lat: 0, lon: 0, n: 0 };
    sum.lat += entry.latitude;
    sum.lon += entry.longitude;
    sum.n += 1;
    sums.set(key, sum);
  }
  zip3Centroids = new Map([...sums].map(([key, s]) => [key, { latitude: s.lat / s.n, longitude: s.lon / s.n }]));
  return zip3Centroids;
}

/** Looks a US ZIP (5 digits or ZIP+4) up in the ZIP database; undefined when it does not exist. */
export function locateZip(zip: string): ZipArea | undefined {
  const match = /^(\d{5})(?:-?\d{4})?$/.exec(zip.trim());
  if (!match) return undefined;
  const entry = lookup(match[1]);
  if (!entry || entry.country !== 'US') return undefined;
  const zip3 = match[1].slice(0, 3);
  const centre = centroids().get(zip3) ?? { latitude: entry.latitude, longitude: entry.longitude };
  return { zip5: match[1], zip3, state: entry.state, city: entry.city, ...centre };
}
