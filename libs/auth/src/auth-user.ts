import { ORG_CLAIM, ORG_ROLE_CLAIM, ORG_ROLES, type OrgRole } from '@app/contracts';

/** The organisation a caller acts for (claims `org` and `org_role`), set by `POST /auth/switch`. */
export interface ActingOrg {
  id: string;
  role: OrgRole;
}

/** The authenticated caller, as `@CurrentUser()` hands it to a handler. */
export interface AuthUser {
  /** `sub`: a user id, or an API key id for internal systems. */
  userId: string;
  roles: string[];
  username?: string;
  /** `sid`: the login session a user's access token belongs to (absent for API keys). */
  sessionId?: string;
  /** absent while the caller acts for their personal account */
  org?: ActingOrg;
}

/** Maps verified claims to an {@link AuthUser}; null when `sub` is missing. */
export function authUserFromClaims(claims: Record<string, unknown>): AuthUser | null {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0) return null;
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  const username = typeof claims.username === 'string' ? claims.username : undefined;
  const sessionId = typeof claims.sid === 'string' ? claims.sid : undefined;
  const org = actingOrgFromClaims(claims);
  return {
    userId: sub,
    roles,
    ...(username !== undefined ? { username } : {}),
    ...(sessionId !== undefined ? { sessionId } : {}),
    ...(org ? { org } : {}),
  };
}

/** Both org claims, well formed, or none: a token with only one of them acts for nobody's organisation. */
function actingOrgFromClaims(claims: Record<string, unknown>): ActingOrg | undefined {
  const id = claims[ORG_CLAIM];
  const role = claims[ORG_ROLE_CLAIM];
  if (typeof id !== 'string' || id.length === 0 || typeof role !== 'string') return undefined;
  return (ORG_ROLES as readonly string[]).includes(role) ? { id, role: role as OrgRole } : undefined;
}
