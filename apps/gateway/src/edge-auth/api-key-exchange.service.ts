import { Inject, Injectable, Logger, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ApiKeyRevocations } from './api-key-revocations';
import { Clock } from '@app/platform';

interface CachedToken {
  accessToken: string;
  /** Epoch ms after which the token is no longer handed out. */
  refreshAt: number;
}

/** Renew this long before a token expires, so a forwarded token never expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;
const MAX_CACHED_KEYS = 10_000;
const EXCHANGE_PATH = '/api/v1/internal/api-keys/token';

/** Exchanges an `X-Api-Key` for a short-lived JWT from the auth service, cached per key hash. */
@Injectable()
export class ApiKeyExchangeService {
  private readonly logger = new Logger(ApiKeyExchangeService.name);
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly clock: Clock,
    private readonly revocations: ApiKeyRevocations,
  ) {}

  async tokenFor(apiKey: string): Promise<string> {
    if (apiKey.length === 0 || apiKey.length > 512) throw new UnauthorizedException('Invalid API key');
    // Only a hash of the key is kept in memory.
    const id = createHash('sha256').update(apiKey).digest('hex');
    const cached = this.cache.get(id);
    if (cached && cached.refreshAt > this.clock.now().getTime()) {
      // A key revoked since is refused at once; when Redis cannot tell, auth decides afresh.
      const revoked = await this.revocations.isRevoked(apiKey.slice(0, Math.max(0, apiKey.indexOf('.'))));
      if (revoked === false) return cached.accessToken;
      this.cache.delete(id);
      if (revoked) throw new UnauthorizedException('Invalid API key');
    }
    const pending = this.inFlight.get(id) ?? this.exchange(id, apiKey).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, pending);
    return pending;
  }

  private async exchange(id: string, apiKey: string): Promise<string> {
    let response: globalThis.Response;
    try {
      response = await fetch(new URL(EXCHANGE_PATH, this.config.AUTH_URL), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: apiKey }),
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      this.logger.warn(`API key exchange failed: ${String(error)}`);
      throw new ServiceUnavailableException('Authentication service unavailable');
    }
    if (response.status >= 400 && response.status < 500) {
      this.cache.delete(id);
      throw new UnauthorizedException('Invalid API key');
    }
    if (!response.ok) throw new ServiceUnavailableException('Authentication service unavailable');
    const body = (await response.json()) as { accessToken?: unknown; expiresIn?: unknown };
    if (typeof body.accessToken !== 'string' || typeof body.expiresIn !== 'number') {
      throw new ServiceUnavailableException('Authentication service gave an unexpected answer');
    }
    const ttlMs = body.expiresIn * 1000;
    this.remember(id, {
      accessToken: body.accessToken,
      refreshAt: this.clock.now().getTime() + ttlMs - Math.min(EXPIRY_MARGIN_MS, ttlMs / 2),
    });
    return body.accessToken;
  }

  private remember(id: string, token: CachedToken): void {
    if (this.cache.size >= MAX_CACHED_KEYS) {
      const now = this.clock.now().getTime();
      for (const [key, value] of this.cache) if (value.refreshAt <= now) this.cache.delete(key);
      if (this.cache.size >= MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(id, token);
  }
}
