/** The authenticated caller, as `@CurrentUser()` hands it to a handler. */
export interface AuthUser {
  /** `sub`: a user id, or an API key id for internal systems. */
  userId: string;
  roles: string[];
  username?: string;
  /** `sid`: the login session a user's access token belongs to (absent for API keys). */
  sessionId?: string;
}

/** Maps verified claims to an {@link AuthUser}; null when `sub` is missing. */
export function authUserFromClaims(claims: Record<string, unknown>): AuthUser | null {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0) return null;
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const username = typeof claims.username === 'string' ? claims.username : undefined;
  const sessionId = typeof claims.sid === 'string' ? claims.sid : undefined;
  return {
    userId: sub,
    roles,
    ...(username !== undefined ? { username } : {}),
    ...(sessionId !== undefined ? { sessionId } : {}),
  };
}
