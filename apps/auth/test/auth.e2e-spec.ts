import { Topics } from '@app/contracts';
import { collectEvents, startPortal, waitFor, type EventCollector, type Portal } from '@app/testing';
import { createHash, createHmac, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import mongoose from 'mongoose';
import { authenticator } from 'otplib';
import { AuthClient, identityEvent, newRegistration } from './auth-client';

const OPERATOR = { username: 'operator1', password: 'operator station kettle 4471' };

type Envelope = { type: string; key: string; data: Record<string, unknown> };
/** A raw document written past the app, keyed by a string id. */
type StoredDocument = { _id: string; [field: string]: unknown };

describe('auth service (real stack)', () => {
  let portal: Portal;
  let api: AuthClient;
  let events: EventCollector<Envelope>;
  let mongo: InstanceType<typeof mongoose.mongo.MongoClient>;

  beforeAll(async () => {
    portal = await startPortal({
      apps: ['auth'],
      env: {
        PORTAL_OPERATOR_USERNAME: OPERATOR.username,
        PORTAL_OPERATOR_PASSWORD: OPERATOR.password,
        AUTH_LOCKOUT_BASE_SECONDS: '3',
      },
    });
    api = new AuthClient(`${portal.urls.auth}/api/v1`);
    events = await collectEvents<Envelope>(Topics.Identity, { prefix: portal.topicPrefix, fromBeginning: true });
    mongo = await mongoose.mongo.MongoClient.connect(process.env.MONGO_URL!);
  });

  afterAll(async () => {
    await events?.stop();
    await mongo?.close();
    await portal?.stop();
  });

  async function registerVerified(overrides: Record<string, unknown> = {}) {
    const body = newRegistration(overrides);
    const res = await api.call<{ userId: string }>('POST', '/auth/register', body);
    expect(res.status).toBe(201);
    const userId = res.body.userId;
    const requested = await identityEvent(events, 'EmailVerificationRequested', userId);
    expect(
      (await api.call('POST', '/auth/verify-email', { username: body.username, code: requested.data.code })).status,
    ).toBe(204);
    return { ...body, userId };
  }

  async function login(username: string, password: string, otp?: string) {
    return api.call<{ accessToken: string; refreshToken: string; mfaRequired?: boolean; message?: string }>(
      'POST',
      '/auth/login',
      { username, password, ...(otp ? { otp } : {}) },
    );
  }

  it('refuses weak passwords and lists the reasons', async () => {
    const body = newRegistration({ password: 'short' });
    const res = await api.call<{ reasons: string[] }>('POST', '/auth/register', body);
    expect(res.status).toBe(400);
    expect(res.body.reasons).toEqual(['must be at least 12 characters long']);

    const common = await api.call<{ reasons: string[] }>(
      'POST',
      '/auth/register',
      newRegistration({ password: 'password1234' }),
    );
    expect(common.status).toBe(400);
    expect(common.body.reasons).toContain('is one of the most common passwords');

    const withName = newRegistration();
    const named = await api.call<{ reasons: string[] }>('POST', '/auth/register', {
      ...withName,
      password: `zebra ${withName.username} quartz`,
    });
    expect(named.status).toBe(400);
    expect(named.body.reasons).toContain('must not contain the username');
  });

  it('refuses a taken username or email after normalisation with 409', async () => {
    const first = await registerVerified();
    const sameName = newRegistration({ username: `  ${first.username.toUpperCase()} ` });
    expect((await api.call('POST', '/auth/register', sameName)).status).toBe(409);
    const sameEmail = newRegistration({ email: first.email.toUpperCase() });
    expect((await api.call('POST', '/auth/register', sameEmail)).status).toBe(409);
  });

  it('refuses malformed and hostile registration bodies with 4xx', async () => {
    expect((await api.call('POST', '/auth/register', '{"username":')).status).toBe(400);
    expect((await api.call('POST', '/auth/register', { ...newRegistration(), isAdmin: true })).status).toBe(400);
    expect((await api.call('POST', '/auth/register', { ...newRegistration(), username: { $gt: '' } })).status).toBe(
      400,
    );
    const badAddress = await api.call(
      'POST',
      '/auth/register',
      newRegistration({ address: { line1: 'x', city: 'y', state: 'ZZ', zip: '1' } }),
    );
    expect(badAddress.status).toBe(400);
  });

  it('verifies the email with the emailed code and refuses a wrong one', async () => {
    const body = newRegistration();
    const res = await api.call<{ userId: string }>('POST', '/auth/register', body);
    const userId = res.body.userId;
    const registered = await identityEvent(events, 'UserRegistered', userId);
    expect(registered.data.username).toBe(body.username);
    const requested = await identityEvent(events, 'EmailVerificationRequested', userId);
    const wrong = String((Number(requested.data.code) + 1) % 1_000_000).padStart(6, '0');
    expect((await api.call('POST', '/auth/verify-email', { username: body.username, code: wrong })).status).toBe(400);
    expect(
      (await api.call('POST', '/auth/verify-email', { username: body.username, code: requested.data.code })).status,
    ).toBe(204);
    await identityEvent(events, 'EmailVerified', userId);
    const me = await api.call<{ emailVerified: boolean }>(
      'GET',
      '/me',
      undefined,
      (await login(body.username, body.password)).body.accessToken,
    );
    expect(me.body.emailVerified).toBe(true);
  });

  it('logs in, and answers an unknown user and a wrong password identically', async () => {
    const user = await registerVerified();
    const ok = await login(user.username, user.password);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const byEmail = await login(user.email, user.password);
    expect(byEmail.status).toBe(200);

    const wrong = await login(user.username, 'not the password at all');
    const unknown = await login(`nobody_${Date.now()}`, 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
  });

  it('locks a username after 10 failures, even for the right password, then unlocks', async () => {
    const user = await registerVerified();
    for (let i = 0; i < 10; i++) expect((await login(user.username, `wrong password ${i}`)).status).toBe(401);
    const locked = await login(user.username, user.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const event = await identityEvent(events, 'AccountLocked', user.userId);
    expect(event.data.failures).toBe(10);

    const ghost = `ghost_${Date.now()}`;
    for (let i = 0; i < 10; i++) await login(ghost, `wrong password ${i}`);
    expect((await login(ghost, 'whatever password')).status).toBe(429);

    await new Promise((r) => setTimeout(r, 3500));
    expect((await login(user.username, user.password)).status).toBe(200);
  });

  it('rotates refresh tokens and revokes the family when a rotated token is reused', async () => {
    const user = await registerVerified();
    const first = (await login(user.username, user.password)).body;
    const second = await api.call<{ refreshToken: string }>('POST', '/auth/refresh', {
      refreshToken: first.refreshToken,
    });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await api.call('POST', '/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(401);
    // the reuse revoked the whole family, the newest token included
    expect((await api.call('POST', '/auth/refresh', { refreshToken: second.body.refreshToken })).status).toBe(401);
  });

  it('logout revokes the session', async () => {
    const user = await registerVerified();
    const session = (await login(user.username, user.password)).body;
    expect(
      (await api.call('POST', '/auth/logout', { refreshToken: session.refreshToken }, session.accessToken)).status,
    ).toBe(204);
    expect((await api.call('POST', '/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    expect((await api.call('POST', '/auth/logout', { refreshToken: session.refreshToken })).status).toBe(401);
  });

  const authDb = () => mongo.db(`auth_${portal.topicPrefix.replace(/\.$/, '')}`);
  const sub = (accessToken: string) =>
    JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()) as { sub: string; sid: string };

  it('keeps a login to one session document, which names itself in the refresh token', async () => {
    const user = await registerVerified();
    const session = (await login(user.username, user.password)).body;
    const { sid } = sub(session.accessToken);
    expect(session.refreshToken.startsWith(`${sid}-`)).toBe(true);
    const sha = createHash('sha256').update(session.refreshToken).digest('hex');
    const family = await authDb().collection<{ _id: string }>('token_families').findOne({ _id: sid });
    expect(family).toMatchObject({ userId: user.userId, tokenHash: sha, revokedAt: null });
    // nothing in the token collection until the token is rotated
    expect(await authDb().collection<{ _id: string }>('refresh_tokens').findOne({ _id: sha })).toBeNull();
  });

  it('lets one of two racing uses of a refresh token win at most, and ends the session', async () => {
    const user = await registerVerified();
    const session = (await login(user.username, user.password)).body;
    const answers = await Promise.all(
      [0, 1, 2].map(() =>
        api.call<{ refreshToken: string }>('POST', '/auth/refresh', { refreshToken: session.refreshToken }),
      ),
    );
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(1);
    for (const answer of answers.filter((a) => a.status === 200)) {
      expect((await api.call('POST', '/auth/refresh', { refreshToken: answer.body.refreshToken })).status).toBe(401);
    }
  });

  it('refreshes a token of the older opaque format once, into a session-named token', async () => {
    const user = await registerVerified();
    const opaque = randomBytes(32).toString('base64url');
    const familyId = `fam_${randomBytes(16).toString('hex')}`;
    const now = new Date();
    await authDb().collection<StoredDocument>('token_families').insertOne({
      _id: familyId,
      userId: user.userId,
      createdAt: now,
      lastUsedAt: now,
      userAgent: null,
      revokedAt: null,
    });
    await authDb()
      .collection<StoredDocument>('refresh_tokens')
      .insertOne({
        _id: createHash('sha256').update(opaque).digest('hex'),
        familyId,
        userId: user.userId,
        issuedAt: now,
        rotatedAt: null,
      });
    const next = await api.call<{ refreshToken: string }>('POST', '/auth/refresh', { refreshToken: opaque });
    expect(next.status).toBe(200);
    expect(next.body.refreshToken.startsWith(`${familyId}-`)).toBe(true);
    const newer = await api.call<{ refreshToken: string }>('POST', '/auth/refresh', {
      refreshToken: next.body.refreshToken,
    });
    expect(newer.status).toBe(200);
    // the opaque token again is reuse: the session ends
    expect((await api.call('POST', '/auth/refresh', { refreshToken: opaque })).status).toBe(401);
    expect((await api.call('POST', '/auth/refresh', { refreshToken: newer.body.refreshToken })).status).toBe(401);
  });

  it('refuses a made-up token for a real session without ending the session', async () => {
    const user = await registerVerified();
    const session = (await login(user.username, user.password)).body;
    const { sid } = sub(session.accessToken);
    const forged = `${sid}-${randomBytes(32).toString('base64url')}`;
    expect((await api.call('POST', '/auth/refresh', { refreshToken: forged })).status).toBe(401);
    expect((await api.call('POST', '/auth/logout', { refreshToken: forged }, session.accessToken)).status).toBe(204);
    expect((await api.call('POST', '/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(200);
  });

  it('logs in by an email that moved to another account as that account only', async () => {
    const first = await registerVerified();
    // the login remembers which account the email names
    expect((await login(first.email, first.password)).status).toBe(200);
    const token = (await login(first.username, first.password)).body.accessToken;
    const moved = await api.call(
      'PATCH',
      '/me',
      { email: `moved.${first.email}`, currentPassword: first.password },
      token,
    );
    expect(moved.status).toBe(200);
    expect((await login(first.email, first.password)).status).toBe(401);
    const second = await registerVerified({ email: first.email });
    const asSecond = await login(first.email, second.password);
    expect(asSecond.status).toBe(200);
    expect(sub(asSecond.body.accessToken).sub).toBe(second.userId);
    expect((await login(first.email, first.password)).status).toBe(401);
    expect(sub((await login(`moved.${first.email}`, first.password)).body.accessToken).sub).toBe(first.userId);
  });

  it('emails a forgotten username and answers 202 for unknown addresses too', async () => {
    const user = await registerVerified();
    expect((await api.call('POST', '/auth/forgot-username', { email: user.email.toUpperCase() })).status).toBe(202);
    expect((await api.call('POST', '/auth/forgot-username', { email: `nobody${Date.now()}@example.com` })).status).toBe(
      202,
    );
    const reminder = await identityEvent(events, 'UsernameReminderRequested', user.userId);
    expect(reminder.data.username).toBe(user.username);
  });

  it('resets a password with a single-use code, voids older codes and revokes sessions', async () => {
    const user = await registerVerified();
    const session = (await login(user.username, user.password)).body;
    expect((await api.call('POST', '/auth/password-reset/request', { username: user.username })).status).toBe(202);
    const older = await identityEvent(events, 'PasswordResetRequested', user.userId);
    expect((await api.call('POST', '/auth/password-reset/request', { email: user.email })).status).toBe(202);
    const newer = await identityEvent(
      events,
      'PasswordResetRequested',
      user.userId,
      (e) => e.data.code !== older.data.code,
    );
    expect((await api.call('POST', '/auth/password-reset/request', { username: `nobody_${Date.now()}` })).status).toBe(
      202,
    );

    const newPassword = 'marble canyon whistle 9921';
    const voided = await api.call('POST', '/auth/password-reset/confirm', {
      username: user.username,
      code: older.data.code,
      newPassword,
    });
    expect(voided.status).toBe(400);
    const weak = await api.call<{ reasons: string[] }>('POST', '/auth/password-reset/confirm', {
      username: user.username,
      code: newer.data.code,
      newPassword: 'password1234',
    });
    expect(weak.status).toBe(400);
    const done = await api.call('POST', '/auth/password-reset/confirm', {
      username: user.username,
      code: newer.data.code,
      newPassword,
    });
    expect(done.status).toBe(204);
    const again = await api.call('POST', '/auth/password-reset/confirm', {
      username: user.username,
      code: newer.data.code,
      newPassword,
    });
    expect(again.status).toBe(400);
    await identityEvent(events, 'PasswordChanged', user.userId);

    expect((await api.call('POST', '/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    expect((await login(user.username, user.password)).status).toBe(401);
    expect((await login(user.username, newPassword)).status).toBe(200);
  });

  it('enrols TOTP, then requires it at login, and accepts a recovery code once', async () => {
    const user = await registerVerified();
    const token = (await login(user.username, user.password)).body.accessToken;
    const setup = await api.call<{ secret: string; otpauthUri: string }>(
      'POST',
      '/auth/mfa/totp/setup',
      undefined,
      token,
    );
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(
      (await api.call('POST', '/auth/mfa/totp/enable', { code: '000000', currentPassword: user.password }, token))
        .status,
    ).toBe(400);
    const enabled = await api.call<{ recoveryCodes: string[] }>(
      'POST',
      '/auth/mfa/totp/enable',
      { code: authenticator.generate(setup.body.secret), currentPassword: user.password },
      token,
    );
    expect(enabled.status).toBe(200);
    expect(enabled.body.recoveryCodes).toHaveLength(10);
    await identityEvent(events, 'MfaChanged', user.userId);

    const noOtp = await login(user.username, user.password);
    expect(noOtp.status).toBe(401);
    expect(noOtp.body.mfaRequired).toBe(true);
    const nextStep = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(setup.body.secret);
    expect((await login(user.username, user.password, nextStep)).status).toBe(200);
    // the same code does not work twice
    expect((await login(user.username, user.password, nextStep)).status).toBe(401);

    const recovery = enabled.body.recoveryCodes[0];
    expect((await login(user.username, user.password, recovery)).status).toBe(200);
    expect((await login(user.username, user.password, recovery)).status).toBe(401);

    // a reset does not bypass MFA
    await api.call('POST', '/auth/password-reset/request', { username: user.username });
    const reset = await identityEvent(events, 'PasswordResetRequested', user.userId);
    const newPassword = 'saffron tunnel piano 5150';
    await api.call('POST', '/auth/password-reset/confirm', {
      username: user.username,
      code: reset.data.code,
      newPassword,
    });
    expect((await login(user.username, newPassword)).body.mfaRequired).toBe(true);
  });

  it('keeps address books to their owners and verifies an address by letter', async () => {
    const alice = await registerVerified();
    const bob = await registerVerified();
    const aliceToken = (await login(alice.username, alice.password)).body.accessToken;
    const bobToken = (await login(bob.username, bob.password)).body.accessToken;

    const created = await api.call<{ id: string; state: string; zip: string }>(
      'POST',
      '/me/addresses',
      { label: 'home', name: 'alice', line1: '1 main st', city: 'san juan', state: 'pr', zip: '00901-1234' },
      aliceToken,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'PR', zip: '00901-1234' });
    const id = created.body.id;
    expect((await api.call('GET', `/me/addresses/${id}`, undefined, bobToken)).status).toBe(404);
    expect((await api.call('PATCH', `/me/addresses/${id}`, { label: 'x' }, bobToken)).status).toBe(404);
    expect((await api.call('DELETE', `/me/addresses/${id}`, undefined, bobToken)).status).toBe(404);
    expect((await api.call('POST', `/me/addresses/${id}/verification-letter`, undefined, bobToken)).status).toBe(404);
    const bobList = await api.call<{ items: { id: string }[] }>('GET', '/me/addresses', undefined, bobToken);
    expect(bobList.body.items.map((a) => a.id)).not.toContain(id);
    expect(
      (await api.call('POST', '/me/addresses', { line1: '1', city: 'x', state: 'XX', zip: '1' }, aliceToken)).status,
    ).toBe(400);

    const letter = await api.call<{ letterId: string }>(
      'POST',
      `/me/addresses/${id}/verification-letter`,
      undefined,
      aliceToken,
    );
    expect(letter.status).toBe(202);
    const operatorToken = (await login(OPERATOR.username, OPERATOR.password)).body.accessToken;
    expect((await api.call('GET', '/admin/address-letters', undefined, aliceToken)).status).toBe(403);
    const letters = await api.call<{ items: { id: string; addressId: string }[] }>(
      'GET',
      '/admin/address-letters',
      undefined,
      operatorToken,
    );
    expect(letters.body.items.some((l) => l.id === letter.body.letterId && l.addressId === id)).toBe(true);
    const pdf = await fetch(`${portal.urls.auth}/api/v1/admin/address-letters/${letter.body.letterId}/pdf`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    expect((await api.call('POST', `/me/addresses/${id}/verify`, { code: 'AAAAAAAA' }, aliceToken)).status).toBe(400);
  });

  it('announces added, updated and removed addresses and every change of the default', async () => {
    const user = await registerVerified();
    const token = (await login(user.username, user.password)).body.accessToken;
    const registered = await identityEvent(events, 'AddressAdded', user.userId);
    expect(registered.data).toMatchObject({ isDefault: true, address: { state: 'DC', zip: '20500' } });
    const home = registered.data.addressId as string;
    await identityEvent(events, 'DefaultAddressChanged', user.userId, (e) => e.data.addressId === home);

    const created = await api.call<{ id: string }>(
      'POST',
      '/me/addresses',
      { label: 'work', line1: '3 oak ave', city: 'arlington', state: 'va', zip: '22201' },
      token,
    );
    expect(created.status).toBe(201);
    const work = created.body.id;
    const added = await identityEvent(events, 'AddressAdded', user.userId, (e) => e.data.addressId === work);
    expect(added.data).toMatchObject({ label: 'work', isDefault: false, address: { line1: '3 OAK AVE', state: 'VA' } });

    expect((await api.call('PATCH', `/me/addresses/${work}`, { isDefault: true }, token)).status).toBe(200);
    const updated = await identityEvent(events, 'AddressUpdated', user.userId, (e) => e.data.addressId === work);
    expect(updated.data).toMatchObject({ isDefault: true, verified: false });
    await identityEvent(events, 'DefaultAddressChanged', user.userId, (e) => e.data.addressId === work);

    expect((await api.call('DELETE', `/me/addresses/${work}`, undefined, token)).status).toBe(204);
    await identityEvent(events, 'AddressRemoved', user.userId, (e) => e.data.addressId === work);
    // the first address is the default again: a second DefaultAddressChanged for it
    await waitFor(
      () =>
        events.events.filter(
          (e) =>
            e.value.type === 'DefaultAddressChanged' && e.value.key === user.userId && e.value.data.addressId === home,
        ).length === 2,
      { timeoutMs: 15_000, description: 'the promoted default address' },
    );
  });

  describe('forged tokens', () => {
    let user: { username: string; password: string; userId: string };
    let jwks: { keys: JWK[] };
    let privateJwk: JWK;

    beforeAll(async () => {
      user = await registerVerified();
      jwks = (await fetch(`${portal.urls.auth}/.well-known/jwks.json`).then((r) => r.json())) as { keys: JWK[] };
      const db = mongo.db(`auth_${portal.topicPrefix.replace(/\.$/, '')}`);
      const key = await db.collection<{ _id: string; privateKey: string }>('signing_keys').findOne({});
      privateJwk = JSON.parse(
        Buffer.from(key!.privateKey.replace(/^v1\.plain\./, ''), 'base64url').toString('utf8'),
      ) as JWK;
    });

    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = () => ({
      sub: user.userId,
      roles: ['operator'],
      username: user.username,
      iss: 'postal-portal-auth',
      aud: 'postal-portal',
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const sign = async (payload: Record<string, unknown>, kid: string, key: JWK = privateJwk) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid }).sign(await importJWK(key, 'ES256'));

    it('accepts a token signed by the service key (control)', async () => {
      expect((await api.call('GET', '/me', undefined, await sign(claims(), jwks.keys[0].kid!))).status).toBe(200);
    });

    it('refuses alg none', async () => {
      const token = `${b64({ alg: 'none', typ: 'JWT', kid: jwks.keys[0].kid })}.${b64(claims())}.`;
      expect((await api.call('GET', '/me', undefined, token)).status).toBe(401);
    });

    it('refuses HS256 signed with the public key', async () => {
      const pem = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: jwks.keys[0].kid })}.${b64(claims())}`;
      const sig = createHmac('sha256', pem).update(head).digest('base64url');
      expect((await api.call('GET', '/me', undefined, `${head}.${sig}`)).status).toBe(401);
    });

    it('refuses an expired token and a wrong audience', async () => {
      const kid = jwks.keys[0].kid!;
      const expired = await sign({ ...claims(), iat: 1_000_000, exp: 1_000_900 }, kid);
      expect((await api.call('GET', '/me', undefined, expired)).status).toBe(401);
      expect((await api.call('GET', '/me', undefined, await sign({ ...claims(), aud: 'elsewhere' }, kid))).status).toBe(
        401,
      );
    });

    it('refuses a token with an unknown kid', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const foreign = privateKey.export({ format: 'jwk' }) as JWK;
      expect((await api.call('GET', '/me', undefined, await sign(claims(), 'unknown-kid', foreign))).status).toBe(401);
    });
  });

  it('lets only operators create API keys, and exchanges a key for a short token until revoked', async () => {
    const customer = await registerVerified();
    const customerToken = (await login(customer.username, customer.password)).body.accessToken;
    expect((await api.call('POST', '/admin/api-keys', { name: 'x', roles: ['scanner'] }, customerToken)).status).toBe(
      403,
    );

    const operatorToken = (await login(OPERATOR.username, OPERATOR.password)).body.accessToken;
    expect((await api.call('POST', '/admin/api-keys', { name: 'x', roles: ['operator'] }, operatorToken)).status).toBe(
      400,
    );
    const created = await api.call<{ id: string; key: string }>(
      'POST',
      '/admin/api-keys',
      { name: 'sorter 7', roles: ['scanner'] },
      operatorToken,
    );
    expect(created.status).toBe(201);
    const listed = await api.call<{ items: Record<string, unknown>[] }>(
      'GET',
      '/admin/api-keys',
      undefined,
      operatorToken,
    );
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key.split('.')[1]);

    const exchanged = await api.call<{ accessToken: string; expiresIn: number }>('POST', '/internal/api-keys/token', {
      key: created.body.key,
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.expiresIn).toBe(300);
    const payload = JSON.parse(Buffer.from(exchanged.body.accessToken.split('.')[1], 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({ sub: created.body.id, roles: ['scanner'] });

    expect((await api.call('POST', '/internal/api-keys/token', { key: `${created.body.id}.wrong` })).status).toBe(401);
    expect((await api.call('DELETE', `/admin/api-keys/${created.body.id}`, undefined, operatorToken)).status).toBe(204);
    expect((await api.call('POST', '/internal/api-keys/token', { key: created.body.key })).status).toBe(401);
  });

  it('measures login latency', async () => {
    const user = await registerVerified();
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) samples.push((await login(user.username, user.password)).ms);
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) unknown.push((await login(`nobody_${Date.now()}_${i}`, 'some password here')).ms);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    process.stdout.write(
      `login latency median: known ${median(samples).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms\n`,
    );
    expect(median(samples)).toBeLessThan(2000);
  });
});
