import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { exportSPKI, SignJWT, UnsecuredJWT } from 'jose';
import request from 'supertest';
import { AuthModule } from './auth.module';
import type { AuthUser } from './auth-user';
import { CurrentUser, Public, Roles } from './decorators';
import { listUnguardedRoutes } from './list-unguarded-routes';
import { InvalidTokenError, JwtVerifier } from './jwt-verifier';
import { TestTokenIssuer } from './testing/test-token-issuer';

@Controller('things')
class ThingsController {
  @Get('mine')
  mine(@CurrentUser() user: AuthUser) {
    return user;
  }

  @Public()
  @Get('open')
  open() {
    return { ok: true };
  }

  @Roles('operator')
  @Get('admin')
  admin() {
    return { ok: true };
  }
}

describe('libs/auth', () => {
  let issuer: TestTokenIssuer;
  let app: INestApplication;
  let verifier: JwtVerifier;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    const options = { jwksUrl: issuer.jwksUrl, issuer: issuer.issuer, audience: issuer.audience };
    @Module({ imports: [AuthModule.forRoot(options)], controllers: [ThingsController] })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    verifier = new JwtVerifier(options);
  });
  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  const get = (path: string, token?: string) => {
    const req = request(app.getHttpServer()).get(path);
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };

  it('accepts a valid ES256 token and hands the user to the handler', async () => {
    const token = await issuer.sign({ sub: 'u-42', roles: ['customer'], username: 'bob' });
    const res = await get('/things/mine', token).expect(200);
    expect(res.body).toEqual({ userId: 'u-42', roles: ['customer'], username: 'bob' });
  });

  it('denies a route without a token by default', async () => {
    await get('/things/mine').expect(401);
  });

  it('opens @Public() routes', async () => {
    await get('/things/open').expect(200);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const token = new UnsecuredJWT({ roles: ['operator'] })
      .setSubject('u-1')
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime('5m')
      .encode();
    await get('/things/mine', token).expect(401);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an HS256 token signed with the public key', async () => {
    const secret = new TextEncoder().encode(await exportSPKI(issuer.publicKey));
    const token = await new SignJWT({ roles: ['operator'] })
      .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
      .setSubject('u-1')
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime('5m')
      .sign(secret);
    await get('/things/mine', token).expect(401);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an expired token', async () => {
    const token = await issuer.sign({ expiresInSeconds: -60 });
    const res = await get('/things/mine', token).expect(401);
    expect(res.body.message).toBe('Token expired');
    await expect(verifier.verify(token)).rejects.toThrow('Token expired');
  });

  it('refuses a token for another audience', async () => {
    const token = await issuer.sign({ audience: 'someone-else' });
    await get('/things/mine', token).expect(401);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token from another issuer', async () => {
    const token = await issuer.sign({ issuer: 'evil' });
    await get('/things/mine', token).expect(401);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token whose kid is not in the JWKS', async () => {
    const token = await issuer.sign({ kid: 'unknown-kid' });
    await get('/things/mine', token).expect(401);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('verifies a valid token outside Nest with the same rules', async () => {
    const token = await issuer.sign({ sub: 'key-1', roles: ['scanner'] });
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'key-1', roles: ['scanner'], username: 'alice' });
  });

  it('answers 403 when the caller lacks the role', async () => {
    await get('/things/admin', await issuer.sign({ roles: ['customer'] })).expect(403);
    await get('/things/admin', await issuer.sign({ roles: ['operator'] })).expect(200);
  });

  it('counts every route as guarded or public under the global guard', () => {
    expect(listUnguardedRoutes(app)).toEqual([]);
  });
});

describe('listUnguardedRoutes', () => {
  it('reports routes of an app without the global guard', async () => {
    @Module({ controllers: [ThingsController] })
    class BareModule {}
    const moduleRef = await Test.createTestingModule({ imports: [BareModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect(listUnguardedRoutes(app)).toEqual(['GET /things/admin', 'GET /things/mine']);
    await app.close();
  });
});
