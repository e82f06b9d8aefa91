import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  createUser,
  emailedCode,
  MailpitClient,
  PortalClient,
  registrationBody,
  startPortal,
  uniqueTag,
  type Portal,
  type TestUser,
} from '@app/testing';
import { importJWK, SignJWT, type JWK } from 'jose';
import mongoose from 'mongoose';
import {
  median,
  OPERATOR,
  portalLogBytes,
  SecretLedger,
  SECURITY_PORTAL_ENV,
  withoutRequestId,
} from './security-helpers';

jest.setTimeout(240_000);

describe('identity security through the gateway (real stack)', () => {
  let portal: Portal;
  let api: PortalClient;
  let mailpit: MailpitClient;
  const ledger = new SecretLedger();

  const remember = (user: TestUser): TestUser => {
    ledger.add(`password of ${user.username}`, user.password);
    ledger.add(`access token of ${user.username}`, user.accessToken);
    ledger.add(`refresh token of ${user.username}`, user.refreshToken);
    ledger.add(`verification code of ${user.username}`, user.verificationCode);
    return user;
  };
  const newUser = async () => remember(await createUser(api, mailpit));

  beforeAll(async () => {
    portal = await startPortal({ env: { ...SECURITY_PORTAL_ENV, AUTH_LOCKOUT_BASE_SECONDS: '2' } });
    api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
    mailpit = new MailpitClient();
    ledger.add('operator password', OPERATOR.password);
  });

  afterAll(async () => {
    await portal?.stop();
  });

  describe('no user enumeration', () => {
    const ROUNDS = 100;
    let known: TestUser[];

    beforeAll(async () => {
      // Nine failures per known username at most, so lockout never changes the answer.
      known = [];
      for (let i = 0; i < Math.ceil(ROUNDS / 9) + 1; i++) known.push(await newUser());
    });

    async function compare(
      name: string,
      knownRequest: (i: number) => Promise<{ status: number; body: unknown; ms: number }>,
      unknownRequest: (i: number) => Promise<{ status: number; body: unknown; ms: number }>,
    ) {
      const knownMs: number[] = [];
      const unknownMs: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        // Alternate which goes first so drift in the machine's load hits both sides alike.
        const pair =
          i % 2 === 0
            ? [await knownRequest(i), await unknownRequest(i)]
            : [await unknownRequest(i), await knownRequest(i)].reverse();
        const [k, u] = pair;
        expect({ status: k.status, body: withoutRequestId(k.body) }).toEqual({
          status: u.status,
          body: withoutRequestId(u.body),
        });
        knownMs.push(k.ms);
        unknownMs.push(u.ms);
      }
      const gap = Math.abs(median(knownMs) - median(unknownMs));
      process.stdout.write(
        `${name}: median known ${median(knownMs).toFixed(1)} ms, unknown ${median(unknownMs).toFixed(1)} ms\n`,
      );
      expect(gap).toBeLessThan(10);
    }

    it('answers a wrong password for a known user and any unknown user alike, in status, body and time', async () => {
      await compare(
        'login',
        (i) => api.post('/auth/login', { username: known[Math.floor(i / 9)].username, password: `wrong pw ${i} x` }),
        (i) => api.post('/auth/login', { username: `ghost_${uniqueTag()}`, password: `wrong pw ${i} x` }),
      );
    });

    it('answers forgot-username for a known and an unknown email alike, in status, body and time', async () => {
      await compare(
        'forgot-username',
        (i) => api.post('/auth/forgot-username', { email: known[i % known.length].email }),
        () => api.post('/auth/forgot-username', { email: `ghost_${uniqueTag()}@example.com` }),
      );
    });

    it('answers a reset request for a known and an unknown username alike, in status, body and time', async () => {
      await compare(
        'password-reset/request',
        (i) => api.post('/auth/password-reset/request', { username: known[i % known.length].username }),
        () => api.post('/auth/password-reset/request', { username: `ghost_${uniqueTag()}` }),
      );
    });

    it('answers a wrong reset code for a known and an unknown username alike, in status, body and time', async () => {
      const newPassword = `meadow cobalt ${uniqueTag()} anchor`;
      await compare(
        'password-reset/confirm',
        (i) =>
          api.post('/auth/password-reset/confirm', {
            username: known[i % known.length].username,
            code: String(10_000_000 + i),
            newPassword,
          }),
        (i) =>
          api.post('/auth/password-reset/confirm', {
            username: `ghost_${uniqueTag()}`,
            code: String(10_000_000 + i),
            newPassword,
          }),
      );
    });
  });

  describe('lockout, reset codes and sessions', () => {
    it('locks a username after 10 failures through the gateway, even for the right password, with Retry-After', async () => {
      const user = await newUser();
      for (let i = 0; i < 10; i++) {
        expect(
          (await api.post('/auth/login', { username: user.username, password: `wrong password ${i}` })).status,
        ).toBe(401);
      }
      const locked = await api.post('/auth/login', { username: user.username, password: user.password });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.stringify(locked.body)).not.toContain('accessToken');
      await mailpit.waitForMessage({ to: user.email, subject: 'locked', timeoutMs: 30_000 });
    });

    it('locks for longer on the second lockout in a row (AUTH_LOCKOUT_BASE_SECONDS=2: 2 s, then 4 s)', async () => {
      const user = await newUser();
      const lockOut = async (round: number) => {
        for (let i = 0; i < 10; i++) {
          const res = await api.post('/auth/login', { username: user.username, password: `wrong ${round} ${i} pw` });
          expect(res.status).toBe(401);
        }
        const locked = await api.post('/auth/login', { username: user.username, password: user.password });
        expect(locked.status).toBe(429);
        return Number(locked.headers.get('retry-after'));
      };
      const first = await lockOut(1);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(2);
      await new Promise((resolve) => setTimeout(resolve, first * 1000 + 300));
      const second = await lockOut(2);
      expect(second).toBeGreaterThan(2);
      expect(second).toBeLessThanOrEqual(4);
    });

    it('voids a reset code after 5 wrong tries, and a used code never works again', async () => {
      const user = await newUser();
      expect((await api.post('/auth/password-reset/request', { username: user.username })).status).toBe(202);
      const code = await emailedCode(mailpit, user.email, 'password reset');
      ledger.add('reset code', code);
      const newPassword = `harbor velvet ${uniqueTag()} summit`;
      ledger.add('new password', newPassword);
      const wrong = String((Number(code) + 1) % 100_000_000).padStart(code.length, '0');
      for (let i = 0; i < 5; i++) {
        expect(
          (await api.post('/auth/password-reset/confirm', { username: user.username, code: wrong, newPassword }))
            .status,
        ).toBe(400);
      }
      // the sixth try is the right code, but the code is spent
      expect(
        (await api.post('/auth/password-reset/confirm', { username: user.username, code, newPassword })).status,
      ).toBe(400);
      expect((await api.post('/auth/login', { username: user.username, password: user.password })).status).toBe(200);

      expect((await api.post('/auth/password-reset/request', { email: user.email })).status).toBe(202);
      const fresh = await emailedCode(mailpit, user.email, 'password reset', [code]);
      ledger.add('reset code', fresh);
      expect(
        (await api.post('/auth/password-reset/confirm', { username: user.username, code: fresh, newPassword })).status,
      ).toBe(204);
      expect(
        (
          await api.post('/auth/password-reset/confirm', {
            username: user.username,
            code: fresh,
            newPassword: `${newPassword} 2`,
          })
        ).status,
      ).toBe(400);
      // every earlier session is revoked
      expect((await api.post('/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
      expect((await api.post('/auth/login', { username: user.username, password: newPassword })).status).toBe(200);
      await mailpit.waitForMessage({ to: user.email, subject: 'password was changed', timeoutMs: 30_000 });
    });

    /** The tries left on a user's stored one-time code, read from the auth database. */
    async function attemptsLeft(userId: string, slot: 'email' | 'reset'): Promise<number | undefined> {
      const mongo = await mongoose.mongo.MongoClient.connect(process.env.MONGO_URL!);
      try {
        const db = mongo.db(`auth_${portal.topicPrefix.replace(/\.$/, '')}`);
        const user = await db
          .collection<{ _id: string; codes?: Record<string, { attemptsLeft: number }> }>('users')
          .findOne({ _id: userId });
        return user?.codes?.[slot]?.attemptsLeft;
      } finally {
        await mongo.close();
      }
    }

    const wrongCode = (code: string, i: number) =>
      String((Number(code) + 1 + i) % 10 ** code.length).padStart(code.length, '0');

    it('counts at most 5 of 20 concurrent wrong email codes, and then refuses the right one', async () => {
      const body = registrationBody();
      const registered = await api.post<{ userId: string }>('/auth/register', body);
      expect(registered.status).toBe(201);
      const code = await emailedCode(mailpit, body.email, 'verification code');
      ledger.add('verification code', code);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.post('/auth/verify-email', { username: body.username, code: wrongCode(code, i) }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 400));
      // never below zero: no more than the 5 allowed tries were spent (and compared)
      expect(await attemptsLeft(registered.body.userId, 'email')).toBe(0);
      expect((await api.post('/auth/verify-email', { username: body.username, code })).status).toBe(400);
      const session = await api.post<{ accessToken: string }>('/auth/login', {
        username: body.username,
        password: body.password,
      });
      expect(session.status).toBe(200);
      expect((await api.get<{ emailVerified: boolean }>('/me', session.body.accessToken)).body.emailVerified).toBe(
        false,
      );
    });

    it('counts at most 5 of 20 concurrent wrong reset codes, and then refuses the right one', async () => {
      const user = await newUser();
      expect((await api.post('/auth/password-reset/request', { username: user.username })).status).toBe(202);
      const code = await emailedCode(mailpit, user.email, 'password reset');
      ledger.add('reset code', code);
      const newPassword = `copper meadow ${uniqueTag()} falcon`;
      ledger.add('new password', newPassword);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.post('/auth/password-reset/confirm', { username: user.username, code: wrongCode(code, i), newPassword }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 400));
      expect(await attemptsLeft(user.userId, 'reset')).toBe(0);
      expect(
        (await api.post('/auth/password-reset/confirm', { username: user.username, code, newPassword })).status,
      ).toBe(400);
      expect((await api.post('/auth/login', { username: user.username, password: user.password })).status).toBe(200);
    });

    it('a profile update racing a reset never brings the used reset code back', async () => {
      const user = await newUser();
      expect((await api.post('/auth/password-reset/request', { username: user.username })).status).toBe(202);
      const code = await emailedCode(mailpit, user.email, 'password reset');
      ledger.add('reset code', code);
      const newPassword = `amber trellis ${uniqueTag()} oxbow`;
      ledger.add('new password', newPassword);
      const patches = Array.from({ length: 10 }, (_, i) =>
        api.call('PATCH', '/me', { token: user.accessToken, body: { firstName: `Racer${i}` } }),
      );
      const confirm = api.post('/auth/password-reset/confirm', { username: user.username, code, newPassword });
      expect((await confirm).status).toBe(204);
      // 200, or 409 when the racing patches kept changing the profile under each other, or 401 for one
      // verified after the reset revoked the token (account-takeover.e2e-spec); never a 5xx
      const statuses = (await Promise.all(patches)).map((p) => p.status);
      expect(statuses.filter((status) => status !== 200 && status !== 409 && status !== 401)).toEqual([]);
      expect(statuses).toContain(200);
      expect(await attemptsLeft(user.userId, 'reset')).toBeUndefined();
      expect(
        (
          await api.post('/auth/password-reset/confirm', {
            username: user.username,
            code,
            newPassword: `${newPassword} 2`,
          })
        ).status,
      ).toBe(400);
    });

    it('rotates refresh tokens through the gateway and revokes the family on reuse', async () => {
      const user = await newUser();
      const second = await api.post<{ refreshToken: string; accessToken: string }>('/auth/refresh', {
        refreshToken: user.refreshToken,
      });
      expect(second.status).toBe(200);
      ledger.add('rotated refresh token', second.body.refreshToken);
      ledger.add('rotated access token', second.body.accessToken);
      expect(second.body.refreshToken).not.toBe(user.refreshToken);
      expect((await api.post('/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
      expect((await api.post('/auth/refresh', { refreshToken: second.body.refreshToken })).status).toBe(401);
    });

    it('logout revokes the session, and needs a token and the caller’s own refresh token', async () => {
      const alice = await newUser();
      const bob = await newUser();
      expect((await api.call('POST', '/auth/logout', { body: { refreshToken: alice.refreshToken } })).status).toBe(401);
      const foreign = await api.post('/auth/logout', { refreshToken: alice.refreshToken }, bob.accessToken);
      // silently ignored (204) or refused, but never a 5xx
      expect([204, 401, 403, 404]).toContain(foreign.status);
      // Bob's attempt left Alice's session alive
      const rotated = await api.post<{ refreshToken: string }>('/auth/refresh', { refreshToken: alice.refreshToken });
      expect(rotated.status).toBe(200);
      ledger.add('rotated refresh token', rotated.body.refreshToken);
      expect(
        (await api.post('/auth/logout', { refreshToken: rotated.body.refreshToken }, alice.accessToken)).status,
      ).toBe(204);
      expect((await api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(401);
    });
  });

  describe('forged and misused tokens are refused at the gateway and at every service', () => {
    let user: TestUser;
    let jwks: { keys: JWK[] };
    let privateJwk: JWK;
    const forged: Record<string, string> = {};

    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = () => ({
      sub: user.userId,
      roles: ['customer', 'operator'],
      username: user.username,
      iss: 'postal-portal-auth',
      aud: 'postal-portal',
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const sign = async (payload: Record<string, unknown>, kid: string, key: JWK = privateJwk) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid }).sign(await importJWK(key, 'ES256'));

    beforeAll(async () => {
      user = await newUser();
      jwks = (await fetch(`${portal.gatewayUrl}/.well-known/jwks.json`).then((r) => r.json())) as { keys: JWK[] };
      const mongo = await mongoose.mongo.MongoClient.connect(process.env.MONGO_URL!);
      try {
        const db = mongo.db(`auth_${portal.topicPrefix.replace(/\.$/, '')}`);
        const key = await db.collection<{ _id: string; privateKey: string }>('signing_keys').findOne({});
        privateJwk = JSON.parse(
          Buffer.from(key!.privateKey.replace(/^v1\.plain\./, ''), 'base64url').toString('utf8'),
        ) as JWK;
      } finally {
        await mongo.close();
      }
      const kid = jwks.keys[0].kid!;
      const pem = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const hsHead = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(claims())}`;
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      forged['alg none'] = `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(claims())}.`;
      forged['HS256 signed with the public key'] =
        `${hsHead}.${createHmac('sha256', pem).update(hsHead).digest('base64url')}`;
      forged.expired = await sign({ ...claims(), iat: 1_000_000, exp: 1_000_900 }, kid);
      forged['wrong iss'] = await sign({ ...claims(), iss: 'someone-else' }, kid);
      forged['wrong aud'] = await sign({ ...claims(), aud: 'another-app' }, kid);
      forged['unknown kid'] = await sign(claims(), 'unknown-kid', privateKey.export({ format: 'jwk' }) as JWK);
      forged['refresh token as access token'] = user.refreshToken;
      for (const [what, token] of Object.entries(forged)) ledger.add(`forged token: ${what}`, token);
    });

    // One guarded route per service: the gateway path, and the service that owns it.
    const ROUTES = [
      { service: 'auth', path: '/api/v1/me' },
      { service: 'tracking', path: '/api/v1/tracking/watchlist' },
      { service: 'pickup', path: '/api/v1/labels' },
      { service: 'notifications', path: '/api/v1/notifications' },
    ] as const;

    it('accepts a token signed with the service key (control)', async () => {
      const token = await sign(claims(), jwks.keys[0].kid!);
      for (const route of ROUTES) {
        expect([route.path, (await new PortalClient(portal.gatewayUrl).get(route.path, token)).status]).toEqual([
          route.path,
          200,
        ]);
        expect([
          route.service,
          (await new PortalClient(portal.urls[route.service]).get(route.path, token)).status,
        ]).toEqual([route.service, 200]);
      }
    });

    it.each([
      'alg none',
      'HS256 signed with the public key',
      'expired',
      'wrong iss',
      'wrong aud',
      'unknown kid',
      'refresh token as access token',
    ])('refuses a token with %s with 401', async (what) => {
      const token = forged[what];
      const results: string[] = [];
      for (const route of ROUTES) {
        const atGateway = await new PortalClient(portal.gatewayUrl).get(route.path, token);
        const atService = await new PortalClient(portal.urls[route.service]).get(route.path, token);
        results.push(`gateway ${route.path} ${atGateway.status}`, `${route.service} ${route.path} ${atService.status}`);
      }
      expect(results).toEqual(ROUTES.flatMap((r) => [`gateway ${r.path} 401`, `${r.service} ${r.path} 401`]));
    });
  });

  describe('response headers', () => {
    it('hardens every answer and keeps auth answers out of caches', async () => {
      const user = await newUser();
      const answers = {
        login: await api.post('/auth/login', { username: user.username, password: user.password }),
        'login refused': await api.post('/auth/login', { username: user.username, password: 'not the password' }),
        refresh: await api.post('/auth/refresh', { refreshToken: 'not-a-token' }),
        me: await api.get('/me', user.accessToken),
        'edge 401': await api.get('/me'),
        'tracking lookup': await api.get('/tracking/9400100000000000000000'),
        stamps: await api.get('/stamps'),
        'unknown route': await api.get('/no-such-thing'),
      };
      const ledgerTokens = answers.login.body as { accessToken?: string; refreshToken?: string };
      ledger.add('access token', ledgerTokens.accessToken);
      ledger.add('refresh token', ledgerTokens.refreshToken);
      const seen = Object.entries(answers).map(([name, res]) => ({
        name,
        poweredBy: res.headers.get('x-powered-by'),
        nosniff: res.headers.get('x-content-type-options'),
      }));
      expect(seen).toEqual(Object.keys(answers).map((name) => ({ name, poweredBy: null, nosniff: 'nosniff' })));
      for (const name of ['login', 'login refused', 'refresh', 'me', 'edge 401'] as const) {
        expect([name, answers[name].headers.get('cache-control')]).toEqual([name, expect.stringContaining('no-store')]);
      }
    });
  });

  it('never writes a password, code or token it used to the logs', async () => {
    // Flush time for the apps' log streams.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(portalLogBytes(portal)).toBeGreaterThan(0);
    expect(ledger.size).toBeGreaterThan(20);
    expect(ledger.findInLogs(portal)).toEqual([]);
  });
});
