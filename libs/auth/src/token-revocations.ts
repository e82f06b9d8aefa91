import { TOKENS_VALID_AFTER_MAX_CACHE_MS, tokensValidAfterRedisKey } from '@app/contracts';
import { RedisConnection } from '@app/platform';
import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

import type { AuthModuleOptions } from './auth-options';

/** Where the "tokens valid after" markers are read and how long a read is trusted. */
export interface TokenRevocationOptions {
  redisUrl: string;
  /** The deployment's REDIS_PREFIX: auth writes the marker under it, every verifier reads it there. */
  redisPrefix: string;
  /** How long a marker read (or its absence) is reused; at most 60 s, 0 reads Redis for every token. */
  cacheMs: number;
}

/** Reads a user's marker: epoch ms of the last password change or reset, undefined when none. */
export type ValidAfterSource = (userId: string) => Promise<number | undefined>;

/**
 * Whether a token issued at `iatSeconds` predates a password change at `validAfterMs`. Auth signs
 * `iat` with milliseconds as a fraction, so the token of a login right after a reset (most often in
 * the same second) is told apart from one issued just before it; a token issued in the very
 * millisecond of the change is accepted.
 */
export function issuedBeforeChange(iatSeconds: number | undefined, validAfterMs: number | undefined): boolean {
  if (validAfterMs === undefined) return false;
  if (iatSeconds === undefined) return true;
  // Rounded: iat / 1000 * 1000 is not always exact in floating point.
  return Math.round(iatSeconds * 1000) < validAfterMs;
}

/** Users whose marker is held at once; past it the least recently used are read again. */
const CACHE_ENTRIES = 50_000;

/**
 * Refuses access tokens issued before their user's last password change or reset, in every app
 * through the shared verifier: auth writes a per-user marker to Redis (shared by every process and
 * replica), verifiers read it through a small cache. When Redis cannot answer, the last value read
 * is used, else the token is accepted (the signature, expiry and audience checks still hold): a
 * Redis outage must not sign every customer out.
 */
export class TokenRevocations {
  private readonly logger = new Logger(TokenRevocations.name);
  private readonly cache?: LRUCache<string, number>;
  private readonly redis?: RedisConnection;
  private readonly read: ValidAfterSource;

  constructor(options: TokenRevocationOptions, source?: ValidAfterSource) {
    if (options.cacheMs < 0 || options.cacheMs > TOKENS_VALID_AFTER_MAX_CACHE_MS) {
      throw new Error(`token revocation cache must be 0..${TOKENS_VALID_AFTER_MAX_CACHE_MS} ms`);
    }
    if (source) {
      this.read = source;
    } else {
      // Its own connection (a verifier lives in every app, apart from the app's own RedisConnection), made
      // the platform's way. Commands wait for the connection at start (the offline queue), so a token is
      // not accepted unchecked while it opens; failures surface as accepted-with-a-warning lookups below.
      const redis = new RedisConnection({ url: options.redisUrl, maxRetriesPerRequest: 1, commandTimeoutMs: 1000 });
      this.redis = redis;
      this.read = async (userId) => {
        const value = await redis.client.get(`${options.redisPrefix}${tokensValidAfterRedisKey(userId)}`);
        const ms = value === null ? NaN : Number(value);
        return Number.isFinite(ms) ? ms : undefined;
      };
    }
    if (options.cacheMs > 0) {
      this.cache = new LRUCache<string, number>({
        max: CACHE_ENTRIES,
        ttl: options.cacheMs,
        allowStaleOnFetchRejection: true,
        // 0 stands for "no marker": the cache holds numbers only.
        fetchMethod: async (userId) => (await this.read(userId)) ?? 0,
      });
    }
  }

  /** True when the token (its `sub` and `iat`) was issued before the user's last password change. */
  async isRevoked(userId: string, iatSeconds: number | undefined): Promise<boolean> {
    let validAfterMs: number | undefined;
    try {
      validAfterMs = this.cache ? (await this.cache.fetch(userId)) || undefined : await this.read(userId);
    } catch (error) {
      this.logger.warn(
        `password-change marker unreadable (${error instanceof Error ? error.message : String(error)}); token accepted`,
      );
      return false;
    }
    return issuedBeforeChange(iatSeconds, validAfterMs);
  }

  close(): void {
    this.cache?.clear();
    this.redis?.client.disconnect();
  }
}

/** The revocation check an app's options ask for; null when they name none (unit tests of the verifier). */
export function createTokenRevocations(options: AuthModuleOptions): TokenRevocations | null {
  return options.revocations ? new TokenRevocations(options.revocations) : null;
}

/** Injection token of the app's one TokenRevocations (or null), shared by the strategy and JwtVerifier. */
export const TOKEN_REVOCATIONS = Symbol('TOKEN_REVOCATIONS');
