import {
  BadGatewayException,
  GatewayTimeoutException,
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  PayloadTooLargeException,
} from '@nestjs/common';
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import https from 'node:https';
import { Transform, type TransformCallback } from 'node:stream';
import { parseBytes, REQUEST_ID_HEADER } from '@app/platform';
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

/** What a kept-alive socket closed by the upstream at the moment of reuse fails with ("socket hang up" is ECONNRESET). */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

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
  /** The caller's protocol as the HTTP framework resolved it (`X-Forwarded-Proto` from a trusted proxy). */
  protocol: string;
  /**
   * Called once, before the proxy writes to `res` itself (the upstream answered) or gives up on a client that
   * left: from then on the framework must not answer (Fastify: `reply.hijack()`). Until then a failure is
   * returned as a rejection, for the framework's error filter to answer.
   */
  takeOver?: () => void;
  /**
   * Also keeps the answer's body, up to `maxBytes`, and hands it over with the status and headers once it has
   * been sent whole (the edge cache's fill); `body` is undefined when it was larger.
   */
  capture?: {
    maxBytes: number;
    done: (status: number, headers: IncomingHttpHeaders, body: Buffer | undefined) => void;
  };
}

/** Streams a request to the owning service over keep-alive connections and streams the answer back. */
@Injectable()
export class ProxyService implements OnModuleDestroy {
  private readonly logger = new Logger(ProxyService.name);
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly bodyLimit: number;
  private readonly targets: Record<ServiceName, URL>;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    // The agent's `timeout` is the idle lifetime of a free socket (Node destroys a free socket on timeout).
    const agentOptions = { keepAlive: true, maxSockets: 256, timeout: config.GATEWAY_UPSTREAM_IDLE_MS };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent(agentOptions);
    this.bodyLimit = parseBytes(config.GATEWAY_BODY_LIMIT);
    this.targets = {
      auth: new URL(config.AUTH_URL),
      tracking: new URL(config.TRACKING_URL),
      pickup: new URL(config.PICKUP_URL),
      notifications: new URL(config.NOTIFICATIONS_URL),
    };
  }

  onModuleDestroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** Refuses a declared oversized body before any byte goes upstream. */
  assertDeclaredLength(req: IncomingMessage): void {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.bodyLimit) throw new PayloadTooLargeException('Request body too large');
  }

  /** `req` and `res` are Node's: the framework's wrappers are not needed to stream, and cost per request. */
  forward(req: IncomingMessage, res: ServerResponse, options: ForwardOptions): Promise<void> {
    this.assertDeclaredLength(req);
    const target = this.targets[options.service];
    const secure = target.protocol === 'https:';
    const headers = this.upstreamHeaders(req, target, options);

    // Bodies are streamed, not buffered: once sent they cannot be replayed, so only a bodyless request (any
    // method, e.g. GET, DELETE or an empty POST) is retried after a stale-socket failure.
    const hasBody = requestHasBody(req);
    const unavailable = () => new BadGatewayException(`The ${options.service} service is unavailable`);

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let tookOver = false;
      const takeOver = () => {
        if (tookOver) return;
        tookOver = true;
        options.takeOver?.();
      };
      let upstream: http.ClientRequest;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        upstream.destroy();
        if (tookOver || res.headersSent) {
          res.destroy(error);
          resolve();
        } else {
          reject(error);
        }
      };

      const send = (attempt: number): http.ClientRequest => {
        let answered = false;
        const current = (secure ? https : http).request({
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers,
          agent: secure ? this.httpsAgent : this.httpAgent,
        });
        upstream = current;
        current.setTimeout(this.config.GATEWAY_UPSTREAM_TIMEOUT_MS, () =>
          fail(new GatewayTimeoutException(`The ${options.service} service did not answer in time`)),
        );
        current.on('error', (error: NodeJS.ErrnoException) => {
          if (settled) return;
          const staleSocket = current.reusedSocket && !answered && STALE_SOCKET_CODES.has(error.code ?? '');
          if (staleSocket && !hasBody && attempt === 0) {
            // The upstream closed this kept-alive socket as we reused it; the request never reached it.
            current.destroy();
            send(attempt + 1);
            return;
          }
          fail(unavailable());
        });
        current.on('response', (answer: IncomingMessage) => {
          answered = true;
          if (settled) {
            answer.resume();
            return;
          }
          takeOver();
          res.statusCode = answer.statusCode ?? 502;
          for (const [name, value] of Object.entries(downstreamHeaders(answer.headers))) {
            if (value !== undefined) res.setHeader(name, value);
          }
          const capture = options.capture;
          if (capture) {
            const chunks: Buffer[] = [];
            let size = 0;
            answer.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size <= capture.maxBytes) chunks.push(chunk);
            });
            answer.on('end', () =>
              capture.done(
                answer.statusCode ?? 0,
                answer.headers,
                size <= capture.maxBytes ? Buffer.concat(chunks) : undefined,
              ),
            );
          }
          answer.pipe(res);
          answer.on('end', () => {
            settled = true;
            resolve();
          });
          answer.on('error', (error) => fail(error));
        });
        if (!hasBody) current.end();
        return current;
      };

      const first = send(0);
      // A client that goes away is its choice, not a gateway fault: stop the upstream request, log it without a
      // stack (it was a 502 error with a stack, hundreds per bench run), answer nobody.
      res.on('close', () => {
        if (settled || res.writableFinished) return;
        settled = true;
        upstream.destroy();
        takeOver();
        this.logger.log(`client closed the connection before the ${options.service} answer was sent`);
        resolve();
      });
      if (!hasBody) return;
      const limit = new ByteLimit(this.bodyLimit);
      limit.on('error', (error) => {
        req.unpipe(limit);
        fail(
          error instanceof BodyTooLargeError
            ? new PayloadTooLargeException('Request body too large')
            : new BadGatewayException('Request body could not be read'),
        );
      });
      req.pipe(limit).pipe(first);
    });
  }

  private upstreamHeaders(req: IncomingMessage, target: URL, options: ForwardOptions): OutgoingHttpHeaders {
    const drop = new Set((options.dropHeaders ?? []).map((h) => h.toLowerCase()));
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name) || drop.has(name) || name === 'host') continue;
      headers[name] = value;
    }
    const priorForwardedFor = req.headers['x-forwarded-for'];
    const clientIp = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] =
      this.config.GATEWAY_TRUST_PROXY_HOPS > 0 && priorForwardedFor
        ? `${String(priorForwardedFor)}, ${clientIp}`
        : clientIp;
    headers['x-forwarded-proto'] = options.protocol;
    if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
    headers.host = target.host;
    headers[REQUEST_ID_HEADER] = String(req.headers[REQUEST_ID_HEADER]);
    for (const [name, value] of Object.entries(options.setHeaders ?? {})) headers[name.toLowerCase()] = value;
    return headers;
  }
}

function downstreamHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && name !== REQUEST_ID_HEADER) out[name] = value;
  }
  return out;
}

/** HTTP/1.1 framing: a body is present only with Transfer-Encoding or a non-zero Content-Length (RFC 9112 §6.3). */
function requestHasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
