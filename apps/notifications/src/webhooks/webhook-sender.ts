import { Inject, Injectable } from '@nestjs/common';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../config';
import { RefusedWebhookUrlError, WebhookUrlGuard } from './webhook-url-guard';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What one delivery attempt came to: a response code, or an error (refused, refused connection, timeout). */
export interface WebhookResult {
  statusCode?: number;
  latencyMs: number;
  error?: string;
  /** the SSRF guard refused the address: retrying cannot help until DNS changes, but it may */
  refused?: boolean;
}

/** How much of a response is read (and thrown away): a receiver only has to answer 2xx. */
const MAX_RESPONSE_BYTES = 64 * 1024;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * POSTs one signed webhook. The connection's address comes from the SSRF guard's own lookup (every
 * address the name has must be public; the one connected to is one of those), redirects are not
 * followed (a 3xx is a failed attempt), and the whole exchange is bounded by WEBHOOK_TIMEOUT_MS.
 */
@Injectable()
export class WebhookSender {
  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly guard: WebhookUrlGuard,
  ) {}

  async send(request: WebhookRequest): Promise<WebhookResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let checked;
    try {
      checked = this.guard.parse(request.url);
    } catch (error) {
      return { latencyMs: elapsed(), error: (error as Error).message, refused: true };
    }
    const { url, testLoopback } = checked;
    const timeoutMs = this.config.WEBHOOK_TIMEOUT_MS;
    let refusal: string | undefined;
    const lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
      this.guard.resolvePublic(hostname).then(
        (addresses) => {
          if (options.all) callback(null, addresses);
          else callback(null, addresses[0].address, addresses[0].family);
        },
        (error: unknown) => {
          refusal = error instanceof RefusedWebhookUrlError ? error.message : String(error);
          callback(Object.assign(new Error(refusal), { code: 'EREFUSED' }), '');
        },
      );
    };
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<WebhookResult>((resolve) => {
      let settled = false;
      const finish = (result: Omit<WebhookResult, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...result, latencyMs: elapsed() });
      };
      const req = transport.request(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
          // The test receiver is a literal 127.0.0.1 (no lookup happens for an IP literal anyway).
          ...(testLoopback ? {} : { lookup }),
          agent: false,
        },
        (res) => {
          let received = 0;
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > MAX_RESPONSE_BYTES) res.destroy();
          });
          res.on('close', () => finish({ statusCode: res.statusCode }));
          res.on('error', () => finish({ statusCode: res.statusCode }));
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', (error) => finish(refusal ? { error: refusal, refused: true } : { error: error.message }));
      req.end(request.body);
    });
  }
}
