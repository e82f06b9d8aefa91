import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { decodeProtectedHeader } from 'jose';
import { JwksClient, JwksRateLimitError, SigningKeyNotFoundError } from 'jwks-rsa';
import type { SecretOrKeyProvider } from 'passport-jwt';
import { ACCEPTED_ALGORITHMS, type AuthModuleOptions } from './auth-options';

/**
 * The JWKS signing keys, shared by the passport strategy and `JwtVerifier`. The whole set is reloaded on a
 * timer (from the first use on), so a key auth publishes before it signs with it is known before the first
 * token it signs arrives, whatever tokens came before. Only a `kid` not in the set costs a fetch, and those
 * fetches are rate limited: forged `kid`s can neither hammer auth nor use up fetches a real rotation needs.
 */
export class JwksKeyProvider implements OnModuleDestroy {
  private readonly logger = new Logger(JwksKeyProvider.name);
  private readonly client: JwksClient;
  private readonly refreshMs: number;
  /** kid → public key (PEM) */
  private keys = new Map<string, string>();
  private firstLoad?: Promise<void>;
  private refreshing?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: AuthModuleOptions) {
    this.refreshMs = options.jwksRefreshMs ?? 30_000;
    // rateLimit applies to getSigningKey (the unknown-kid path) only; the timed getSigningKeys is not limited.
    this.client = new JwksClient({
      jwksUri: options.jwksUrl,
      cache: false,
      rateLimit: true,
      jwksRequestsPerMinute: options.jwksRequestsPerMinute ?? 10,
      timeout: 5000,
    });
  }

  /** For passport-jwt's `secretOrKeyProvider`. */
  readonly secretOrKeyProvider: SecretOrKeyProvider = (_request, rawJwtToken: string, done) => {
    this.keyFor(rawJwtToken).then(
      // No key: passport-jwt's verification then fails, as for any bad token.
      (key) => done(null, key ?? undefined),
      (error: unknown) => done(error),
    );
  };

  /**
   * The public key for the token's `kid`, or null when the JWKS has none (or the header is not ES256).
   * Rejects only when the key is unknown and the JWKS cannot be fetched.
   */
  async keyFor(rawJwtToken: string): Promise<string | null> {
    let header: { alg?: string; kid?: string };
    try {
      header = decodeProtectedHeader(rawJwtToken);
    } catch {
      return null;
    }
    if (!(ACCEPTED_ALGORITHMS as readonly (string | undefined)[]).includes(header.alg)) return null;
    this.start();
    await this.firstLoad;
    const { kid } = header;
    // As jwks-rsa did: a token without a kid matches a set of exactly one key.
    if (kid === undefined) return this.keys.size === 1 ? [...this.keys.values()][0] : null;
    const known = this.keys.get(kid);
    if (known) return known;
    if (this.refreshing) {
      await this.refreshing;
      const refreshed = this.keys.get(kid);
      if (refreshed) return refreshed;
    }
    return this.fetchUnknown(kid);
  }

  /** Reloads the whole set; a failure keeps the last good set. Concurrent calls share one fetch. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Stops the refresh timer. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  onModuleDestroy(): void {
    this.close();
  }

  private start(): void {
    if (this.firstLoad || this.closed) return;
    this.firstLoad = this.refresh();
    this.schedule();
  }

  private schedule(): void {
    // Jitter (a quarter of the period, never longer than it) so replicas started together do not fetch in step.
    const delay = this.refreshMs * (0.75 + Math.random() * 0.25);
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => {
        if (!this.closed) this.schedule();
      });
    }, delay);
    this.timer.unref();
  }

  private async load(): Promise<void> {
    try {
      const signingKeys = await this.client.getSigningKeys();
      this.keys = new Map(signingKeys.filter((key) => key.kid).map((key) => [key.kid, key.getPublicKey()]));
    } catch (error) {
      this.logger.warn(
        `JWKS refresh from ${this.options.jwksUrl} failed, keeping the ${this.keys.size} known keys: ${String(error)}`,
      );
    }
  }

  private async fetchUnknown(kid: string): Promise<string | null> {
    try {
      const key = (await this.client.getSigningKey(kid)).getPublicKey();
      this.keys.set(kid, key);
      return key;
    } catch (error) {
      if (error instanceof SigningKeyNotFoundError || error instanceof JwksRateLimitError) return null;
      throw error;
    }
  }
}
