import { US_STATE_CODES, US_ZIP_PATTERN, type IdentityAddress, type UsStateCode } from '@app/contracts';

export interface AddressInput {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  state: string;
  zip: string;
}

export type AddressValidation = { ok: true; address: IdentityAddress } | { ok: false; reasons: string[] };

const STATES: ReadonlySet<string> = new Set(US_STATE_CODES);

function clean(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.normalize('NFKC').trim().replace(/\s+/g, ' ').toUpperCase();
  return v.length > 0 ? v : undefined;
}

/** Validates a US address (states incl. DC, territories and military codes; ZIP or ZIP+4) and upper-cases it. */
export function validateUsAddress(input: AddressInput): AddressValidation {
  const reasons: string[] = [];
  const line1 = clean(input.line1);
  const city = clean(input.city);
  const state = clean(input.state);
  const zip = input.zip?.trim();
  if (!line1) reasons.push('line1 is required');
  if (!city) reasons.push('city is required');
  if (!state || !STATES.has(state)) reasons.push('state must be a US state, DC or territory code');
  if (!zip || !US_ZIP_PATTERN.test(zip)) reasons.push('zip must be 5 digits or ZIP+4 (12345-6789)');
  for (const [field, value] of Object.entries({ name: input.name, line1: input.line1, line2: input.line2 })) {
    if (value !== undefined && value.length > 100) reasons.push(`${field} must be at most 100 characters`);
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const address: IdentityAddress = {
    line1: line1!,
    city: city!,
    state: state as UsStateCode,
    zip: zip,
  };
  const name = clean(input.name);
  const line2 = clean(input.line2);
  if (name) address.name = name;
  if (line2) address.line2 = line2;
  return { ok: true, address };
}
