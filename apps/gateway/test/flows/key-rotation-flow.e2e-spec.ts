import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createUser, login, PortalClient, waitFor, type AppName, type TestUser } from '@app/testing';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type JWK } from 'jose';
import mongoose from 'mongoose';
import { startFlow, type Flow } from './flow-helpers';

jest.setTimeout(240_000);

const DAY_MS = 24 * 60 * 60_000;
const ROTATION_DAYS = 1;

/** One guarded route per service, through the gateway's `/api/v1`: the gateway and the owner both verify. */
const ROUTES: ReadonlyArray<{ service: AppName; path: string }> = [
  { service: 'auth', path: '/me' },
  { service: 'tracking', path: '/tracking/watchlist' },
  { service: 'pickup', path: '/labels' },
  { service: 'notifications', path: '/notifications' },
];

const kidOf = (token: string): string | undefined => decodeProtectedHeader(token).kid;

/**
 * Key rotation on the real stack. The auth service makes a new signing key when the newest is older than
 * AUTH_KEY_ROTATION_DAYS (checked at start and on its periodic key reload), publishes it at once and signs
 * with it one reload period later; the test ages the stored key in the auth database and restarts the auth
 * app, which is what a deployment after the rotation age does.
 */
describe('signing key rotation through the gateway (real stack)', () => {
  let flow: Flow;
  /** Logged in before the rotation. */
  let user: TestUser;
  let oldKid: string;

  const jwksKids = async (): Promise<string[]> => {
    const jwks = await flow.edge.get<{ keys: JWK[] }>('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    return jwks.body.keys.map((key) => key.kid!);
  };

  /** The status of each guarded route for a token, by service. */
  const statuses = async (token: string, client: (service: AppName) => PortalClient = () => flow.api) => {
    const result: Record<string, number> = {};
    for (const route of ROUTES) result[route.service] = (await client(route.service).get(route.path, token)).status;
    return result;
  };
  const everyService = (status: number) => Object.fromEntries(ROUTES.map((route) => [route.service, status]));

  const ageSigningKeys = async (): Promise<void> => {
    const mongo = await mongoose.mongo.MongoClient.connect(process.env.MONGO_URL!);
    try {
      const keys = mongo.db(`auth_${flow.portal.topicPrefix.replace(/\.$/, '')}`).collection('signing_keys');
      const aged = await keys.updateMany(
        {},
        { $set: { createdAt: new Date(Date.now() - 2 * ROTATION_DAYS * DAY_MS) } },
      );
      expect(aged.modifiedCount).toBe(1);
    } finally {
      await mongo.close();
    }
  };

  beforeAll(async () => {
    flow = await startFlow({ AUTH_KEY_ROTATION_DAYS: String(ROTATION_DAYS) });
    user = await createUser(flow.api, flow.mailpit);
    oldKid = kidOf(user.accessToken)!;
    expect(await jwksKids()).toEqual([oldKid]);
    // Only the auth service has seen this token so far: the other verifiers first meet the old kid after the rotation.
    expect((await flow.api.get('/me', user.accessToken)).status).toBe(200);
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  it('keeps its key across a restart while the key is younger than the rotation age', async () => {
    await flow.portal.restart('auth');
    expect(await jwksKids()).toEqual([oldKid]);
    const again = await login(flow.api, user.username, user.password);
    expect(kidOf(again.accessToken)).toBe(oldKid);
  });

  describe('after the key is older than AUTH_KEY_ROTATION_DAYS and auth restarts', () => {
    let newKid: string;

    beforeAll(async () => {
      await ageSigningKeys();
      await flow.portal.restart('auth');
      newKid = (await jwksKids()).find((kid) => kid !== oldKid)!;
    });

    it('publishes a new key at once and keeps signing with the old one until every replica can have loaded it', async () => {
      expect(newKid).toEqual(expect.any(String));
      expect(await jwksKids()).toEqual([newKid, oldKid]);
      // Another auth replica lists the new key only after its next reload, and verifiers refresh their
      // key sets every 30 s: the new key signs 90 s after it is made (SIGNING_DELAY_MS).
      const meanwhile = await login(flow.api, user.username, user.password);
      expect(kidOf(meanwhile.accessToken)).toBe(oldKid);
    });

    it('signs new tokens with the new kid a reload period later, accepted by the gateway and every service', async () => {
      const fresh = await waitFor(
        async () => {
          const tokens = await login(flow.api, user.username, user.password);
          return kidOf(tokens.accessToken) === newKid && tokens;
        },
        { timeoutMs: 150_000, intervalMs: 5000, description: 'a token signed with the new key' },
      );
      expect(await statuses(fresh.accessToken)).toEqual(everyService(200));
    });

    it('lists the new key and the old one during the overlap, newest first', async () => {
      expect(await jwksKids()).toEqual([newKid, oldKid]);
    });

    it('accepts an access token signed with the old key at the gateway and every service', async () => {
      expect(kidOf(user.accessToken)).toBe(oldKid);
      expect(await statuses(user.accessToken)).toEqual(everyService(200));
      const me = await flow.api.get<{ username: string }>('/me', user.accessToken);
      expect(me.body.username).toBe(user.username);
    });

    it('refreshes a refresh token issued before the rotation into a token with the new kid', async () => {
      const refreshed = await flow.api.post<{ accessToken: string; refreshToken: string }>('/auth/refresh', {
        refreshToken: user.refreshToken,
      });
      expect(refreshed.status).toBe(200);
      expect(kidOf(refreshed.body.accessToken)).toBe(newKid);
      expect(await statuses(refreshed.body.accessToken)).toEqual(everyService(200));
    });

    it('refuses a token signed with a key that is not in the JWKS, at the gateway and at every service', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const foreign = await importJWK(privateKey.export({ format: 'jwk' }) as JWK, 'ES256');
      // The claims of a real token, so only the key differs.
      const now = Math.floor(Date.now() / 1000);
      const claims = { ...decodeJwt(user.accessToken), iat: now, exp: now + 600 };
      const forge = (kid: string) =>
        new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(foreign);

      const unknownKid = await forge(randomBytes(12).toString('hex'));
      const borrowedKid = await forge(newKid);
      const direct = (service: AppName) => new PortalClient(`${flow.portal.urls[service]}/api/v1`);
      for (const token of [unknownKid, borrowedKid]) {
        expect(await statuses(token)).toEqual(everyService(401));
        expect(await statuses(token, direct)).toEqual(everyService(401));
      }
    });
  });
});
