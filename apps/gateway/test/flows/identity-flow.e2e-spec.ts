import mongoose from 'mongoose';
import { authenticator } from 'otplib';
import {
  createAddress,
  createLabel,
  createUser,
  emailedCode,
  login,
  PortalClient,
  registrationBody,
  waitFor,
  type TestUser,
} from '@app/testing';
import { operatorToken, postScans, scanEvent, scannerKey, settledCount, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(180_000);

interface Address {
  id: string;
  label?: string;
  name: string;
  line1: string;
  city: string;
  state: string;
  zip: string;
  isDefault?: boolean;
}

describe('identity through the gateway (real stack)', () => {
  let flow: Flow;

  beforeAll(async () => {
    // One trusted hop, as behind a TLS-terminating proxy: `x-forwarded-proto: https` then makes cookies Secure.
    flow = await startFlow({ GATEWAY_TRUST_PROXY_HOPS: '1' });
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  it('refuses a weak password with its reasons and a taken username or email', async () => {
    const { api, mailpit } = flow;
    const weak = await api.post<{ statusCode: number; message: string[] }>(
      '/auth/register',
      registrationBody({ password: 'password1' }),
    );
    expect(weak.status).toBe(400);
    expect(weak.body.message.join(' ')).toMatch(/password/);

    const taken = await createUser(api, mailpit);
    const sameUsername = await api.post('/auth/register', registrationBody({ username: taken.username }));
    expect(sameUsername.status).toBe(409);
    const sameEmail = await api.post('/auth/register', registrationBody({ email: taken.email }));
    expect(sameEmail.status).toBe(409);
  });

  it('logs in, rotates the refresh token and logs out', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const first = await login(api, user.username, user.password);
    expect((await api.get('/me', first.accessToken)).status).toBe(200);

    const refreshed = await api.post<{ accessToken: string; refreshToken: string; tokenType: string }>(
      '/auth/refresh',
      { refreshToken: first.refreshToken },
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.tokenType).toBe('Bearer');
    expect(refreshed.body.refreshToken).not.toBe(first.refreshToken);

    const logout = await api.post(
      '/auth/logout',
      { refreshToken: refreshed.body.refreshToken },
      refreshed.body.accessToken,
    );
    expect(logout.status).toBe(204);
    expect((await api.post('/auth/refresh', { refreshToken: refreshed.body.refreshToken })).status).toBe(401);
  });

  it('keeps the refresh token in an HttpOnly cookie for a browser that opts in', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const optIn = { 'x-refresh-cookie': '1' };
    const cookieOf = (res: { headers: Headers }) => {
      const set = res.headers.getSetCookie().find((c) => c.startsWith('portal_refresh='));
      return {
        set: set ?? '',
        pair: set?.split(';')[0] ?? '',
        value: set?.split(';')[0].slice('portal_refresh='.length),
      };
    };

    const loggedIn = await api.call<Record<string, unknown>>('POST', '/auth/login', {
      headers: optIn,
      body: { username: user.username, password: user.password },
    });
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.body).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer' });
    expect(loggedIn.body).not.toHaveProperty('refreshToken');
    const first = cookieOf(loggedIn);
    expect(first.set).toMatch(/HttpOnly/);
    expect(first.set).toMatch(/SameSite=Strict/);
    expect(first.set).toMatch(/Path=\/api\/v1\/auth(;|$)/);
    expect(first.set).not.toMatch(/Secure/);
    expect(first.value).toMatch(/^[\w-]{20,}$/);

    // The cookie alone, without the opt-in header, is not read (a cross-site form cannot add the header).
    const noHeader = await api.call('POST', '/auth/refresh', { headers: { cookie: first.pair }, body: {} });
    expect(noHeader.status).toBe(400);

    const refreshed = await api.call<Record<string, unknown>>('POST', '/auth/refresh', {
      headers: { ...optIn, cookie: first.pair },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).not.toHaveProperty('refreshToken');
    const second = cookieOf(refreshed);
    expect(second.value).toBeDefined();
    expect(second.value).not.toBe(first.value);
    expect((await api.get('/me', refreshed.body.accessToken as string)).status).toBe(200);

    // The old value again: reuse, so the whole family is revoked, the newer cookie with it.
    const reused = await api.call('POST', '/auth/refresh', { headers: { ...optIn, cookie: first.pair }, body: {} });
    expect(reused.status).toBe(401);
    expect(cookieOf(reused).set).toMatch(/^portal_refresh=;/);
    const afterReuse = await api.call('POST', '/auth/refresh', {
      headers: { ...optIn, cookie: second.pair },
      body: {},
    });
    expect(afterReuse.status).toBe(401);

    // Over https (as the gateway sees it behind a TLS proxy) the cookie is Secure; logout revokes and clears it.
    const again = await api.call<{ accessToken: string }>('POST', '/auth/login', {
      headers: { ...optIn, 'x-forwarded-proto': 'https' },
      body: { username: user.username, password: user.password },
    });
    const third = cookieOf(again);
    expect(third.set).toMatch(/Secure/);
    const logout = await api.call('POST', '/auth/logout', {
      token: again.body.accessToken,
      headers: { ...optIn, cookie: third.pair },
      body: {},
    });
    expect(logout.status).toBe(204);
    expect(cookieOf(logout).set).toMatch(/^portal_refresh=;.*Expires=Thu, 01 Jan 1970/);
    expect(
      (await api.call('POST', '/auth/refresh', { headers: { ...optIn, cookie: third.pair }, body: {} })).status,
    ).toBe(401);
    // Body-based clients are unchanged: a refresh with neither body token nor cookie is a 400 with the reason.
    const missing = await api.call<{ message: string }>('POST', '/auth/refresh', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/refreshToken is required/);
  });

  it("lists the caller's sessions and revokes one, never another user's", async () => {
    const { api, mailpit } = flow;
    type Sessions = {
      items: { id: string; createdAt: string; lastUsedAt: string; userAgent?: string; current: boolean }[];
    };
    const user = await createUser(api, mailpit);
    const other = await createUser(api, mailpit);
    const laptop = await api.call<{ accessToken: string; refreshToken: string }>('POST', '/auth/login', {
      headers: { 'user-agent': 'SessionTest/1.0 (laptop)' },
      body: { username: user.username, password: user.password },
    });
    expect(laptop.status).toBe(200);

    const listed = await api.get<Sessions>('/auth/sessions', laptop.body.accessToken);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    const current = listed.body.items.filter((s) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ userAgent: 'SessionTest/1.0 (laptop)' });
    const first = listed.body.items.find((s) => !s.current)!;
    expect(first).toMatchObject({
      id: expect.any(String),
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
    });

    // Another user neither sees nor ends them.
    const othersList = await api.get<Sessions>('/auth/sessions', other.accessToken);
    expect(othersList.body.items.map((s) => s.id)).not.toContain(first.id);
    expect(othersList.body.items.map((s) => s.id)).not.toContain(current[0].id);
    expect((await api.call('DELETE', `/auth/sessions/${first.id}`, { token: other.accessToken })).status).toBe(404);
    expect((await api.call('DELETE', '/auth/sessions/fam_does_not_exist', { token: user.accessToken })).status).toBe(
      404,
    );
    expect((await api.call('DELETE', `/auth/sessions/${first.id}`)).status).toBe(401);
    const firstRotated = await api.post<{ refreshToken: string }>('/auth/refresh', { refreshToken: user.refreshToken });
    expect(firstRotated.status).toBe(200);

    // A refresh moves lastUsedAt; revoking the first session ends its refresh tokens, not the other's.
    const before = current[0].lastUsedAt;
    const rotated = await api.post<{ accessToken: string; refreshToken: string }>('/auth/refresh', {
      refreshToken: laptop.body.refreshToken,
    });
    expect(rotated.status).toBe(200);
    expect((await api.call('DELETE', `/auth/sessions/${first.id}`, { token: rotated.body.accessToken })).status).toBe(
      204,
    );
    const after = await api.get<Sessions>('/auth/sessions', rotated.body.accessToken);
    expect(after.body.items.map((s) => s.id)).toEqual([current[0].id]);
    expect(new Date(after.body.items[0].lastUsedAt).getTime()).toBeGreaterThan(new Date(before).getTime());
    expect(after.body.items[0].current).toBe(true);
    expect((await api.post('/auth/refresh', { refreshToken: firstRotated.body.refreshToken })).status).toBe(401);
    const sessionsOfFirst = await api.get<Sessions>('/auth/sessions', user.accessToken);
    expect(sessionsOfFirst.body.items.every((s) => !s.current)).toBe(true);
    expect((await api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(200);
  });

  it('emails a forgotten username, and resets a password by emailed code with a "password changed" email', async () => {
    const { api, mailpit } = flow;
    const user: TestUser = await createUser(api, mailpit);

    expect((await api.post('/auth/forgot-username', { email: user.email })).status).toBe(202);
    const reminder = await mailpit.waitForMessage({ to: user.email, subject: 'Your username', timeoutMs: 30_000 });
    expect(await mailpit.messageText(reminder.ID)).toContain(user.username);
    expect((await api.post('/auth/forgot-username', { email: 'nobody-at-all@example.com' })).status).toBe(202);

    expect((await api.post('/auth/password-reset/request', { username: user.username })).status).toBe(202);
    const code = await emailedCode(mailpit, user.email, 'password reset code');
    const newPassword = `${user.password} renewed`;
    const confirm = await api.post('/auth/password-reset/confirm', { username: user.username, code, newPassword });
    expect(confirm.status).toBe(204);
    await mailpit.waitForMessage({ to: user.email, subject: 'Your password was changed', timeoutMs: 30_000 });

    expect((await api.post('/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await api.post('/auth/login', { username: user.username, password: user.password })).status).toBe(401);
    await login(api, user.username, newPassword);
  });

  it('reads and updates the profile', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const me = await api.get<{ firstName: string; lastName: string; email: string }>('/me', user.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ firstName: 'Jane', lastName: 'Doe', email: user.email });

    const patched = await api.call<{ firstName: string }>('PATCH', '/me', {
      token: user.accessToken,
      body: { firstName: 'Janet', phone: '+12025550123', currentPassword: user.password },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.firstName).toBe('Janet');
    expect((await api.get<{ firstName: string }>('/me', user.accessToken)).body.firstName).toBe('Janet');
    expect((await api.get('/me')).status).toBe(401);
  });

  it('counts wrong current passwords toward the lockout, which answers 429 with Retry-After', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const change = (currentPassword: string) =>
      api.call('POST', '/me/password', {
        token: user.accessToken,
        body: { currentPassword, newPassword: 'quartz meadow lantern 4471' },
      });
    for (let i = 0; i < 10; i++) expect((await change(`wrong guess ${i}`)).status).toBe(401);
    const locked = await change(user.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const disable = await api.call('POST', '/auth/mfa/totp/disable', {
      token: user.accessToken,
      body: { currentPassword: user.password, code: '123456' },
    });
    expect(disable.status).toBe(429);
    expect((await api.post('/auth/login', { username: user.username, password: user.password })).status).toBe(429);
  });

  it('changes the email only with the current password, and tells the old address', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const newEmail = `moved_${user.username}@example.com`;
    const patch = (body: Record<string, unknown>) => api.call('PATCH', '/me', { token: user.accessToken, body });

    const missing = await patch({ email: newEmail });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('currentPassword is required to change the email');
    const wrong = await patch({ email: newEmail, currentPassword: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('current password is wrong');
    expect((await api.get<{ email: string }>('/me', user.accessToken)).body.email).toBe(user.email);
    // other fields need no password
    expect((await patch({ firstName: 'Janine' })).status).toBe(200);

    const changed = await patch({ email: newEmail, currentPassword: user.password });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ email: newEmail, emailVerified: false, firstName: 'Janine' });
    const notice = await mailpit.waitForMessage({
      to: user.email,
      subject: 'Your email address was changed',
      timeoutMs: 30_000,
    });
    expect(await mailpit.messageText(notice.ID)).toContain('If this was not you');
    // the new address proves itself with a fresh code
    const code = await emailedCode(mailpit, newEmail, 'verification code');
    expect((await api.post('/auth/verify-email', { username: user.username, code })).status).toBe(204);
    expect((await api.get<{ emailVerified: boolean }>('/me', user.accessToken)).body.emailVerified).toBe(true);
    expect((await mailpit.messages(newEmail)).some((m) => m.Subject.includes('email address was changed'))).toBe(false);
  });

  it('resends an email verification code that voids the old one, answering 202 for anyone', async () => {
    const { api, mailpit } = flow;
    const body = registrationBody();
    expect((await api.post('/auth/register', body)).status).toBe(201);
    const first = await emailedCode(mailpit, body.email, 'verification code');

    const resend = (username: string) => api.post('/auth/verify-email/resend', { username });
    const known = await resend(body.username);
    const unknown = await resend(`ghost_${body.username}`);
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.text).toBe(unknown.text);
    const second = await emailedCode(mailpit, body.email, 'verification code', [first]);

    expect((await api.post('/auth/verify-email', { username: body.username, code: first })).status).toBe(400);
    expect((await api.post('/auth/verify-email', { username: body.username, code: second })).status).toBe(204);

    // verified now: still 202, and no further code is sent
    expect((await resend(body.username)).status).toBe(202);
    expect((await resend(body.email)).status).toBe(202);
    expect(await settledCount(mailpit, body.email, 'verification code', 2000)).toBe(2);
    expect((await api.post('/auth/verify-email/resend', {})).status).toBe(400);
  });

  it('keeps an address book: create, list, update, delete, owner only', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const other = await createUser(api, mailpit);
    const created = await api.post<Address>(
      '/me/addresses',
      { label: 'work', name: 'JANE DOE', line1: '3 OAK AVE', city: 'ARLINGTON', state: 'VA', zip: '22201' },
      user.accessToken,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ label: 'work', line1: '3 OAK AVE', zip: '22201' });
    const id = created.body.id;

    const list = await api.get<{ items: Address[] }>('/me/addresses', user.accessToken);
    expect(list.body.items.map((a) => a.id)).toContain(id);
    const othersList = await api.get<{ items: Address[] }>('/me/addresses', other.accessToken);
    expect(othersList.body.items.map((a) => a.id)).not.toContain(id);

    const updated = await api.call<Address>('PATCH', `/me/addresses/${id}`, {
      token: user.accessToken,
      body: { label: 'office' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.label).toBe('office');
    expect(
      (await api.call('PATCH', `/me/addresses/${id}`, { token: other.accessToken, body: { label: 'x' } })).status,
    ).toBe(404);
    expect((await api.call('DELETE', `/me/addresses/${id}`, { token: other.accessToken })).status).toBe(404);

    expect((await api.call('DELETE', `/me/addresses/${id}`, { token: user.accessToken })).status).toBe(204);
    const afterDelete = await api.get<{ items: Address[] }>('/me/addresses', user.accessToken);
    expect(afterDelete.body.items.map((a) => a.id)).not.toContain(id);
  });

  it('enrols TOTP, logs in with a code or a recovery code (once), and disables MFA only with the right password and a code', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const setup = await api.post<{ secret: string; otpauthUri: string }>('/auth/mfa/totp/setup', {}, user.accessToken);
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const enabled = await api.post<{ recoveryCodes: string[] }>(
      '/auth/mfa/totp/enable',
      { code: authenticator.generate(setup.body.secret), currentPassword: user.password },
      user.accessToken,
    );
    expect(enabled.status).toBe(200);
    const withoutCode = await api.post<{ mfaRequired?: boolean }>('/auth/login', {
      username: user.username,
      password: user.password,
    });
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.mfaRequired).toBe(true);
    const nextStep = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(setup.body.secret);
    const withCode = await api.post('/auth/login', { username: user.username, password: user.password, otp: nextStep });
    expect(withCode.status).toBe(200);
    const recovery = enabled.body.recoveryCodes[0];
    const once = { username: user.username, password: user.password, otp: recovery };
    expect((await api.post('/auth/login', once)).status).toBe(200);
    expect((await api.post('/auth/login', once)).status).toBe(401);

    const disable = (body: Record<string, unknown>) => api.post('/auth/mfa/totp/disable', body, user.accessToken);
    const wrong = await disable({ currentPassword: 'not the password at all', code: enabled.body.recoveryCodes[1] });
    expect(wrong.status).toBe(401);
    expect((await disable({ currentPassword: user.password, code: 'zzzzz-zzzzz' })).status).toBe(401);
    expect((await api.get<{ mfaEnabled: boolean }>('/me', user.accessToken)).body.mfaEnabled).toBe(true);
    // a recovery code stands in for the authenticator (the login above spent the first one)
    expect((await disable({ currentPassword: user.password, code: enabled.body.recoveryCodes[1] })).status).toBe(204);
    expect((await api.get<{ mfaEnabled: boolean }>('/me', user.accessToken)).body.mfaEnabled).toBe(false);
    await login(api, user.username, user.password);
  });

  it('keeps exactly one default address through create, set default and deleting the default', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const defaults = async () =>
      (await api.get<{ items: Address[] }>('/me/addresses', user.accessToken)).body.items
        .filter((a) => a.isDefault)
        .map((a) => a.id);
    const [home] = await defaults();
    expect(home).toEqual(expect.any(String));

    const a = await createAddress(api, user.accessToken, { label: 'a' });
    expect(await defaults()).toEqual([home]);
    const b = await createAddress(api, user.accessToken, { label: 'b', isDefault: true });
    expect(await defaults()).toEqual([b.id]);
    const setA = await api.call('PATCH', `/me/addresses/${a.id}`, {
      token: user.accessToken,
      body: { isDefault: true },
    });
    expect(setA.status).toBe(200);
    expect(await defaults()).toEqual([a.id]);
    expect((await api.call('DELETE', `/me/addresses/${a.id}`, { token: user.accessToken })).status).toBe(204);
    const after = await defaults();
    expect(after).toHaveLength(1);
    expect([home, b.id]).toContain(after[0]);
  });

  it('refuses a username that differs only by Unicode compatibility form (full-width letters)', async () => {
    const { api, mailpit } = flow;
    const taken = await createUser(api, mailpit);
    const fullWidth = [...taken.username]
      .map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))
      .join('');
    expect(fullWidth).not.toBe(taken.username);
    expect(fullWidth.normalize('NFKC')).toBe(taken.username);
    const res = await api.post('/auth/register', registrationBody({ username: fullWidth }));
    expect(res.status).toBe(409);
    expect(res.text).toContain('username is already taken');
  });

  it('stops honouring an API key at the gateway as soon as the operator revokes it', async () => {
    const { api, mailpit } = flow;
    const key = await scannerKey(api);
    const user = await createUser(api, mailpit);
    const label = await createLabel(api, user.accessToken);
    const first = await postScans(api, key, [scanEvent(label.trackingNumber, 'accepted', new Date())]);
    expect(first.status).toBe(202);
    expect(first.body.accepted).toBe(1);

    const revoked = await api.call('DELETE', `/admin/api-keys/${key.split('.')[0]}`, {
      token: await operatorToken(api),
    });
    expect(revoked.status).toBe(204);
    // the gateway cached a token for this key a moment ago; it must not hand it out any more
    const after = await postScans(api, key, [scanEvent(label.trackingNumber, 'in_transit', new Date())]);
    expect(after.status).toBe(401);
  });

  it('verifies a phone by SMS code and resets a password with the code sent by SMS', async () => {
    const { api, mailpit, portal } = flow;
    const user = await createUser(api, mailpit);
    const phone = `+1202555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    const sink = new PortalClient(`${portal.urls.notifications}/api/v1`);
    const operator = await operatorToken(api);
    const smsCode = (pattern: RegExp, notIn: string[] = []) =>
      waitFor(
        async () => {
          const res = await sink.get<{ items: { body: string }[] }>(
            `/admin/sms-sink?to=${encodeURIComponent(phone)}`,
            operator,
          );
          return res.body.items
            .filter((i) => pattern.test(i.body))
            .map((i) => /\b(\d{6,8})\b/.exec(i.body)?.[1])
            .find((c): c is string => c !== undefined && !notIn.includes(c));
        },
        { timeoutMs: 30_000, description: `an SMS to ${phone} matching ${String(pattern)}` },
      );

    expect(
      (await api.call('PATCH', '/me', { token: user.accessToken, body: { phone, currentPassword: user.password } }))
        .status,
    ).toBe(200);
    expect((await api.post('/me/phone/verification', {}, user.accessToken)).status).toBe(202);
    const phoneCode = await smsCode(/verif/i);
    const wrong = String((Number(phoneCode) + 1) % 1_000_000).padStart(6, '0');
    expect((await api.post('/me/phone/verify', { code: wrong }, user.accessToken)).status).toBe(400);
    expect((await api.post('/me/phone/verify', { code: phoneCode }, user.accessToken)).status).toBe(204);
    expect((await api.get<{ phoneVerified: boolean }>('/me', user.accessToken)).body.phoneVerified).toBe(true);
    // A phone verified in the last 7 days gets no reset codes (apps/gateway/test/security/account-takeover):
    // this one is made a week old.
    const mongo = await mongoose.mongo.MongoClient.connect(process.env.MONGO_URL!);
    try {
      await mongo
        .db(`auth_${portal.topicPrefix.replace(/\.$/, '')}`)
        .collection<{ _id: string }>('users')
        .updateOne({ _id: user.userId }, { $set: { phoneVerifiedAt: new Date(Date.now() - 8 * 24 * 60 * 60_000) } });
    } finally {
      await mongo.close();
    }

    expect((await api.post('/auth/password-reset/request', { username: user.username })).status).toBe(202);
    const resetCode = await smsCode(/reset/i, [phoneCode]);
    const newPassword = `${user.password} by text`;
    expect(
      (await api.post('/auth/password-reset/confirm', { username: user.username, code: resetCode, newPassword }))
        .status,
    ).toBe(204);
    await login(api, user.username, newPassword);
  });

  it('publishes the signing keys at the gateway root', async () => {
    const jwks = await flow.edge.get<{ keys: { kid: string; kty: string; alg: string }[] }>('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256' });
    expect(jwks.body.keys[0].kid).toEqual(expect.any(String));
  });
});
