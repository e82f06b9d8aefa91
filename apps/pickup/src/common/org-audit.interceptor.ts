import type { AuthUser } from '@app/auth';
import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { PICKUP_CONFIG, type PickupConfig } from '../config';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Answer fields and route parameters that name what a change was about. */
const TARGET_FIELDS = ['labelId', 'confirmationNumber', 'entryId', 'orderId'] as const;

/**
 * Teams (issue 18): every change a member makes while acting for an organisation goes into the
 * organisation's audit log, kept by auth. Installed for the whole app (APP_INTERCEPTOR), so no route
 * can forget it: after a successful POST/PUT/PATCH/DELETE whose token has the `org` claim, it reports
 * `METHOD /route`, the thing changed, and the caller's IP and user agent to auth, with the caller's
 * own token (auth writes the line for that token's organisation only). A report that fails is
 * logged; the change it describes has happened and is not undone.
 */
@Injectable()
export class OrgAuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(OrgAuditInterceptor.name);

  constructor(@Inject(PICKUP_CONFIG) private readonly config: PickupConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    if (!CHANGES.has(req.method) || !req.user?.org) return next.handle();
    return next.handle().pipe(mergeMap((answer: unknown) => from(this.report(req, answer).then(() => answer))));
  }

  private async report(req: Request & { user?: AuthUser }, answer: unknown): Promise<void> {
    const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
    const body = {
      action: `${req.method} ${route.replace(/^\/api\/v1/, '')}`,
      ...(targetOf(req, answer) ? { target: targetOf(req, answer) } : {}),
      ...(clientIp(req) ? { ip: clientIp(req) } : {}),
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'].slice(0, 200) } : {}),
    };
    try {
      const res = await fetch(`${this.config.AUTH_URL}/api/v1/internal/org-audit`, {
        method: 'POST',
        headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.AUTH_HTTP_TIMEOUT_MS),
      });
      if (!res.ok) this.logger.warn(`audit of ${body.action} refused by auth: ${res.status}`);
    } catch (error) {
      this.logger.warn(`audit of ${body.action} not recorded: ${String(error)}`);
    }
  }
}

function targetOf(req: Request, answer: unknown): string | undefined {
  const fromAnswer = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const params = req.params as Record<string, string | undefined>;
  for (const field of TARGET_FIELDS) {
    const value = fromAnswer[field] ?? params[field];
    if (typeof value === 'string' && /^[A-Za-z0-9_:.-]{1,100}$/.test(value)) return value;
  }
  return typeof params.id === 'string' && /^[A-Za-z0-9_:.-]{1,100}$/.test(params.id) ? params.id : undefined;
}

/** The last X-Forwarded-For hop (set by the gateway), else the peer. */
function clientIp(req: Request): string | undefined {
  const forwarded = req.headers['x-forwarded-for'];
  const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',');
  const last =
    list
      .map((p) => p.trim())
      .filter(Boolean)
      .at(-1) ?? req.socket?.remoteAddress;
  return last?.slice(0, 64);
}
