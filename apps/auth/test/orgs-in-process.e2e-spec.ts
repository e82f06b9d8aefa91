import { Topics } from '@app/contracts';
import { OutboxRelay } from '@app/messaging';
import {
  ClaimLostError,
  KeyedLock,
  WRITE_CLAIMS_COLLECTION,
  type WriteClaimDocument,
  WriteClaims,
} from '@app/persistence';
import { createServiceApp, Clock } from '@app/platform';
import { collectEvents, freePort, type EventCollector } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import type { Model } from 'mongoose';
import pino from 'pino';
import { AuthAppModule } from '../src/app.module';
import { RandomSource } from '../src/common/random';
import { loadAuthConfig } from '../src/config';
import type { AuditActor } from '../src/orgs/org-audit';
import { ORG_AUDIT_MODEL, ORG_MEMBERSHIP_MODEL, ORG_MODEL, type OrgDocument } from '../src/orgs/org.schema';
import { OrgsRepository, type OrgChange } from '../src/orgs/orgs.repository';
import { AuthClient, identityEvent, newRegistration } from './auth-client';

jest.setTimeout(120_000);

describe('organisations in the auth service (in process, real store and Kafka)', () => {
  let app: INestApplication;
  let api: AuthClient;
  let events: EventCollector<{ type: string; key: string; data: Record<string, unknown> }>;
  const id = `org${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    // Its own JWKS verifies the tokens it issues: AUTH_URL must be where it listens.
    const port = await freePort();
    const config = loadAuthConfig({
      ...process.env,
      MONGO_DB: `auth_${id}`,
      KAFKA_TOPIC_PREFIX: `${id}.`,
      REDIS_PREFIX: `${id}:`,
      AUTH_URL: `http://127.0.0.1:${port}`,
    });
    events = await collectEvents(Topics.Identity, { prefix: `${id}.`, fromBeginning: true });
    app = await createServiceApp(AuthAppModule.forRoot(config), {
      name: 'auth',
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    await app.listen(port, '127.0.0.1');
    api = new AuthClient(`http://127.0.0.1:${port}/api/v1`);
  });

  afterAll(async () => {
    await events?.stop();
    await app?.close();
  });

  /** A registered user with a verified email, logged in. */
  async function verifiedUser(): Promise<{ userId: string; email: string; accessToken: string }> {
    const body = newRegistration();
    const registered = await api.call<{ userId: string }>('POST', '/auth/register', body);
    expect(registered.status).toBe(201);
    const sent = await identityEvent(events, 'EmailVerificationRequested', registered.body.userId);
    expect(
      (await api.call('POST', '/auth/verify-email', { username: body.username, code: sent.data.code })).status,
    ).toBe(204);
    const login = await api.call<{ accessToken: string }>('POST', '/auth/login', {
      username: body.username,
      password: body.password,
    });
    return { userId: registered.body.userId, email: body.email, accessToken: login.body.accessToken };
  }

  async function orgOf(owner: { accessToken: string }, name: string): Promise<{ orgId: string; token: string }> {
    const created = await api.call<{ id: string }>('POST', '/orgs', { name }, owner.accessToken);
    expect(created.status).toBe(201);
    const switched = await api.call<{ accessToken: string }>(
      'POST',
      '/auth/switch',
      { orgId: created.body.id },
      owner.accessToken,
    );
    expect(switched.status).toBe(200);
    return { orgId: created.body.id, token: switched.body.accessToken };
  }

  it('refuses an invitation once 7 days have passed on the injected clock, and stores only its hash', async () => {
    const owner = await verifiedUser();
    const invitee = await verifiedUser();
    const { orgId, token } = await orgOf(owner, 'Expiry Co');
    expect((await api.call('POST', '/org/invites', { email: invitee.email, role: 'viewer' }, token)).status).toBe(201);
    const sent = await identityEvent(events, 'OrgInvitationSent', orgId);
    const link = String(sent.data.token);
    const stored = await app.get<Model<OrgDocument>>(getModelToken(ORG_MODEL)).findById(orgId).lean<OrgDocument>();
    expect(JSON.stringify(stored)).not.toContain(link.split('.')[1]);

    const later = jest
      .spyOn(app.get(Clock), 'now')
      .mockImplementation(() => new Date(Date.now() + 7 * 24 * 60 * 60_000 + 1000));
    try {
      expect((await api.call('POST', '/orgs/invites/accept', { token: link }, invitee.accessToken)).status).toBe(410);
    } finally {
      later.mockRestore();
    }
    expect((await api.call('POST', '/orgs/invites/accept', { token: link }, invitee.accessToken)).status).toBe(200);
  });

  describe('the lock of an organisation across processes', () => {
    /** A second repository as another auth process has it: its own in-process lock, the same store. */
    function otherProcessRepository(): OrgsRepository {
      return new OrgsRepository(
        app.get(getModelToken(ORG_MODEL)),
        app.get(getModelToken(ORG_MEMBERSHIP_MODEL)),
        app.get(getModelToken(ORG_AUDIT_MODEL)),
        app.get(OutboxRelay),
        app.get(Clock),
        app.get(RandomSource),
      );
    }

    const actor: AuditActor = { userId: 'usr_test', username: 'tester', ip: '192.0.2.1', userAgent: 'jest' };

    /** Demotes `userId` to admin only while another owner remains: the rule a lost update would break. */
    function demote(userId: string) {
      return (org: OrgDocument): OrgChange<void> => {
        const members = org.members.map((m) => (m.userId === userId ? { ...m, role: 'admin' as const } : m));
        if (!members.some((m) => m.role === 'owner')) throw new Error('last owner');
        return {
          members,
          invites: org.invites,
          events: [],
          audit: [{ action: 'member.role_changed', target: userId }],
          result: undefined,
        };
      };
    }

    it('lets one of two processes demoting each other win, every time', async () => {
      const here = app.get(OrgsRepository);
      const there = otherProcessRepository();
      const orgs = app.get<Model<OrgDocument>>(getModelToken(ORG_MODEL));
      for (let round = 0; round < 10; round++) {
        const orgId = `org_${randomBytes(16).toString('hex')}`;
        const now = new Date();
        const member = (userId: string) => ({
          userId,
          role: 'owner' as const,
          username: userId,
          email: `${userId}@example.com`,
          joinedAt: now,
        });
        await orgs.create({
          _id: orgId,
          name: 'Race',
          createdAt: now,
          updatedAt: now,
          version: 1,
          members: [member('usr_a'), member('usr_b')],
          invites: [],
          outbox: [],
        });
        const results = await Promise.allSettled([
          here.change(orgId, actor, demote('usr_b')),
          there.change(orgId, actor, demote('usr_a')),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const after = await here.findById(orgId);
        expect(after?.members.filter((m) => m.role === 'owner')).toHaveLength(1);
      }
    });

    it('takes over a lock its holder left behind when it expired, and waits for a live one', async () => {
      const here = app.get(OrgsRepository);
      const orgs = app.get<Model<OrgDocument>>(getModelToken(ORG_MODEL));
      const claims = orgs.db.collection<WriteClaimDocument>(WRITE_CLAIMS_COLLECTION);
      const { orgId } = await orgOf(await verifiedUser(), 'Lock Co');
      const claimId = `${orgs.collection.collectionName}:${orgId}`;
      await claims.insertOne({ _id: claimId, owner: 'a-process-that-died', expiresAt: new Date(Date.now() - 1000) });
      const ok = (org: OrgDocument): OrgChange<string> => ({
        members: org.members,
        invites: org.invites,
        events: [],
        audit: [{ action: 'org.created', details: { note: 'test' } }],
        result: 'done',
      });
      await expect(here.change(orgId, actor, ok)).resolves.toBe('done');
      expect(await claims.findOne({ _id: claimId })).toBeNull();

      await claims.insertOne({ _id: claimId, owner: 'another-process', expiresAt: new Date(Date.now() + 60_000) });
      const started = Date.now();
      await expect(here.change(orgId, actor, ok)).rejects.toMatchObject({ status: 409 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
      // the refused change left the other process's claim alone
      expect(await claims.findOne({ _id: claimId })).toMatchObject({ owner: 'another-process' });
      await claims.deleteOne({ _id: claimId });
    });

    it('writes nothing when its process stalled past the claim expiry (another process may own the organisation)', async () => {
      const orgs = app.get<Model<OrgDocument>>(getModelToken(ORG_MODEL));
      const there = otherProcessRepository();
      // A short expiry, so a stall of this test's length outlives it.
      Object.assign(there, {
        claims: WriteClaims.of(orgs, new KeyedLock(), { ttlMs: 600, waitMs: 5_000, onEveryStore: true }),
      });
      const { orgId } = await orgOf(await verifiedUser(), 'Stall Co');
      const before = await there.findById(orgId);
      const stalled = (org: OrgDocument): OrgChange<void> => {
        const until = Date.now() + 900;
        while (Date.now() < until); // a blocked event loop: no renewal runs
        return {
          members: org.members.map((m) => ({ ...m, role: 'admin' as const })),
          invites: org.invites,
          events: [],
          audit: [{ action: 'member.role_changed', target: 'all' }],
          result: undefined,
        };
      };
      await expect(there.change(orgId, actor, stalled)).rejects.toBeInstanceOf(ClaimLostError);
      expect((await there.findById(orgId))?.members).toEqual(before?.members);
      const claimId = `${orgs.collection.collectionName}:${orgId}`;
      expect(
        await orgs.db.collection<WriteClaimDocument>(WRITE_CLAIMS_COLLECTION).findOne({ _id: claimId }),
      ).toBeNull();
    });
  });
});
