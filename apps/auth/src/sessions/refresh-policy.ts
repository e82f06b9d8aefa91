export const REFRESH_ABSOLUTE_LIFETIME_MS = 30 * 24 * 60 * 60_000;
export const REFRESH_IDLE_LIFETIME_MS = 7 * 24 * 60 * 60_000;

/** A stored refresh token (its `_id` is the sha256 of the opaque value). */
export interface RefreshTokenState {
  familyId: string;
  userId: string;
  issuedAt: Date;
  /** set when it was exchanged for a newer token */
  rotatedAt?: Date | null;
}

/** A login session: every token rotated from one login shares it. */
export interface TokenFamilyState {
  userId: string;
  createdAt: Date;
  revokedAt?: Date | null;
}

export type RefreshDecision = 'rotate' | 'reuse' | 'revoked' | 'expired';

/**
 * Decides what a presented refresh token gets. A token already rotated means it leaked (or a client
 * raced): the whole family is revoked. `sessionsValidAfter` is the user's "log out everywhere" mark.
 */
export function decideRefresh(
  token: RefreshTokenState,
  family: TokenFamilyState,
  sessionsValidAfter: Date | null | undefined,
  now: Date,
): RefreshDecision {
  if (family.revokedAt) return 'revoked';
  if (sessionsValidAfter && family.createdAt.getTime() < sessionsValidAfter.getTime()) return 'revoked';
  if (token.rotatedAt) return 'reuse';
  if (now.getTime() - family.createdAt.getTime() >= REFRESH_ABSOLUTE_LIFETIME_MS) return 'expired';
  if (now.getTime() - token.issuedAt.getTime() >= REFRESH_IDLE_LIFETIME_MS) return 'expired';
  return 'rotate';
}
