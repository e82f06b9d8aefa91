import { orgRolesRefused } from '@app/contracts';
import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { OrgPermissionGuard, routeOrgPermission } from './owner-scope';

/**
 * Documents {@link OrgPermissionGuard}'s 403 on exactly the routes it can refuse: those whose
 * permission (the one the guard reads) the role table denies some role. A route that needs only
 * `read`, which every role has, states no 403. It reads the permissions when the class is decorated:
 * a controller-wide `@OrgPermissionRequired` must stand below `@OrgActingController` (class decorators
 * apply from the bottom up), or its routes would be documented as `read` while the guard applies it.
 */
const ApiRoleTableForbidden = (): ClassDecorator => (controller) => {
  const routes = controller.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(routes)) {
    const descriptor = Object.getOwnPropertyDescriptor(routes, name);
    const handler: unknown = descriptor?.value;
    if (!descriptor || typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) {
      continue;
    }
    const permission = routeOrgPermission(handler, controller);
    const refused = orgRolesRefused(permission);
    if (refused.length === 0) continue;
    ApiForbiddenResponse({
      description: `acting for an organisation whose role table does not give the caller's role \`${permission}\` (${refused.join(', ')})`,
    })(routes, name, descriptor);
  }
};

/**
 * A controller whose routes an organisation's members reach through the role table: its path and
 * OpenAPI tag, the bearer token, and {@link OrgPermissionGuard} with the 403 it answers documented
 * on each route it can refuse.
 */
export const OrgActingController = (path: string, tag: string): ClassDecorator =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiRoleTableForbidden(),
    UseGuards(OrgPermissionGuard),
    Controller(path),
  );
