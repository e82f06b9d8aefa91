import { randomInt } from 'node:crypto';
import mongoose from 'mongoose';
import { authenticator } from 'otplib';
import {
  createUser,
  emailedCode,
  login,
  MailpitClient,
  PortalClient,
  startPortal,
  waitFor,
  type Portal,
  type TestUser,
} from '@app/testing';
import { OPERATOR, SECURITY_PORTAL_ENV } from './security-helpers';

jest.setTimeout(240_000);

/** How long every verifier reuses a password-change marker here (production default: 30 s, at most 60 s). */
const REVOCATION_CACHE_MS = 2000;

/** One guarded route per service: the gateway path, and the service that owns it. */
const ROUTES = [
  { service: 'auth', path: '/api/v1/me' },
  { service: 'tracking', path: '/api/v1/tracking/watchlist' },
  { service: 'pickup', path: '/api/v1/labels' },
  { service: 'notifications', path: '/api/v1/notifications' },
] as const;

const DAY_MS = 24 * 60 * 60_000;

/**
 * Issue 13, "a stolen access token must not be enough to take an account over": the attack went
 * PATCH /me with the thief's phone, verify it by SMS, reset the password by SMS, disable TOTP. Each
 * step is tried here with only the stolen token (and, where it matters, a guessed password), and
 * each must be refused; the owner's reset then ends the stolen token in every app.
 */
