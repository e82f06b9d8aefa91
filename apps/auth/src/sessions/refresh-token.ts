import { createHash } from 'node:crypto';

/**
 * A refresh token is `<session id>-<secret>`: the session (token family) document is found by `_id`
 * from the token itself, and holds the sha256 of the one current token, so a login writes one
 * document. Tokens issued before this format (an opaque secret alone) are still found by their hash
 * in the refresh-token collection. The id (`fam_` and letters and digits) has no `-`, so the first
 * one ends it; the token stays base64url characters only (no `.`: it never looks like a JWT).
 */
const REFRESH_TOKEN_FORMAT = /^(fam_[A-Za-z0-9]{1,64})-[A-Za-z0-9_-]{32,}$/;

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function makeRefreshToken(familyId: string, secret: string): string {
  return `${familyId}-${secret}`;
}

/** The session a refresh token names, or undefined for a token of the older, opaque format. */
export function familyIdOfRefreshToken(token: string): string | undefined {
  return REFRESH_TOKEN_FORMAT.exec(token)?.[1];
}
