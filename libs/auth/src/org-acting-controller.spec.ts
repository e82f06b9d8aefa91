import { ORG_ROLES, OrgPermissions, type OrgRole } from '@app/contracts';
import { Delete, ExecutionContext, Get, INestApplication, Post } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { OrgActingController } from './org-acting-controller';
import { OrgPermissionGuard, OrgPermissionRequired } from './owner-scope';

@OrgActingController('things', 'things')
class ThingsController {
  @Get()
  list(): void {}

  @Post()
  @OrgPermissionRequired(OrgPermissions.Ship)
  create(): void {}

  @Delete()
  @OrgPermissionRequired(OrgPermissions.Manage)
  remove(): void {}
}

const routes = [
  { name: 'list', method: 'get' },
  { name: 'create', method: 'post' },
  { name: 'remove', method: 'delete' },
] as const;

function guardRefuses(name: (typeof routes)[number]['name'], role: OrgRole): boolean {
  const context = {
    getHandler: () => ThingsController.prototype[name],
    getClass: () => ThingsController,
    switchToHttp: () => ({ getRequest: () => ({ user: { userId: 'usr_1', org: { id: 'org_1', role } } }) }),
  } as unknown as ExecutionContext;
  try {
    return !new OrgPermissionGuard().canActivate(context);
  } catch {
    return true;
  }
}

describe('OrgActingController: the 403 in the OpenAPI document', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ThingsController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
  });
  afterAll(async () => {
    await app.close();
  });

  const forbidden = (method: (typeof routes)[number]['method']): string | undefined => {
    const response = document.paths['/things'][method]?.responses['403'] as { description?: string } | undefined;
    return response?.description;
  };

  it('states no 403 on a route that needs only read, and names the refused roles where one is needed', () => {
    expect(forbidden('get')).toBeUndefined();
    expect(forbidden('post')).toBe(
      "acting for an organisation whose role table does not give the caller's role `ship` (viewer)",
    );
    expect(forbidden('delete')).toBe(
      "acting for an organisation whose role table does not give the caller's role `manage` (shipper, viewer)",
    );
  });

  it('documents the 403 on exactly the routes, and for exactly the roles, the guard refuses', () => {
    for (const { name, method } of routes) {
      const refused = ORG_ROLES.filter((role) => guardRefuses(name, role));
      expect({ name, documented: forbidden(method) !== undefined }).toEqual({ name, documented: refused.length > 0 });
      for (const role of refused) expect(forbidden(method)).toContain(role);
    }
  });
});
