import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** The form under which usernames are unique: NFKC, trimmed, lower case. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

/** The form under which emails are unique: NFKC, trimmed, lower case (local part included, as users expect). */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** Key of the claim document that maps a normalised username to its user. */
export function usernameClaimId(username: string): string {
  return `username:${normalizeUsername(username)}`;
}

/** Key of the claim document that maps a normalised email to its user. */
export function emailClaimId(email: string): string {
  return `email:${normalizeEmail(email)}`;
}

/** Usernames: 3–64 characters of letters, digits, dot, dash, underscore after normalisation. */
export const USERNAME_PATTERN = /^[\p{L}\p{N}._-]{3,64}$/u;

export function isValidUsername(username: string): boolean {
  return USERNAME_PATTERN.test(normalizeUsername(username));
}

/**
 * The E.164 form a phone number is counted under (send quotas), so that spacing, punctuation,
 * full-width digits or a national trunk zero (`+44 0…`) do not make one phone look like several.
 * A number libphonenumber cannot parse is keyed by its digits alone.
 */
export function phoneQuotaKey(phone: string): string {
  const normalized = phone.normalize('NFKC');
  const parsed = parsePhoneNumberFromString(normalized);
  return parsed?.number ?? `+${normalized.replace(/\D/g, '')}`;
}
