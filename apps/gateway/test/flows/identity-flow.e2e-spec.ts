import { createUser, emailedCode, login, registrationBody, type TestUser } from '@app/testing';
import { settledCount, startFlow, type Flow } from './flow-helpers';

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
    flow = await startFlow();
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
      body: { firstName: 'Janet', phone: '+12025550123' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.firstName).toBe('Janet');
    expect((await api.get<{ firstName: string }>('/me', user.accessToken)).body.firstName).toBe('Janet');
    expect((await api.get('/me')).status).toBe(401);
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

  it('publishes the signing keys at the gateway root', async () => {
    const jwks = await flow.edge.get<{ keys: { kid: string; kty: string; alg: string }[] }>('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256' });
    expect(jwks.body.keys[0].kid).toEqual(expect.any(String));
  });
});
