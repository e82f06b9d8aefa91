import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Logger, type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import request from 'supertest';
import { AuthModule } from './auth.module';
import type { AuthModuleOptions } from './auth-options';
import { JwksKeyProvider } from './jwks-key-provider';
import { InvalidTokenError, JwtVerifier } from './jwt-verifier';

const ISSUER = 'postal-portal-auth';
const AUDIENCE = 'postal-portal';
const REFRESH_MS = 100;

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

function sign(key: SigningKey, kid = key.kid): Promise<string> {
  return new SignJWT({ roles: ['customer'], username: 'alice' })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject('user-1')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

/** A JWKS endpoint whose key list the test changes, counting the fetches it answers. */
class JwksServer {
  keys: SigningKey[] = [];
  fetches = 0;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  private readonly server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: this.keys.map((key) => key.jwk) }), () => this.answered());
  });

  static async start(): Promise<JwksServer> {
    const jwks = new JwksServer();
    await new Promise<void>((resolve) => jwks.server.listen(0, '127.0.0.1', resolve));
    return jwks;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  /** Resolves once `more` further fetches have been answered; rejects after `timeoutMs`. */
  fetched(more: number, timeoutMs = 5000): Promise<void> {
    const count = this.fetches + more;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${more} JWKS fetches in ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answered(): void {
    this.fetches += 1;
    this.waiters = this.waiters.filter((waiter) => (this.fetches >= waiter.count ? void waiter.resolve() : true));
  }
}

/** Waits for two timed refreshes: the first may have started before the change, the second started after it. */
const twoRefreshes = (jwks: JwksServer) => jwks.fetched(2);

describe('JwksKeyProvider', () => {
  let jwks: JwksServer;
  let current: SigningKey;
  let verifier: JwtVerifier;
  let warn: jest.SpyInstance;
  const options = (overrides: Partial<AuthModuleOptions> = {}): AuthModuleOptions => ({
    jwksUrl: jwks.url,
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksRefreshMs: REFRESH_MS,
    ...overrides,
  });

  beforeEach(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jwks = await JwksServer.start();
    current = await newKey('key-1');
    jwks.keys = [current];
  });
  afterEach(async () => {
    verifier?.close();
    await jwks.stop();
    jest.restoreAllMocks();
  });

  it('verifies tokens with a known kid without fetching the JWKS again', async () => {
    verifier = new JwtVerifier(options({ jwksRefreshMs: 60_000 }));
    await expect(verifier.verify(await sign(current))).resolves.toMatchObject({ userId: 'user-1' });
    expect(jwks.fetches).toBe(1);
    for (let i = 0; i < 5; i += 1) await verifier.verify(await sign(current));
    expect(jwks.fetches).toBe(1);
  });

  it('accepts a newly published key after the refresh period although forged kids used up the fetch budget', async () => {
    verifier = new JwtVerifier(options());
    await verifier.verify(await sign(current));
    const forger = await newKey('forger');
    for (let i = 0; i < 20; i += 1) {
      await expect(verifier.verify(await sign(forger, `forged-${i}`))).rejects.toThrow('Invalid token');
    }
    const next = await newKey('key-2');
    jwks.keys = [next, current];
    await twoRefreshes(jwks);
    const before = jwks.fetches;
    await expect(verifier.verify(await sign(next))).resolves.toMatchObject({ userId: 'user-1' });
    expect(jwks.fetches).toBe(before);
  });

  it('refuses a key removed from the JWKS after the refresh period', async () => {
    const retired = await newKey('key-0');
    jwks.keys = [current, retired];
    verifier = new JwtVerifier(options());
    await expect(verifier.verify(await sign(retired))).resolves.toMatchObject({ userId: 'user-1' });
    jwks.keys = [current];
    await twoRefreshes(jwks);
    await expect(verifier.verify(await sign(retired))).rejects.toThrow('Invalid token');
    await expect(verifier.verify(await sign(current))).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('keeps verifying with the last good keys while the JWKS is down, and warns', async () => {
    verifier = new JwtVerifier(options());
    await verifier.verify(await sign(current));
    await jwks.stop();
    await waitUntil(() => warn.mock.calls.length >= 2);
    expect(String(warn.mock.calls[0][0])).toContain('keeping the 1 known keys');
    await expect(verifier.verify(await sign(current))).resolves.toMatchObject({ userId: 'user-1' });
    // A kid it does not know cannot be checked at all.
    await expect(verifier.verify(await sign(current, 'unknown'))).rejects.toThrow('Signing keys unavailable');
  });

  it('learns a key it has not loaded yet with one fetch', async () => {
    verifier = new JwtVerifier(options({ jwksRefreshMs: 60_000 }));
    await verifier.verify(await sign(current));
    const next = await newKey('key-2');
    jwks.keys = [next, current];
    await expect(verifier.verify(await sign(next))).resolves.toMatchObject({ userId: 'user-1' });
    expect(jwks.fetches).toBe(2);
  });

  it('refuses a token that is not ES256 without fetching', async () => {
    verifier = new JwtVerifier(options());
    const hs256 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: current.kid })
      .sign(new TextEncoder().encode('secret'));
    await expect(verifier.verify(hs256)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify('not.a.token')).rejects.toBeInstanceOf(InvalidTokenError);
    expect(jwks.fetches).toBe(0);
  });

  it('stops refreshing once closed', async () => {
    const keys = new JwksKeyProvider(options());
    await keys.keyFor(await sign(current));
    keys.close();
    const fetches = jwks.fetches;
    await new Promise((resolve) => setTimeout(resolve, 3 * REFRESH_MS));
    expect(jwks.fetches).toBe(fetches);
  });
});

describe('AuthModule key sharing', () => {
  @Controller('things')
  class ThingsController {
    @Get()
    list() {
      return [];
    }
  }

  it('serves the passport strategy and JwtVerifier from one key set', async () => {
    const jwks = await JwksServer.start();
    const key = await newKey('key-1');
    jwks.keys = [key];
    @Module({
      imports: [AuthModule.forRoot({ jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE })],
      controllers: [ThingsController],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app: INestApplication = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const token = await sign(key);
      await request(app.getHttpServer()).get('/things').set('authorization', `Bearer ${token}`).expect(200);
      await expect(app.get(JwtVerifier).verify(token)).resolves.toMatchObject({ userId: 'user-1' });
      expect(jwks.fetches).toBe(1);
    } finally {
      await app.close();
      await jwks.stop();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
