import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { requestLogLevel } from '../logging/request-log-level';

type ExpressRequest = IncomingMessage & { id?: string; ip?: string; originalUrl?: string };

/**
 * Express middleware: one line per request when its answer is sent, with the same fields as Fastify's
 * (fastify-http.ts) and pino-http's before it, written by the service's logger directly. pino-http made
 * a child logger and serialised the request for every request, logged or not (about 5 % of auth's main
 * thread during logins, README "Performance"); here nothing is built unless the level is enabled. A
 * request whose connection closed before its answer was sent is logged as aborted, at error level, as
 * pino-http did.
 */
export function requestLog(logger: Logger) {
  return (req: ExpressRequest, res: ServerResponse, next: () => void): void => {
    const startedAt = process.hrtime.bigint();
    const log = (aborted: boolean) => {
      const url = req.originalUrl ?? req.url ?? '';
      const level = requestLogLevel(url, aborted);
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          requestId: req.id,
          req: { id: req.id, method: req.method, url, remoteAddress: req.ip ?? req.socket?.remoteAddress },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(Number(process.hrtime.bigint() - startedAt) / 1e6),
        },
        aborted ? 'request aborted' : 'request completed',
      );
    };
    res.once('close', () => log(!res.writableFinished));
    next();
  };
}
