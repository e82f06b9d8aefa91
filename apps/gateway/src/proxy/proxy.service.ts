import {
  BadGatewayException,
  GatewayTimeoutException,
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  PayloadTooLargeException,
} from '@nestjs/common';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { parseBytes, REQUEST_ID_HEADER } from '@app/platform';
import type { Request, Response } from 'express';
import { errors, Pool } from 'undici';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import type { ServiceName } from '../routing/route-table';

/** Headers that describe one connection and must not be forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Codes of a kept-alive socket the upstream closed as it was reused (undici's "other side closed", a reset). */
const STALE_SOCKET_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * Request headers the pool sets itself (`host`: the upstream's, as before) or refuses (`expect`: undici has no
 * 100-continue; the body is streamed anyway).
 */
const NOT_FORWARDED = new Set(['host', 'expect']);

/** Upstream connections per service: as many concurrent requests as the old agent's `maxSockets`. */
const UPSTREAM_CONNECTIONS = 256;

class BodyTooLargeError extends Error {}

/** Counts body bytes as they stream and fails once the limit is passed (a lying or absent Content-Length). */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(new BodyTooLargeError());
    else done(null, chunk);
  }
}

export interface ForwardOptions {
  service: ServiceName;
  /** Headers to set on the upstream request (overriding the caller's). */
  setHeaders?: Record<string, string>;
  /** Caller headers not to forward. */
  dropHeaders?: string[];
}

/**
 * Streams a request to the owning service over a keep-alive connection pool per service (undici) and streams
 * the answer back. undici's `stream` writes the upstream body straight into the client's response: no
 * `http.ClientRequest`/`IncomingMessage` pair per request (about a third of the gateway's CPU went there).
 */
@Injectable()
export class ProxyService implements OnModuleDestroy {
  private readonly logger = new Logger(ProxyService.name);
  private readonly pools: Record<ServiceName, Pool>;
  private readonly bodyLimit: number;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.bodyLimit = parseBytes(config.GATEWAY_BODY_LIMIT);
    const pool = (url: string) =>
      new Pool(new URL(url).origin, {
        connections: UPSTREAM_CONNECTIONS,
        // Idle sockets close after GATEWAY_UPSTREAM_IDLE_MS at most (below the services' 65 s keep-alive, so the
        // gateway side closes first); a shorter `Keep-Alive: timeout` hint from the upstream wins.
        keepAliveTimeout: config.GATEWAY_UPSTREAM_IDLE_MS,
        keepAliveMaxTimeout: config.GATEWAY_UPSTREAM_IDLE_MS,
        headersTimeout: config.GATEWAY_UPSTREAM_TIMEOUT_MS,
        bodyTimeout: config.GATEWAY_UPSTREAM_TIMEOUT_MS,
        connectTimeout: config.GATEWAY_UPSTREAM_TIMEOUT_MS,
      });
    this.pools = {
      auth: pool(config.AUTH_URL),
      tracking: pool(config.TRACKING_URL),
      pickup: pool(config.PICKUP_URL),
      notifications: pool(config.NOTIFICATIONS_URL),
    };
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(Object.values(this.pools).map((pool) => pool.destroy()));
  }

  /** Refuses a declared oversized body before any byte goes upstream. */
  assertDeclaredLength(req: Request): void {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.bodyLimit) throw new PayloadTooLargeException('Request body too large');
  }

  async forward(req: Request, res: Response, options: ForwardOptions): Promise<void> {
    this.assertDeclaredLength(req);
    const pool = this.pools[options.service];
    const headers = this.upstreamHeaders(req, options);
    // Bodies are streamed, not buffered: once sent they cannot be replayed, so only a bodyless request (any
    // method, e.g. GET, DELETE or an empty POST) is retried after a stale-socket failure.
    const hasBody = requestHasBody(req);

    // A client that goes away stops the upstream request; that is the client's choice, not a gateway fault.
    const abort = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.on('close', onClose);
    try {
      for (let attempt = 0; ; attempt++) {
        let answered = false;
        let bodyError: Error | undefined;
        let body: Readable | null = null;
        if (hasBody) {
          const limit = new ByteLimit(this.bodyLimit);
          limit.on('error', (error) => {
            bodyError = error;
            req.unpipe(limit);
          });
          req.on('error', (error) => limit.destroy(error));
          body = req.pipe(limit);
        }
        try {
          await pool.stream(
            {
              path: req.originalUrl,
              method: req.method,
              headers,
              body,
              signal: abort.signal,
            },
            ({ statusCode, headers: answer }) => {
              answered = true;
              res.status(statusCode);
              for (const [name, value] of Object.entries(answer)) {
                if (value !== undefined && !HOP_BY_HOP.has(name) && name !== REQUEST_ID_HEADER)
                  res.setHeader(name, value);
              }
              return res;
            },
          );
          return;
        } catch (error) {
          if (abort.signal.aborted) {
            this.logger.log(`client closed the connection before the ${options.service} answer was sent`);
            return;
          }
          if (answered || res.headersSent) {
            // Part of the answer is out: all that can be said is that it is cut short.
            res.destroy(error as Error);
            return;
          }
          if (bodyError instanceof BodyTooLargeError) throw new PayloadTooLargeException('Request body too large');
          if (bodyError) throw new BadGatewayException('Request body could not be read');
          if (!hasBody && attempt === 0 && isStaleSocket(error)) continue;
          if (isTimeout(error)) {
            throw new GatewayTimeoutException(`The ${options.service} service did not answer in time`);
          }
          throw new BadGatewayException(`The ${options.service} service is unavailable`);
        }
      }
    } finally {
      res.off('close', onClose);
    }
  }

  private upstreamHeaders(req: Request, options: ForwardOptions): Record<string, string | string[]> {
    const drop = new Set((options.dropHeaders ?? []).map((h) => h.toLowerCase()));
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name) || NOT_FORWARDED.has(name) || drop.has(name)) continue;
      headers[name] = value;
    }
    const priorForwardedFor = req.headers['x-forwarded-for'];
    const clientIp = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] =
      this.config.GATEWAY_TRUST_PROXY_HOPS > 0 && priorForwardedFor
        ? `${String(priorForwardedFor)}, ${clientIp}`
        : clientIp;
    headers['x-forwarded-proto'] = req.protocol;
    if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
    headers[REQUEST_ID_HEADER] = String(req.headers[REQUEST_ID_HEADER]);
    for (const [name, value] of Object.entries(options.setHeaders ?? {})) headers[name.toLowerCase()] = value;
    return headers;
  }
}

/** What a kept-alive socket closed by the upstream at the moment of reuse fails with ("other side closed"). */
function isStaleSocket(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && STALE_SOCKET_CODES.has(code);
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  );
}

/** HTTP/1.1 framing: a body is present only with Transfer-Encoding or a non-zero Content-Length (RFC 9112 §6.3). */
function requestHasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
