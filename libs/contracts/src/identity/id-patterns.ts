/**
 * The forms of the ids the API hands out, as OpenAPI path-parameter patterns (issue 15: the document
 * states what an id looks like, so clients and the contract run send ids of that form). Auth's ids
 * are `<prefix>_` and 32 hex digits (`RandomSource.id`).
 */
export const authIdPattern = (prefix: string): string => `^${prefix}_[0-9a-f]{32}$`;

/** An address of the address book (`/me/addresses`). */
export const ADDRESS_ID_PATTERN = authIdPattern('adr');
/** An API key's id (the part of the key before the dot). */
export const API_KEY_ID_PATTERN = authIdPattern('apk');
/** A carrier pickup's confirmation number: `WTC` and 9 digits. */
export const PICKUP_CONFIRMATION_PATTERN = '^WTC[0-9]{9}$';
