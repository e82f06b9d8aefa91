import { Topics } from '@app/contracts';
import { collectEvents, startPortal, type EventCollector, type Portal } from '@app/testing';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { authenticator } from 'otplib';
import { AuthClient, identityEvent, newRegistration } from './auth-client';

type Envelope = { type: string; key: string; data: Record<string, unknown> };
type KeyDoc = { _id: string; privateKey: string };
type UserDoc = { _id: string; mfa?: { secret?: string; pendingSecret?: string } };

/**
 * Signing keys and TOTP secrets at rest: a development run (no AUTH_KEY_ENCRYPTION_SECRET) stores them
 * in clear; the same database started in production with the secret seals the keys at start and a TOTP
 * secret at its next use, and everything new is sealed from the first write.
 */
describe('auth secrets at rest (real stack)', () => {
  const secret = randomBytes(24).toString('base64url');
  let portal: Portal | undefined;
  let events: EventCollector<Envelope> | undefined;
  let mongo: InstanceType<typeof mongoose.mongo.MongoClient>;
  let dbName: string;

  const db = () => mongo.db(dbName);
  const keys = () => db().collection<KeyDoc>('signing_keys').find({}).toArray();
  const user = (id: string) => db().collection<UserDoc>('users').findOne({ _id: id });

  async function start(env: Record<string, string>): Promise<AuthClient> {
    await events?.stop();
    await portal?.stop();
    portal = await startPortal({ apps: ['auth'], env });
    events = await collectEvents<Envelope>(Topics.Identity, { prefix: portal.topicPrefix, fromBeginning: true });
    return new AuthClient(`${portal.urls.auth}/api/v1`);
  }

  async function registerWithTotp(api: AuthClient) {
    const body = newRegistration();
    const { userId } = (await api.call<{ userId: string }>('POST', '/auth/register', body)).body;
    const requested = await identityEvent(events!, 'EmailVerificationRequested', userId);
    const verified = await api.call('POST', '/auth/verify-email', {
      username: body.username,
      code: requested.data.code,
    });
    expect(verified.status).toBe(204);
    const login = await api.call<{ accessToken: string }>('POST', '/auth/login', {
      username: body.username,
      password: body.password,
    });
    expect(login.status).toBe(200);
    const setup = await api.call<{ secret: string }>('POST', '/auth/mfa/totp/setup', undefined, login.body.accessToken);
    expect(setup.status).toBe(200);
    const enabled = await api.call(
      'POST',
      '/auth/mfa/totp/enable',
      { code: authenticator.generate(setup.body.secret), currentPassword: body.password },
      login.body.accessToken,
    );
    expect(enabled.status).toBe(200);
    return { ...body, userId, totpSecret: setup.body.secret };
  }

  beforeAll(async () => {
    mongo = await mongoose.mongo.MongoClient.connect(process.env.MONGO_URL!);
    dbName = `auth_atrest_${randomBytes(4).toString('hex')}`;
  });

  afterAll(async () => {
    await events?.stop();
    await portal?.stop();
    await mongo?.close();
  });

  it('stores clear secrets only in development, and seals them once the secret is configured', async () => {
    const devApi = await start({ MONGO_DB: dbName });
    const devUser = await registerWithTotp(devApi);
    expect((await keys())[0].privateKey).toMatch(/^v1\.plain\./);
    expect((await user(devUser.userId))?.mfa?.secret).toMatch(/^v1\.plain\./);

    const api = await start({ MONGO_DB: dbName, PORTAL_ENV: 'production', AUTH_KEY_ENCRYPTION_SECRET: secret });
    // The signing key was sealed at start and still signs tokens the JWKS verifies.
    for (const key of await keys()) {
      expect(key.privateKey).toMatch(/^v1\.aesgcm\./);
      expect(key.privateKey).not.toContain('"d"');
    }
    // The development user's TOTP secret still works, and is sealed by that first use.
    const otp = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(devUser.totpSecret);
    const login = await api.call('POST', '/auth/login', {
      username: devUser.username,
      password: devUser.password,
      otp,
    });
    expect(login.status).toBe(200);
    const migrated = (await user(devUser.userId))?.mfa?.secret ?? '';
    expect(migrated).toMatch(/^v1\.aesgcm\./);
    expect(migrated).not.toContain(devUser.totpSecret);
    expect(Buffer.from(migrated.slice('v1.aesgcm.'.length), 'base64url').toString('latin1')).not.toContain(
      devUser.totpSecret,
    );

    // A user enrolled in production never has a clear secret stored.
    const prodUser = await registerWithTotp(api);
    const stored = (await user(prodUser.userId))?.mfa?.secret ?? '';
    expect(stored).toMatch(/^v1\.aesgcm\./);
    expect(Buffer.from(stored.slice('v1.aesgcm.'.length), 'base64url').toString('latin1')).not.toContain(
      prodUser.totpSecret,
    );
  });
});
