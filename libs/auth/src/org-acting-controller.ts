import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { OrgPermissionGuard } from './owner-scope';

/**
 * A controller whose routes an organisation's members reach through the role table: its path and
 * OpenAPI tag, the bearer token, and {@link OrgPermissionGuard} with the 403 it answers documented.
 */
export const OrgActingController = (path: string, tag: string): ClassDecorator =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiForbiddenResponse({
      description: "acting for an organisation whose role table does not give the caller's role this",
    }),
    UseGuards(OrgPermissionGuard),
    Controller(path),
  );
