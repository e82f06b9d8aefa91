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

// USPS Publication 28 (C1 street suffixes, B directionals, C2 secondary unit designators): the
// common spellings people type, mapped to the standard abbreviation.
const WORD_ABBREVIATIONS: Readonly<Record<string, string>> = {
  STREET: 'ST',
  STR: 'ST',
  AVENUE: 'AVE',
  AV: 'AVE',
  AVEN: 'AVE',
  BOULEVARD: 'BLVD',
  BOUL: 'BLVD',
  ROAD: 'RD',
  DRIVE: 'DR',
  DRV: 'DR',
  LANE: 'LN',
  COURT: 'CT',
  PLACE: 'PL',
  TERRACE: 'TER',
  CIRCLE: 'CIR',
  PARKWAY: 'PKWY',
  HIGHWAY: 'HWY',
  SQUARE: 'SQ',
  TRAIL: 'TRL',
  WAY: 'WAY',
  NORTH: 'N',
  SOUTH: 'S',
  EAST: 'E',
  WEST: 'W',
  NORTHEAST: 'NE',
  NORTHWEST: 'NW',
  SOUTHEAST: 'SE',
  SOUTHWEST: 'SW',
};
/** Words that only say "a unit number follows": `APT 4`, `UNIT 4`, `# 4` and `STE 4` name the same door. */
const UNIT_DESIGNATORS = new Set(['APT', 'APARTMENT', 'UNIT', 'STE', 'SUITE', 'NO', 'NUMBER', 'RM', 'ROOM', '#']);

function addressWords(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/#/g, ' # ')
    .replace(/[.']/g, '')
    .replace(/[,;:"()/\\-]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => WORD_ABBREVIATIONS[word] ?? word);
}

/**
 * The form a postal address is counted under (verification letter quotas): ZIP5, the street line
 * and the unit, with punctuation, spacing, case, standard abbreviations and unit designators
 * folded, so that respelling one mailbox does not make it several. The name, city and state are
 * left out (the ZIP says where; `NYC` and `New York` are one place).
 */
export function addressQuotaKey(address: Pick<IdentityAddress, 'line1' | 'line2' | 'zip'>): string {
  const zip5 = address.zip.trim().slice(0, 5);
  const street = addressWords(address.line1);
  const unit = addressWords(address.line2).filter((word) => !UNIT_DESIGNATORS.has(word));
  // A unit written at the end of line 1 (`1 MAIN ST APT 4`) is the same as one on line 2.
  const designatorAt = street.findIndex((word, i) => i > 0 && UNIT_DESIGNATORS.has(word));
  if (designatorAt > 0) {
    unit.unshift(...street.splice(designatorAt).filter((word) => !UNIT_DESIGNATORS.has(word)));
  }
  return [zip5, street.join(' '), unit.join('')].join('|');
}
