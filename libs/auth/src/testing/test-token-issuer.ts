import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';

export interface TestTokenOptions {
  sub?: string;
  roles?: string[];
  username?: string;
  issuer?: string;
  audience?: string;
  kid?: string;
  /** Seconds from now; negative for an already expired token. */
  expiresInSeconds?: number;
}

/**
 * For tests only: an ES256 key pair and a local JWKS endpoint, so apps verify tokens exactly as in
 * production without the auth service. Import it by path (`@app/auth/testing/test-token-issuer`).
 */
export class TestTokenIssuer {
  private constructor(
    private readonly server: Server,
    private readonly privateKey: KeyLike,
    readonly publicKey: KeyLike,
    readonly kid: string,
    readonly issuer: string,
    readonly audience: string,
  ) {}

  static async start(issuer = 'postal-portal-auth', audience = 'postal-portal'): Promise<TestTokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = `test-${Math.random().toString(36).slice(2, 10)}`;
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/.well-known/jwks.json' ? JSON.stringify({ keys: [jwk] }) : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TestTokenIssuer(server, privateKey, publicKey, kid, issuer, audience);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get jwksUrl(): string {
    return `${this.baseUrl}/.well-known/jwks.json`;
  }

  sign(options: TestTokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ roles: options.roles ?? ['customer'], username: options.username ?? 'alice' })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? this.kid })
      .setSubject(options.sub ?? 'user-1')
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresInSeconds ?? 900))
      .sign(this.privateKey);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