describe('account takeover with a stolen access token (real stack, through the gateway)', () => {
  let portal: Portal;
  let api: PortalClient;
  let mailpit: MailpitClient;
  let mongo: InstanceType<typeof mongoose.mongo.MongoClient>;
  let operator: string;

  beforeAll(async () => {
    portal = await startPortal({
      env: { ...SECURITY_PORTAL_ENV, AUTH_TOKEN_REVOCATION_CACHE_MS: String(REVOCATION_CACHE_MS) },
    });
    api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
    mailpit = new MailpitClient();
    mongo = await mongoose.mongo.MongoClient.connect(process.env.MONGO_URL!);
    operator = (await login(api, OPERATOR.username, OPERATOR.password)).accessToken;
  });

  afterAll(async () => {
    await mongo?.close();
    await portal?.stop();
  });

  const randomPhone = () => `+1202555${String(randomInt(10_000)).padStart(4, '0')}`;
  const patchMe = (token: string, body: Record<string, unknown>) => api.call('PATCH', '/me', { token, body });
  const me = async (token: string) =>
    (await api.get<{ phone?: string; phoneVerified: boolean; mfaEnabled: boolean }>('/me', token)).body;

  /** Texts the SMS sink kept for `phone` (operators read it through the gateway). */
  async function texts(phone: string): Promise<string[]> {
    const res = await api.get<{ items: { body: string }[] }>(
      `/admin/sms-sink?to=${encodeURIComponent(phone)}&limit=100`,
      operator,
    );
    expect(res.status).toBe(200);
    return res.body.items.map((i) => i.body);
  }

  async function textedCode(phone: string, pattern: RegExp): Promise<string> {
    return waitFor(
      async () =>
        (await texts(phone)).filter((t) => pattern.test(t)).map((t) => /\b(\d{6,8})\b/.exec(t)?.[1])[0] ?? undefined,
      { timeoutMs: 30_000, description: `an SMS to ${phone} matching ${String(pattern)}` },
    );
  }

  /** Sets and verifies a phone as its owner does: with the password, then the texted code. */
  async function verifyPhone(user: TestUser, phone: string): Promise<void> {
    expect((await patchMe(user.accessToken, { phone, currentPassword: user.password })).status).toBe(200);
    expect((await api.post('/me/phone/verification', {}, user.accessToken)).status).toBe(202);
    const code = await textedCode(phone, /verif/i);
    expect((await api.post('/me/phone/verify', { code }, user.accessToken)).status).toBe(204);
  }

  /** Moves the time the phone was verified back, as if it had been verified `days` ago. */
  async function phoneVerifiedDaysAgo(userId: string, days: number): Promise<void> {
    const db = mongo.db(`auth_${portal.topicPrefix.replace(/\.$/, '')}`);
    const result = await db
      .collection<{ _id: string }>('users')
      .updateOne({ _id: userId }, { $set: { phoneVerifiedAt: new Date(Date.now() - days * DAY_MS) } });
    expect(result.matchedCount).toBe(1);
  }

  /** The status of a GET of each guarded route, at the gateway and at the service itself. */
  async function statusesEverywhere(token: string): Promise<string[]> {
    const results: string[] = [];
    for (const route of ROUTES) {
      const atGateway = await new PortalClient(portal.gatewayUrl).get(route.path, token);
      const atService = await new PortalClient(portal.urls[route.service]).get(route.path, token);
      results.push(`gateway ${route.path} ${atGateway.status}`, `${route.service} ${route.path} ${atService.status}`);
    }
    return results;
  }
  const everywhere = (status: number) =>
    ROUTES.flatMap((r) => [`gateway ${r.path} ${status}`, `${r.service} ${r.path} ${status}`]);

  it('refuses every step of the takeover chain, and the owner reset ends the stolen token everywhere', async () => {
    // The owner: a phone verified a month ago, TOTP on.
    const owner = await createUser(api, mailpit);
    const ownerPhone = randomPhone();
    await verifyPhone(owner, ownerPhone);
    // Setting a phone is a security change the account's address is told of.
    const notice = await mailpit.waitForMessage({
      to: owner.email,
      subject: 'Your phone number was changed',
      timeoutMs: 30_000,
    });
    expect(await mailpit.messageText(notice.ID)).toContain(`to a number ending in ${ownerPhone.slice(-2)}`);
    await phoneVerifiedDaysAgo(owner.userId, 30);
    const setup = await api.post<{ secret: string }>('/auth/mfa/totp/setup', {}, owner.accessToken);
    const enabled = await api.post<{ recoveryCodes: string[] }>(
      '/auth/mfa/totp/enable',
      { code: authenticator.generate(setup.body.secret), currentPassword: owner.password },
      owner.accessToken,
    );
    expect(enabled.status).toBe(200);

    // The thief holds a copy of the owner's access token, and nothing else.
    const stolen = owner.accessToken;
    expect(await statusesEverywhere(stolen)).toEqual(everywhere(200));
    const thiefPhone = randomPhone();

    // Step 1: put the thief's phone on the account.
    const noPassword = await patchMe(stolen, { phone: thiefPhone });
    expect(noPassword.status).toBe(400);
    expect(noPassword.text).toContain('currentPassword is required to change the phone');
    const guessed = await patchMe(stolen, { phone: thiefPhone, currentPassword: 'a guess at the password' });
    expect(guessed.status).toBe(401);
    expect(guessed.text).toContain('current password is wrong');
    expect(await me(stolen)).toMatchObject({ phone: ownerPhone, phoneVerified: true });

    // Step 2: turn TOTP off (or, on an account without it, enrol the thief's own authenticator).
    const disable = (body: Record<string, unknown>) => api.post('/auth/mfa/totp/disable', body, stolen);
    const missingPassword = await disable({ code: '123456' });
    expect(missingPassword.status).toBe(400);
    expect(missingPassword.text).toContain('currentPassword');
    expect((await disable({ currentPassword: 'a guess at the password', code: '123456' })).status).toBe(401);
    // Even a thief who also has the password needs the second factor.
    const missingCode = await disable({ currentPassword: owner.password });
    expect(missingCode.status).toBe(400);
    expect(missingCode.text).toContain('code must be a 6-digit authenticator code or a recovery code');
    const wrongCode = await disable({ currentPassword: owner.password, code: 'aaaaa-bbbbb' });
    expect(wrongCode.status).toBe(401);
    expect(wrongCode.text).toContain('invalid one-time code');
    expect((await me(stolen)).mfaEnabled).toBe(true);

    const other = await createUser(api, mailpit);
    const otherSetup = await api.post<{ secret: string }>('/auth/mfa/totp/setup', {}, other.accessToken);
    const enrol = (body: Record<string, unknown>) => api.post('/auth/mfa/totp/enable', body, other.accessToken);
    const code = authenticator.generate(otherSetup.body.secret);
    const enrolNoPassword = await enrol({ code });
    expect(enrolNoPassword.status).toBe(400);
    expect(enrolNoPassword.text).toContain('currentPassword');
    expect((await enrol({ code, currentPassword: 'a guess at the password' })).status).toBe(401);
    expect((await me(other.accessToken)).mfaEnabled).toBe(false);

    // Step 3: the reset code goes by SMS only to the owner's phone of long standing (and by email).
    expect((await api.post('/auth/password-reset/request', { username: owner.username })).status).toBe(202);
    const texted = await textedCode(ownerPhone, /reset/i);
    const emailed = await emailedCode(mailpit, owner.email, 'password reset code');
    expect(emailed).toBe(texted);
    expect((await texts(thiefPhone)).length).toBe(0);

    // Step 4: the owner resets the password; the stolen token stops working at the gateway and in
    // every service within the verifiers' cache period.
    const newPassword = `${owner.password} reclaimed`;
    expect(
      (await api.post('/auth/password-reset/confirm', { username: owner.username, code: emailed, newPassword })).status,
    ).toBe(204);
    const resetAt = Date.now();
    // The owner's new token, issued at once (most often in the same second as the reset), works everywhere.
    const otp = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(setup.body.secret);
    const fresh = await api.post<{ accessToken: string }>('/auth/login', {
      username: owner.username,
      password: newPassword,
      otp,
    });
    expect(fresh.status).toBe(200);
    await waitFor(async () => (await statusesEverywhere(stolen)).every((s) => s.endsWith(' 401')) || undefined, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: 'the stolen token refused at the gateway and every service',
    });
    expect(Date.now() - resetAt).toBeLessThan(REVOCATION_CACHE_MS + 10_000);
    const refused = await new PortalClient(portal.urls.tracking).get('/api/v1/tracking/watchlist', stolen);
    expect(refused.text).toContain('Token revoked');
    expect(await statusesEverywhere(stolen)).toEqual(everywhere(401));
    expect(await statusesEverywhere(fresh.body.accessToken)).toEqual(everywhere(200));
    expect((await me(fresh.body.accessToken)).mfaEnabled).toBe(true);
  });

  it('sends a reset code only by email when the phone was verified in the last 7 days', async () => {
    const user = await createUser(api, mailpit);
    const phone = randomPhone();
    await verifyPhone(user, phone);
    await phoneVerifiedDaysAgo(user.userId, 6);
    expect((await api.post('/auth/password-reset/request', { username: user.username })).status).toBe(202);
    const code = await emailedCode(mailpit, user.email, 'password reset code');
    expect(code).toMatch(/^\d{8}$/);
    // Email and SMS are planned from the one event: give the SMS queue time it would have needed.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await texts(phone)).filter((t) => /reset/i.test(t))).toEqual([]);
  });

  it('counts wrong current passwords on the phone change and TOTP enrol and disable toward the login lockout', async () => {
    const user = await createUser(api, mailpit);
    const phone = randomPhone();
    const attempts = [
      () => patchMe(user.accessToken, { phone, currentPassword: 'wrong guess 1' }),
      () => api.post('/auth/mfa/totp/enable', { code: '123456', currentPassword: 'wrong guess 2' }, user.accessToken),
      () => api.post('/auth/mfa/totp/disable', { code: '123456', currentPassword: 'wrong guess 3' }, user.accessToken),
    ];
    // AUTH_LOCKOUT_MAX_FAILURES: 10 by default
    for (let i = 0; i < 10; i++) expect((await attempts[i % 3]()).status).toBe(401);
    const locked = await patchMe(user.accessToken, { phone, currentPassword: user.password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api.post('/auth/login', { username: user.username, password: user.password })).status).toBe(429);
    expect((await me(user.accessToken)).phone).toBeUndefined();
  });

  it('refuses the old token after POST /me/password, and accepts the one from the login right after', async () => {
    const user = await createUser(api, mailpit);
    expect(await statusesEverywhere(user.accessToken)).toEqual(everywhere(200));
    const newPassword = `${user.password} changed`;
    const changed = await api.call('POST', '/me/password', {
      token: user.accessToken,
      body: { currentPassword: user.password, newPassword },
    });
    expect(changed.status).toBe(204);
    const fresh = await login(api, user.username, newPassword);
    expect(await statusesEverywhere(fresh.accessToken)).toEqual(everywhere(200));
    await waitFor(
      async () => (await statusesEverywhere(user.accessToken)).every((s) => s.endsWith(' 401')) || undefined,
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        description: 'the old token refused everywhere',
      },
    );
    expect(await statusesEverywhere(fresh.accessToken)).toEqual(everywhere(200));
  });
});
