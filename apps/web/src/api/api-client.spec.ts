import { ApiClient } from './api-client';
import { ApiError } from './api-error';
import { SessionStore } from './session-store';

function token(expInSeconds: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + expInSeconds;
  return `${part({ alg: 'ES256' })}.${part({ sub: 'u1', username: 'ada', roles: ['customer'], exp })}.sig`;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('ApiClient', () => {
  let calls: { path: string; headers: Record<string, string> }[];
  let answers: Response[];
  let session: SessionStore;
  let client: ApiClient;

  beforeEach(() => {
    calls = [];
    answers = [];
    jest.spyOn(global, 'fetch').mockImplementation((input, init) => {
      const path = input instanceof Request ? input.url : input.toString();
      calls.push({ path, headers: (init?.headers ?? {}) as Record<string, string> });
      const next = answers.shift();
      return next ? Promise.resolve(next) : Promise.reject(new Error(`unexpected call to ${path}`));
    });
    session = new SessionStore();
    session.set({ accessToken: token(600), expiresIn: 600 });
    client = new ApiClient(session);
  });

  afterEach(() => jest.restoreAllMocks());

  it('refreshes once on an expired-token 401 and retries with the new token', async () => {
    const fresh = token(900);
    answers.push(json(401, { message: 'Token expired' }), json(200, { accessToken: fresh, expiresIn: 900 }));
    answers.push(json(200, { ok: true }));
    await expect(client.get('/me')).resolves.toEqual({ ok: true });
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/me', '/api/v1/auth/refresh', '/api/v1/me']);
    expect(calls[1].headers['X-Refresh-Cookie']).toBe('1');
    expect(calls[2].headers.Authorization).toBe(`Bearer ${fresh}`);
  });

  it('does not refresh on a 401 about a wrong current password', async () => {
    answers.push(json(401, { message: 'current password is wrong' }));
    await expect(client.post('/me/password', { currentPassword: 'x', newPassword: 'y' })).rejects.toMatchObject({
      status: 401,
      reasons: ['current password is wrong'],
    });
    expect(calls).toHaveLength(1);
    expect(session.current?.username).toBe('ada');
  });

  it('keeps the session when the refresh is rate limited or the service is down, and reports why', async () => {
    for (const status of [429, 503]) {
      answers.push(json(401, { message: 'Invalid token' }), json(status, {}));
      const error = await client.get('/me').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(status);
      expect(session.token).not.toBeNull();
    }
  });

  it('ends the session when the refresh cookie is refused', async () => {
    answers.push(json(401, { message: 'Token expired' }), json(401, { message: 'invalid or expired refresh token' }));
    await expect(client.get('/me')).rejects.toMatchObject({ status: 401 });
    expect(session.token).toBeNull();
  });

  // Installable app (issue 20): the watchlist kept for offline use belongs to one person's session.
  it('forgets the data kept for offline use when a session ends or starts, not when a refresh only fails', async () => {
    const forgotten: string[] = [];
    let step = '';
    client = new ApiClient(session, '/api/v1', null, () => {
      forgotten.push(step);
      return Promise.resolve();
    });
    step = 'refresh failed (503)';
    answers.push(json(503, {}));
    await client.refresh().catch(() => undefined);
    step = 'logout';
    answers.push(new Response(null, { status: 204 }));
    await client.logout();
    step = 'login';
    answers.push(json(200, { accessToken: token(600), expiresIn: 600 }));
    await client.login('ada', 'correct horse battery staple');
    step = 'refresh refused';
    answers.push(json(401, { message: 'invalid or expired refresh token' }));
    await client.refresh();
    expect(forgotten).toEqual(['logout', 'login', 'refresh refused']);
  });

  it('holds the Web Lock while refreshing, and shares one refresh between concurrent callers', async () => {
    const held: string[] = [];
    const locks = {
      request: async <T>(name: string, callback: () => Promise<T>) => {
        held.push(name);
        return callback();
      },
    };
    client = new ApiClient(session, '/api/v1', locks);
    answers.push(json(200, { accessToken: token(900), expiresIn: 900 }));
    await expect(Promise.all([client.refresh(), client.refresh()])).resolves.toEqual([true, true]);
    expect(held).toEqual(['portal-refresh']);
    expect(calls).toHaveLength(1);
  });
});

describe('SessionStore: whether a reload should try to restore a session', () => {
  const storage = () => {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
  };

  it('says no for a browser that never signed in, so its page loads send no refresh', () => {
    expect(new SessionStore(storage()).maySignIn).toBe(false);
  });

  it('says yes after a sign-in, and no again after a sign-out or a refused refresh, without keeping the token', () => {
    const flags = storage();
    const session = new SessionStore(flags);
    session.set({ accessToken: token(600), expiresIn: 600 });
    expect(new SessionStore(flags).maySignIn).toBe(true);
    expect([...flags.items.values()].join()).not.toContain(session.token);
    session.clear();
    expect(new SessionStore(flags).maySignIn).toBe(false);
  });

  it('says yes where storage is unavailable (every load then asks, as before)', () => {
    expect(new SessionStore(null).maySignIn).toBe(true);
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    };
    expect(new SessionStore(refusing).maySignIn).toBe(true);
  });
});
