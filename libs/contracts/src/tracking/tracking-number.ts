/** The two families of tracking numbers the portal accepts. */
export type TrackingNumberKind = 'impb' | 's10';

export type TrackingNumberCheck =
  { valid: true; trackingNumber: string; kind: TrackingNumberKind } | { valid: false; reason: string };

const IMPB_PATTERN = /^9[1-5]\d{18,20}$/;
const ROUTING_PREFIX_LENGTHS = [12, 8] as const; // `420` + ZIP9, `420` + ZIP5
const S10_PATTERN = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/;
const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;
// Codes that Intl knows as regions but that are not ISO 3166-1 countries.
const NON_COUNTRY_REGIONS = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ']);
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** Removes spaces and upper-cases letters: the form numbers are stored and compared in. */
export function normalizeTrackingNumber(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/**
 * The IMpb MOD 10 check digit (USPS Publication 199) of a body without its check digit:
 * weights 3, 1, 3, 1… from the rightmost digit; check = (10 − sum mod 10) mod 10.
 */
export function computeImpbCheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new Error('an IMpb body is digits only');
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** The UPU S10 check digit of the 8-digit serial: weights 8 6 4 2 3 5 9 7, 11 − sum mod 11, 10 → 0, 11 → 5. */
export function computeS10CheckDigit(serial: string): number {
  if (!/^\d{8}$/.test(serial)) throw new Error('an S10 serial is 8 digits');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (serial.charCodeAt(i) - 48) * S10_WEIGHTS[i];
  const check = 11 - (sum % 11);
  if (check === 10) return 0;
  if (check === 11) return 5;
  return check;
}

export function isIso3166CountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !NON_COUNTRY_REGIONS.has(code) && regionNames.of(code) !== code;
}

function checkImpb(digits: string): TrackingNumberCheck {
  // A scanned barcode may carry the `420` + ZIP routing prefix; the tracking number follows it.
  const candidates = [digits];
  if (digits.startsWith('420')) for (const len of ROUTING_PREFIX_LENGTHS) candidates.push(digits.slice(len));
  const number = candidates.find((c) => IMPB_PATTERN.test(c));
  if (!number) {
    return { valid: false, reason: 'an IMpb tracking number has 20 to 22 digits and starts with 91 to 95' };
  }
  const expected = computeImpbCheckDigit(number.slice(0, -1));
  if (Number(number.at(-1)) !== expected) {
    return { valid: false, reason: `wrong check digit: expected ${expected} for an IMpb number` };
  }
  return { valid: true, trackingNumber: number, kind: 'impb' };
}

function checkS10(number: string): TrackingNumberCheck {
  const match = S10_PATTERN.exec(number);
  if (!match) {
    return { valid: false, reason: 'an S10 tracking number is 2 letters, 9 digits and a 2-letter country code' };
  }
  const [, , serial, check, country] = match;
  if (!isIso3166CountryCode(country)) return { valid: false, reason: `unknown country code ${country}` };
  const expected = computeS10CheckDigit(serial);
  if (Number(check) !== expected) {
    return { valid: false, reason: `wrong check digit: expected ${expected} for an S10 number` };
  }
  return { valid: true, trackingNumber: number, kind: 's10' };
}

/** Validates a USPS IMpb or UPU S10 tracking number; spaces are ignored and letters upper-cased. */
export function checkTrackingNumber(input: string): TrackingNumberCheck {
  const normalized = normalizeTrackingNumber(input);
  if (normalized.length === 0) return { valid: false, reason: 'the tracking number is empty' };
  if (normalized.length > 40) return { valid: false, reason: 'the tracking number is too long' };
  if (/^\d+$/.test(normalized)) return checkImpb(normalized);
  if (/^[A-Z]{2}\d/.test(normalized)) return checkS10(normalized);
  return { valid: false, reason: 'not an IMpb (digits) or S10 (e.g. EA123456785US) tracking number' };
}

export function isValidTrackingNumber(input: string): boolean {
  return checkTrackingNumber(input).valid;
}
