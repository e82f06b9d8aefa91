import {
  applyDecorators,
  BadRequestException,
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  HttpCode,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable, of, switchMap, throwError } from 'rxjs';
import type { AuthUser } from '@app/auth';
import { IdempotencyService, requestHash } from './idempotency.service';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** What a handler gets: the record id when the caller sent a key (ids derive from it), else undefined. */
export type IdempotencyScope = string | undefined;

type IdempotentRequest = Request & { user?: AuthUser; idempotencyScope?: string };

/** The Idempotency-Key record id of this request (set by IdempotencyInterceptor). */
export const IdempotencyScopeParam = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): IdempotencyScope =>
    ctx.switchToHttp().getRequest<IdempotentRequest>().idempotencyScope,
);

/**
 * Stripe-style `Idempotency-Key` on a money route: the same key and body within 24 hours answers
 * the first answer (and charges once); the same key with another body is a 422.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<IdempotentRequest>();
    const res = http.getResponse<Response>();
    const header = req.headers[IDEMPOTENCY_HEADER];
    if (header === undefined) return next.handle();
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new BadRequestException('Idempotency-Key must be 1–255 visible ASCII characters, sent once');
    }
    const owner = req.user?.userId ?? 'anonymous';
    const path = req.path;
    const id = `${owner}:${req.method} ${path}:${header}`;
    const statusCode =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (req.method === 'POST' ? 201 : 200);
    return from(this.store.begin(id, requestHash(req.method, path, hashedBody(req)))).pipe(
      switchMap((start) => {
        if (start.kind === 'replay') {
          res.setHeader('idempotent-replayed', 'true');
          res.status(start.statusCode);
          return of(start.body);
        }
        req.idempotencyScope = start.id;
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            await this.store.complete(start.id, statusCode, body);
            return body;
          }),
          catchError((error: unknown) =>
            from(this.store.release(start.id)).pipe(switchMap(() => throwError(() => error))),
          ),
        );
      }),
    );
  }
}

/**
 * What the key's request hash covers: the JSON body; for an upload read as bytes (a batch CSV) its
 * digest and the query string, where such a route takes its options.
 */
function hashedBody(req: Request): unknown {
  if (!Buffer.isBuffer(req.body)) return req.body;
  return { query: req.query, sha256: createHash('sha256').update(req.body).digest('hex') };
}

/** Marks a route as a money call taking `Idempotency-Key` (documented in the OpenAPI document). */
export function Idempotent(status?: number) {
  return applyDecorators(
    ...(status ? [HttpCode(status)] : []),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Up to 255 visible ASCII characters. The same key and body within 24 hours returns the first answer ' +
        '(header `Idempotent-Replayed: true`) and charges once; the same key with another body is a 422; ' +
        'while the first call runs, 409.',
    }),
    ApiResponse({ status: 422, description: 'the Idempotency-Key was used with another request body' }),
  );
}
