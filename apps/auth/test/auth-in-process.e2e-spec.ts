import { listUnguardedRoutes } from '@app/auth';
import { Topics } from '@app/contracts';
import { collectEvents, type EventCollector } from '@app/testing';
import { createServiceApp, Clock, RedisConnection } from '@app/platform';
import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import pino from 'pino';
import { AUTH_FEATURE_MODULES, AuthAppModule } from '../src/app.module';
import { loadAuthConfig } from '../src/config';
import { PasswordHasher } from '../src/passwords/password-hasher';
import { UsersRepository } from '../src/users/users.repository';
import { AuthClient, identityEvent, newRegistration } from './auth-client';

const PUBLIC_ROUTES = [
  'GET /.well-known/jwks.json',
  'POST /api/v1/auth/forgot-username',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/password-reset/confirm',
  'POST /api/v1/auth/password-reset/request',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/verify-email',
  'POST /api/v1/auth/verify-email/resend',
  'POST /api/v1/internal/api-keys/token',
];

describe('auth service in process', () => {
  let app: INestApplication;
  let api: AuthClient;
  let events: EventCollector<{ type: string; key: string; data: Record<string, unknown> }>;
  const id = `ip${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    const config = loadAuthConfig({
      ...process.env,
      MONGO_DB: `auth_${id}`,
      KAFKA_TOPIC_PREFIX: `${id}.`,
      REDIS_PREFIX: `${id}:`,
      AUTH_URL: 'http://127.0.0.1:1',
    });
    events = await collectEvents(Topics.Identity, { prefix: `${id}.`, fromBeginning: true });
    app = await createServiceApp(AuthAppModule.forRoot(config), {
      name: 'auth',
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    await app.listen(0, '127.0.0.1');
    api = new AuthClient(`${await app.getUrl()}/api/v1`.replace('[::1]', '127.0.0.1'));
  });

  afterAll(async () => {
    await events?.stop();
    await app?.close();
  });

  it('guards every route except the listed public ones', () => {
    expect(listUnguardedRoutes(app)).toEqual([]);
    const publicRoutes: string[] = [];
    for (const module of app.get(ModulesContainer).values()) {
      if (!(AUTH_FEATURE_MODULES as readonly unknown[]).includes(module.metatype)) continue;
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
        if (!controller) continue;
        const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
        const proto = controller.prototype as Record<string, unknown>;
        for (const name of Object.getOwnPropertyNames(proto)) {
          const handler = proto[name];
          if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
          if (Reflect.getMetadata('auth:isPublic', handler) !== true) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
          const path = [prefix, String(Reflect.getMetadata(PATH_METADATA, handler))].filter((p) => p && p !== '/');
          const full = `/${path.join('/')}`;
          publicRoutes.push(`${method} ${full.startsWith('/.well-known') ? full : `/api/v1${full}`}`);
        }
      }
    }
    expect(publicRoutes.sort()).toEqual(PUBLIC_ROUTES);
  });

  /**
   * The store commands `action` sends that concern `ids` (a user id, a username, a session), and
   * every write outside `users`, as `collection.method`. Reads of other collections are left out:
   * the outbox relay's sweep reads `orgs` in the background and may fall inside the window.
   */
  async function storeCommands(ids: string[], action: () => Promise<void>): Promise<string[]> {
    const seen: string[] = [];
    const isWrite = (method: string) => /^(insert|update|delete|replace|bulkWrite|findOneAnd)/.test(method);
    mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
      const about = JSON.stringify(args);
      if (ids.some((id) => about.includes(id)) || (collection !== 'users' && isWrite(method))) {
        seen.push(`${collection}.${method}`);
      }
    });
    try {
      await action();
    } finally {
      mongoose.set('debug', false);
    }
    return seen.filter((op) => !op.startsWith('signing_keys.')).sort();
  }

  it('logs a known name in with one store write and no store read, an unknown one with one read', async () => {
    const body = newRegistration();
    const registered = await api.call<{ userId: string }>('POST', '/auth/register', body);
    expect(registered.status).toBe(201);
    // the first login learns which user the name is, and keeps the user under its generation
    expect((await api.call('POST', '/auth/login', { username: body.username, password: body.password })).status).toBe(
      200,
    );
    const known = await storeCommands([registered.body.userId, body.username], async () => {
      const res = await api.call('POST', '/auth/login', { username: body.username, password: body.password });
      expect(res.status).toBe(200);
    });
    // the session with its refresh token in one document; the user came from this process's copy
    expect(known).toEqual(['token_families.insertOne']);

    const ghost = `ghost_${randomBytes(4).toString('hex')}`;
    const unknown = await storeCommands([ghost], async () => {
      expect((await api.call('POST', '/auth/login', { username: ghost, password: body.password })).status).toBe(401);
    });
    expect(unknown).toEqual(['identity_claims.findOne']);
  });

  it("logs a known name in with one write to Redis: the lockout state and the user's generation go together", async () => {
    const body = newRegistration();
    const registered = await api.call<{ userId: string }>('POST', '/auth/register', body);
    expect(registered.status).toBe(201);
    const login = () => api.call('POST', '/auth/login', { username: body.username, password: body.password });
    expect((await login()).status).toBe(200);
    // Each write on the connection's socket is one batch of commands (one round trip, one Redis wake-up).
    const stream = (
      app.get(RedisConnection).client as unknown as { stream: { write: (...args: unknown[]) => boolean } }
    ).stream;
    const writes = jest.spyOn(stream, 'write');
    try {
      expect((await login()).status).toBe(200);
      // Without auto-pipelining the generation's GET and the lockout reads were two writes.
      expect(writes).toHaveBeenCalledTimes(1);
      const sent = String(writes.mock.calls[0][0]);
      expect(sent).toContain(`users:generation:${registered.body.userId}`);
      expect(sent).toContain(`lockout:lock:user:${registered.body.userId}`);
    } finally {
      writes.mockRestore();
    }
  });

  it('reads the user again after it changed: a changed password works at once, the old one no more', async () => {
    const body = newRegistration();
    const registered = await api.call<{ userId: string }>('POST', '/auth/register', body);
    expect(registered.status).toBe(201);
    expect((await api.call('POST', '/auth/login', { username: body.username, password: body.password })).status).toBe(
      200,
    );
    // What POST /me/password stores (this spec's routes behind a token cannot be called: its JWKS
    // address is a placeholder), through the one way to write a user.
    const newPassword = `${body.password}-Changed!`;
    const passwordHash = await app.get(PasswordHasher).hash(newPassword);
    expect(await app.get(UsersRepository).setPassword(registered.body.userId, passwordHash, new Date(), [])).toBe(true);
    // The write bumped the user's generation, so the copy kept for logins is not used again.
    const commands = await storeCommands([registered.body.userId, body.username], async () => {
      expect((await api.call('POST', '/auth/login', { username: body.username, password: body.password })).status).toBe(
        401,
      );
    });
    expect(commands).toContain('users.findOne');
    expect((await api.call('POST', '/auth/login', { username: body.username, password: newPassword })).status).toBe(
      200,
    );
  });

  it("reads the user again when another process changed it (the generation in Redis moved), not this process's copy", async () => {
    const body = newRegistration();
    const registered = await api.call<{ userId: string }>('POST', '/auth/register', body);
    expect(registered.status).toBe(201);
    const login = () => api.call('POST', '/auth/login', { username: body.username, password: body.password });
    expect((await login()).status).toBe(200);
    // As another auth process's write does after its store write: only the generation moves here.
    const redis = app.get(RedisConnection);
    await redis.client.incr(`users:generation:${registered.body.userId}`);
    const commands = await storeCommands([registered.body.userId, body.username], async () => {
      expect((await login()).status).toBe(200);
    });
    expect(commands).toEqual(['token_families.insertOne', 'users.findOne']);
  });

  it('refuses a reset code after 15 minutes on the injected clock', async () => {
    const body = newRegistration();
    const res = await api.call<{ userId: string }>('POST', '/auth/register', body);
    expect(res.status).toBe(201);
    await api.call('POST', '/auth/password-reset/request', { username: body.username });
    const reset = await identityEvent(events, 'PasswordResetRequested', res.body.userId);
    const later = jest.spyOn(app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + 15 * 60_000 + 1000));
    try {
      const late = await api.call('POST', '/auth/password-reset/confirm', {
        username: body.username,
        code: reset.data.code,
        newPassword: 'harbor violet engine 3377',
      });
      expect(late.status).toBe(400);
    } finally {
      later.mockRestore();
    }
    const inTime = await api.call('POST', '/auth/password-reset/confirm', {
      username: body.username,
      code: reset.data.code,
      newPassword: 'harbor violet engine 3377',
    });
    expect(inTime.status).toBe(204);
  });
});
