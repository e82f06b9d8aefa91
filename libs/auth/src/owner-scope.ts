import { ORG_OWNER_PREFIX, orgRoleAllows, OrgPermissions, type OrgPermission } from '@app/contracts';
import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import type { AuthUser } from './auth-user';

/**
 * The key that owns what the caller creates and may read: `org:<id>` while acting for an
 * organisation, else the user id itself, as every document stored before organisations existed is
 * keyed (so personal data needs no migration). User ids never start with `org:`.
 */
export function ownerScope(user: Pick<AuthUser, 'userId' | 'org'>): string {
  return user.org ? `${ORG_OWNER_PREFIX}${user.org.id}` : user.userId;
}

/**
 * The member who acts, when the caller acts for an organisation (what it owns is keyed `org:<id>`,
 * so the events of what they do carry them beside it); undefined on a personal account.
 */
export function actingMember(user: Pick<AuthUser, 'userId' | 'org'>): string | undefined {
  return user.org ? user.userId : undefined;
}

/** True when an owner key names an organisation. */
export function isOrgOwner(owner: string): boolean {
  return owner.startsWith(ORG_OWNER_PREFIX);
}

/**
 * True when the caller may do what `permission` covers: always on their personal account, and by
 * the role table (libs/contracts ORG_ROLE_PERMISSIONS) while acting for an organisation.
 */
export function mayAct(user: Pick<AuthUser, 'org'>, permission: OrgPermission): boolean {
  return !user.org || orgRoleAllows(user.org.role, permission);
}

export const ORG_PERMISSION_KEY = 'auth:org-permission';

/**
 * What a route does, in the role table's terms; {@link OrgPermissionGuard} refuses (403) a member whose
 * role lacks it. A route without it needs `read` when the caller acts for an organisation.
 */
export const OrgPermissionRequired = (permission: OrgPermission): MethodDecorator & ClassDecorator =>
  SetMetadata(ORG_PERMISSION_KEY, permission);

/**
 * The permission a route needs: its handler's {@link OrgPermissionRequired}, else its controller's,
 * else `read`. The guard applies it and `OrgActingController` documents its 403 from it.
 */
export function routeOrgPermission(handler: object, controller: object): OrgPermission {
  const own = Reflect.getMetadata(ORG_PERMISSION_KEY, handler) as OrgPermission | undefined;
  const inherited = Reflect.getMetadata(ORG_PERMISSION_KEY, controller) as OrgPermission | undefined;
  return own ?? inherited ?? OrgPermissions.Read;
}

/**
 * Applies the role table to the routes of a controller it guards (`@UseGuards(OrgPermissionGuard)`):
 * personal callers pass, organisation members need their role to allow the route's permission.
 */
@Injectable()
export class OrgPermissionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const permission = routeOrgPermission(context.getHandler(), context.getClass());
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user?.org || mayAct(user, permission)) return true;
    throw new ForbiddenException(
      `your role in this organisation (${user.org.role}) does not allow this (${permission})`,
    );
  }
}
