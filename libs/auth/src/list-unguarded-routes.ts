import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { APP_GUARD, ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '@app/platform';
import { JwtAuthGuard } from './jwt-auth.guard';

function appliesJwtGuard(guards: unknown): boolean {
  return (
    Array.isArray(guards) &&
    guards.some(
      (g) =>
        g === JwtAuthGuard ||
        g instanceof JwtAuthGuard ||
        (typeof g === 'function' && (g as Type).prototype instanceof JwtAuthGuard),
    )
  );
}

function joinPath(...parts: unknown[]): string {
  const segments = parts
    .flatMap((p) => (Array.isArray(p) ? [p[0] as unknown] : [p]))
    .filter((p): p is string => typeof p === 'string')
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean);
  return `/${segments.join('/')}`;
}

/**
 * Lists the routes (`GET /path`) that are neither `@Public()` nor behind {@link JwtAuthGuard}
 * (global via `AuthModule.forRoot`, or on the controller/handler). Tests assert it is empty.
 */
export function listUnguardedRoutes(app: INestApplication): string[] {
  const modules = [...app.get(ModulesContainer).values()];
  const globalJwt = modules.some((module) =>
    [...module.providers.entries()].some(
      ([token, wrapper]) =>
        typeof token === 'string' && token.startsWith(APP_GUARD) && wrapper.instance instanceof JwtAuthGuard,
    ),
  );
  const unguarded: string[] = [];
  for (const module of modules) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const classPublic = Reflect.getMetadata(IS_PUBLIC_KEY, controller) === true;
      const classGuarded = appliesJwtGuard(Reflect.getMetadata(GUARDS_METADATA, controller));
      const prefix: unknown = Reflect.getMetadata(PATH_METADATA, controller);
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        const isPublic = classPublic || Reflect.getMetadata(IS_PUBLIC_KEY, handler) === true;
        const guarded = globalJwt || classGuarded || appliesJwtGuard(Reflect.getMetadata(GUARDS_METADATA, handler));
        if (!isPublic && !guarded) {
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
          unguarded.push(`${method} ${joinPath(prefix, path)}`);
        }
      }
    }
  }
  return unguarded.sort();
}
