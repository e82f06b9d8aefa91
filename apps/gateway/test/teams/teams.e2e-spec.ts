import { createLabel, createUser, TEST_CARD_PAYMENT, TEST_FROM, TEST_TO, type TestUser, waitFor } from '@app/testing';
import { startFlow, type Flow } from '../flows/flow-helpers';
import {
  addMember,
  claimsOf,
  createOrg,
  invitationToken,
  schedulePickup,
  switchTo,
  type Member,
  type OrgView,
} from './teams-helpers';

jest.setTimeout(240_000);

let flow: Flow;

/** A loopback receiver port the webhook URL rules accept in tests only; nothing listens there. */
const WEBHOOK_PORT = 9;

beforeAll(async () => {
  flow = await startFlow({ WEBHOOK_TEST_LOOPBACK_PORT: String(WEBHOOK_PORT) });
});

afterAll(async () => {
  await flow?.portal.stop();
});

describe('Teams: organisations, invitations, roles and the audit log (through the gateway, real stack)', () => {
  it('invites by email; the invited person accepts once from the emailed link, and both are told by email', async () => {
    const { api, mailpit } = flow;
    const owner = await createUser(api, mailpit);
    const org = await createOrg(api, owner.accessToken, 'Invite Co');
    expect(org).toMatchObject({ name: 'Invite Co', role: 'owner', members: [{ userId: owner.userId, role: 'owner' }] });
    expect((await api.get<{ items: OrgView[] }>('/orgs', owner.accessToken)).body.items).toEqual([
      { id: org.id, name: 'Invite Co', role: 'owner' },
    ]);

    // Acting for the organisation is a claim of the access token, set by the switch call.
    const ownerOrg = await switchTo(api, owner.accessToken, org.id);
    expect(claimsOf(ownerOrg)).toMatchObject({ sub: owner.userId, org: org.id, org_role: 'owner' });
    expect(claimsOf(owner.accessToken).org).toBeUndefined();

    const invitee = await createUser(api, mailpit);
    const stranger = await createUser(api, mailpit);
    const invited = await api.post<{ id: string; expiresAt: string }>(
      '/org/invites',
      { email: invitee.email.toUpperCase(), role: 'shipper' },
      ownerOrg,
    );
    expect(invited.status).toBe(201);
    const days = (Date.parse(invited.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const token = await invitationToken(mailpit, invitee.email, 'Invite Co');
    expect(JSON.stringify((await api.get('/org', ownerOrg)).body)).not.toContain(token.split('.')[1]);

    // The link is for the invited address: someone else signed in cannot use it.
    expect((await api.post('/orgs/invites/accept', { token }, stranger.accessToken)).status).toBe(403);
    const accepted = await api.post('/orgs/invites/accept', { token }, invitee.accessToken);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ id: org.id, name: 'Invite Co', role: 'shipper' });
    // Single use.
    expect((await api.post('/orgs/invites/accept', { token }, invitee.accessToken)).status).toBe(404);
    await mailpit.waitForMessage({ to: invitee.email, subject: 'You joined Invite Co', timeoutMs: 30_000 });

    const view = await api.get<OrgView>('/org', ownerOrg);
    expect(view.body.members.map((m) => [m.userId, m.role])).toEqual([
      [owner.userId, 'owner'],
      [invitee.userId, 'shipper'],
    ]);
    expect(view.body.invites).toEqual([]);

    // A role change is emailed to the member.
    const changed = await api.call('PATCH', `/org/members/${invitee.userId}`, {
      token: ownerOrg,
      body: { role: 'viewer' },
    });
    expect(changed.status).toBe(200);
    await mailpit.waitForMessage({ to: invitee.email, subject: 'Your role in Invite Co changed', timeoutMs: 30_000 });

    // A withdrawn invitation's link no longer works.
    const second = await createUser(api, mailpit);
    const again = await api.post<{ id: string }>('/org/invites', { email: second.email, role: 'viewer' }, ownerOrg);
    const secondToken = await invitationToken(mailpit, second.email, 'Invite Co');
    expect((await api.call('DELETE', `/org/invites/${again.body.id}`, { token: ownerOrg })).status).toBe(204);
    expect((await api.post('/orgs/invites/accept', { token: secondToken }, second.accessToken)).status).toBe(404);
  });

  it('keeps at least one owner when two owners demote each other, or both leave, at the same time', async () => {
    const { api, mailpit } = flow;
    for (let round = 0; round < 3; round++) {
      const first = await createUser(api, mailpit);
      const org = await createOrg(api, first.accessToken, `Race Co ${round}`);
      const firstOrg = await switchTo(api, first.accessToken, org.id);
      const second = await addMember(api, mailpit, firstOrg, org, 'owner');

      const demotions = await Promise.all([
        api.call('PATCH', `/org/members/${second.userId}`, { token: firstOrg, body: { role: 'admin' } }),
        api.call('PATCH', `/org/members/${first.userId}`, { token: second.orgToken, body: { role: 'admin' } }),
      ]);
      // The first applied leaves its author the only owner; the second, by a member no longer owner, is refused.
      expect(demotions.map((r) => r.status).sort()).toEqual([200, 403]);
      const after = (await api.get<OrgView>('/org', firstOrg)).body.members;
      expect(after.filter((m) => m.role === 'owner')).toHaveLength(1);

      // Both owners again, then both leave at once: one may go, the last may not.
      const [remaining] = after.filter((m) => m.role === 'owner');
      const remainingToken = remaining.userId === first.userId ? firstOrg : second.orgToken;
      const otherId = remaining.userId === first.userId ? second.userId : first.userId;
      const otherToken = remaining.userId === first.userId ? second.orgToken : firstOrg;
      expect(
        (await api.call('PATCH', `/org/members/${otherId}`, { token: remainingToken, body: { role: 'owner' } })).status,
      ).toBe(200);
      const leaving = await Promise.all([
        api.call('DELETE', `/org/members/${remaining.userId}`, { token: remainingToken }),
        api.call('DELETE', `/org/members/${otherId}`, { token: otherToken }),
      ]);
      expect(leaving.map((r) => r.status).sort()).toEqual([204, 409]);
      const survivor = leaving[0].status === 409 ? remainingToken : otherToken;
      const left = (await api.get<OrgView>('/org', survivor)).body.members;
      expect(left).toHaveLength(1);
      expect(left[0].role).toBe('owner');
    }
  });

  it('re-checks membership at refresh: a removed member is back on the personal account at the next refresh', async () => {
    const { api, mailpit } = flow;
    const owner = await createUser(api, mailpit);
    const org = await createOrg(api, owner.accessToken, 'Refresh Co');
    const ownerOrg = await switchTo(api, owner.accessToken, org.id);
    const member = await addMember(api, mailpit, ownerOrg, org, 'shipper');

    // The session remembers the organisation: a refresh keeps acting for it while the member belongs.
    const kept = await api.post<{ accessToken: string; refreshToken: string }>('/auth/refresh', {
      refreshToken: member.refreshToken,
    });
    expect(kept.status).toBe(200);
    expect(claimsOf(kept.body.accessToken)).toMatchObject({ org: org.id, org_role: 'shipper' });

    expect((await api.call('DELETE', `/org/members/${member.userId}`, { token: ownerOrg })).status).toBe(204);
    await mailpit.waitForMessage({
      to: member.email,
      subject: 'You no longer belong to Refresh Co',
      timeoutMs: 30_000,
    });

    // The organisation's own routes check the membership on every call.
    expect((await api.get('/org', kept.body.accessToken)).status).toBe(403);
    const refreshed = await api.post<{ accessToken: string }>('/auth/refresh', {
      refreshToken: kept.body.refreshToken,
    });
    expect(refreshed.status).toBe(200);
    const claims = claimsOf(refreshed.body.accessToken);
    expect(claims.org).toBeUndefined();
    expect(claims.org_role).toBeUndefined();
    expect((await api.post('/auth/switch', { orgId: org.id }, refreshed.body.accessToken)).status).toBe(403);
    expect((await api.get<{ items: unknown[] }>('/orgs', member.accessToken)).body.items).toEqual([]);
  });

  it("keeps organisations apart: one org's owner never sees another's labels, pickups, members or audit", async () => {
    const { api, mailpit } = flow;
    const alice = await createUser(api, mailpit);
    const bob = await createUser(api, mailpit);
    const orgA = await createOrg(api, alice.accessToken, 'Alpha Co');
    const orgB = await createOrg(api, bob.accessToken, 'Beta Co');
    const aliceA = await switchTo(api, alice.accessToken, orgA.id);
    const bobB = await switchTo(api, bob.accessToken, orgB.id);

    const orgLabel = await createLabel(api, aliceA);
    const personalLabel = await createLabel(api, alice.accessToken);
    const pickup = await schedulePickup(api, aliceA);
    expect(pickup.status).toBe(201);
    const confirmation = (pickup.body as { confirmationNumber: string }).confirmationNumber;

    const labelIds = async (token: string) =>
      (await api.get<{ items: { labelId: string }[] }>('/labels', token)).body.items.map((l) => l.labelId);
    expect(await labelIds(aliceA)).toEqual([orgLabel.labelId]);
    expect(await labelIds(alice.accessToken)).toEqual([personalLabel.labelId]);
    expect(await labelIds(bobB)).toEqual([]);
    expect((await api.get(`/labels/${orgLabel.labelId}`, bobB)).status).toBe(404);
    expect((await api.get(`/labels/${orgLabel.labelId}/pdf`, bobB)).status).toBe(404);
    expect((await api.get(`/pickups/${confirmation}`, bobB)).status).toBe(404);
    expect((await api.call('DELETE', `/pickups/${confirmation}`, { token: bobB })).status).toBe(404);
    expect((await api.get(`/pickups/${confirmation}`, alice.accessToken)).status).toBe(404);
    expect((await api.get(`/pickups/${confirmation}`, aliceA)).status).toBe(200);

    // The address book while acting for an organisation is the organisation's, and labels draw on it.
    const dock = await api.post<{ id: string }>(
      '/me/addresses',
      { label: 'dock', name: 'ALPHA CO', line1: '5 DOCK ST', city: 'BOSTON', state: 'MA', zip: '02110' },
      aliceA,
    );
    expect(dock.status).toBe(201);
    const addressIds = async (token: string) =>
      (await api.get<{ items: { id: string }[] }>('/me/addresses', token)).body.items.map((a) => a.id);
    expect(await addressIds(aliceA)).toEqual([dock.body.id]);
    expect(await addressIds(alice.accessToken)).not.toContain(dock.body.id);
    expect(await addressIds(bobB)).toEqual([]);
    expect((await api.get(`/me/addresses/${dock.body.id}`, bobB)).status).toBe(404);
    expect((await api.get(`/me/addresses/${dock.body.id}`, alice.accessToken)).status).toBe(404);
    const fromDock = await createLabel(api, aliceA, { from: undefined, fromAddressId: dock.body.id });
    expect(fromDock.labelId).toBeDefined();
    expect(
      (
        await api.post(
          '/labels',
          { fromAddressId: dock.body.id, to: TEST_TO, weightOz: 8, service: 'priority', payment: TEST_CARD_PAYMENT },
          bobB,
        )
      ).status,
    ).toBe(400);
    expect((await api.post(`/me/addresses/${dock.body.id}/verification-letter`, {}, aliceA)).status).toBe(403);

    // Pickup reports what members change for the organisation to its audit log (and nothing personal).
    const aliceAudit = await api.get<{
      items: { action: string; target?: string; ip: string | null; userAgent: string | null }[];
    }>('/org/audit?limit=100', aliceA);
    const lines = aliceAudit.body.items.map((e) => `${e.action} ${e.target ?? ''}`.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        `POST /labels ${orgLabel.labelId}`,
        `POST /labels ${fromDock.labelId}`,
        `POST /pickups ${confirmation}`,
        `address.added ${dock.body.id}`,
      ]),
    );
    expect(lines).not.toContain(`POST /labels ${personalLabel.labelId}`);
    const labelLine = aliceAudit.body.items.find((e) => e.target === orgLabel.labelId);
    expect(labelLine?.ip).toBeTruthy();

    // Bob cannot act for Alpha, nor reach its members or audit with a token of his own making.
    expect((await api.post('/auth/switch', { orgId: orgA.id }, bob.accessToken)).status).toBe(403);
    const bobAudit = await api.get<{ items: { action: string; target?: string }[] }>('/org/audit', bobB);
    expect(bobAudit.body.items.map((e) => e.action)).toEqual(['org.created']);
    expect(JSON.stringify((await api.get('/org', bobB)).body)).not.toContain(alice.userId);
    expect((await api.call('DELETE', `/org/members/${alice.userId}`, { token: bobB })).status).toBe(404);
    // A forged token is refused at the gateway (only auth's keys sign).
    const [header, , signature] = bobB.split('.');
    const forgedClaims = { ...claimsOf(bobB), org: orgA.id };
    const forged = `${header}.${Buffer.from(JSON.stringify(forgedClaims)).toString('base64url')}.${signature}`;
    expect((await api.get('/labels', forged)).status).toBe(401);
  });

  it('records every change with who, when, IP and user agent, newest first and paginated, for owners and admins', async () => {
    const { api, mailpit } = flow;
    const owner = await createUser(api, mailpit);
    const org = await createOrg(api, owner.accessToken, 'Audit Co');
    const ownerOrg = await switchTo(api, owner.accessToken, org.id);
    const member = await addMember(api, mailpit, ownerOrg, org, 'viewer');
    const agent = 'teams-e2e/1.0 (audit)';
    expect(
      (
        await api.call('PATCH', `/org/members/${member.userId}`, {
          token: ownerOrg,
          headers: { 'user-agent': agent },
          body: { role: 'admin' },
        })
      ).status,
    ).toBe(200);

    type AuditPage = {
      items: {
        action: string;
        at: string;
        actor: { userId: string };
        target?: string;
        ip: string;
        userAgent: string;
      }[];
      nextCursor: string | null;
    };
    const all = await api.get<AuditPage>('/org/audit', ownerOrg);
    expect(all.status).toBe(200);
    expect(all.body.items.map((e) => e.action)).toEqual([
      'member.role_changed',
      'member.joined',
      'invite.created',
      'org.created',
    ]);
    const [roleChange] = all.body.items;
    expect(roleChange).toMatchObject({
      actor: { userId: owner.userId },
      target: member.userId,
      details: { role: 'admin', previousRole: 'viewer' },
      userAgent: agent,
    });
    expect(roleChange.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    expect(all.body.items[1].actor.userId).toBe(member.userId);

    const first = await api.get<AuditPage>('/org/audit?limit=3', ownerOrg);
    expect(first.body.items).toHaveLength(3);
    const next = await api.get<AuditPage>(`/org/audit?limit=3&cursor=${first.body.nextCursor}`, ownerOrg);
    expect(next.body.items.map((e) => e.action)).toEqual(['org.created']);
    expect(next.body.nextCursor).toBeNull();

    // The new admin (refreshed role) reads it too; a viewer may not.
    const adminToken = await switchTo(api, member.accessToken, org.id);
    expect((await api.get('/org/audit', adminToken)).status).toBe(200);
    expect(
      (await api.call('PATCH', `/org/members/${member.userId}`, { token: ownerOrg, body: { role: 'viewer' } })).status,
    ).toBe(200);
    // The token still says admin, but the audit route checks the current role.
    expect((await api.get('/org/audit', adminToken)).status).toBe(403);
    expect((await api.get('/org/audit', owner.accessToken)).status).toBe(403);
  });

  it('counts invitation emails: a sixth invitation to one address in a day is refused with 429, and documented', async () => {
    const { api, mailpit } = flow;
    const owner = await createUser(api, mailpit);
    const org = await createOrg(api, owner.accessToken, 'Quota Co');
    const ownerOrg = await switchTo(api, owner.accessToken, org.id);
    const email = `quota_${Date.now()}@example.com`;
    // Each new invitation to the address replaces the open one, and each is an email.
    for (let i = 0; i < 5; i++) {
      expect((await api.post('/org/invites', { email, role: 'viewer' }, ownerOrg)).status).toBe(201);
    }
    const refused = await api.post<{ message: string; retryAfterSeconds: number }>(
      '/org/invites',
      { email, role: 'viewer' },
      ownerOrg,
    );
    expect(refused.status).toBe(429);
    expect(refused.body.message).toContain('invitations to one email address');
    expect(refused.body.retryAfterSeconds).toBeGreaterThan(0);
    // Another address is still open to this member.
    expect((await api.post('/org/invites', { email: `other_${email}`, role: 'viewer' }, ownerOrg)).status).toBe(201);
    const doc = await flow.edge.get<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
      '/api/docs-json',
    );
    expect(Object.keys(doc.body.paths['/api/v1/org/invites'].post.responses)).toContain('429');
  });

  it('documents the routes and their constraints in the merged OpenAPI document', async () => {
    const doc = await flow.edge.get<{
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    }>('/api/docs-json');
    expect(doc.status).toBe(200);
    for (const path of [
      '/api/v1/orgs',
      '/api/v1/orgs/invites/accept',
      '/api/v1/org',
      '/api/v1/org/invites',
      '/api/v1/org/invites/{id}',
      '/api/v1/org/members/{userId}',
      '/api/v1/org/audit',
      '/api/v1/auth/switch',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    const { schemas } = doc.body.components;
    expect(schemas.InviteDto.properties.role.enum).toEqual(['owner', 'admin', 'shipper', 'viewer']);
    expect(schemas.InviteDto.properties.email).toMatchObject({ format: 'email', maxLength: 254 });
    expect(schemas.CreateOrgDto.properties.name).toMatchObject({ maxLength: 100 });
    expect(schemas.AcceptInviteDto.properties.token.pattern).toBeDefined();
    expect(schemas.SwitchOrgDto.properties.orgId).toMatchObject({ nullable: true });
  });

  it('answers malformed, oversized and hostile input with 4xx', async () => {
    const { api, mailpit } = flow;
    const owner = await createUser(api, mailpit);
    const org = await createOrg(api, owner.accessToken, 'Hostile Co');
    const ownerOrg = await switchTo(api, owner.accessToken, org.id);
    const cases: [string, string, unknown, string, number][] = [
      ['POST', '/orgs', { name: '' }, owner.accessToken, 400],
      ['POST', '/orgs', { name: 'x'.repeat(101) }, owner.accessToken, 400],
      ['POST', '/orgs', { name: '<script>alert(1)</script>' }, owner.accessToken, 400],
      ['POST', '/orgs', { name: 'Ok Co', owner: 'me' }, owner.accessToken, 400],
      ['POST', '/orgs', { name: { $gt: '' } }, owner.accessToken, 400],
      ['POST', '/auth/switch', { orgId: { $ne: null } }, owner.accessToken, 400],
      ['POST', '/auth/switch', { orgId: 'org_not-an-id' }, owner.accessToken, 400],
      ['POST', '/auth/switch', { orgId: `org_${'0'.repeat(32)}` }, owner.accessToken, 403],
      ['POST', '/org/invites', { email: 'not-an-email', role: 'viewer' }, ownerOrg, 400],
      ['POST', '/org/invites', { email: 'a@example.com', role: 'superuser' }, ownerOrg, 400],
      ['POST', '/org/invites', { email: 'a@example.com', role: 'viewer' }, owner.accessToken, 403],
      ['POST', '/orgs/invites/accept', { token: 'x' }, owner.accessToken, 400],
      ['POST', '/orgs/invites/accept', { token: `${org.id}.${'A'.repeat(43)}` }, owner.accessToken, 404],
      ['POST', '/orgs/invites/accept', { token: [`${org.id}.${'A'.repeat(43)}`] }, owner.accessToken, 400],
      ['PATCH', `/org/members/${owner.userId}`, { role: 'owner', extra: 1 }, ownerOrg, 400],
      ['PATCH', '/org/members/no%20such', { role: 'viewer' }, ownerOrg, 400],
      ['PATCH', '/org/members/usr_unknown', { role: 'viewer' }, ownerOrg, 404],
      ['DELETE', `/org/members/${owner.userId}`, undefined, ownerOrg, 409],
      ['GET', '/org/audit?limit=100000', undefined, ownerOrg, 400],
      ['GET', '/org/audit?cursor=garbage', undefined, ownerOrg, 400],
      ['POST', '/orgs', 'not json', owner.accessToken, 400],
      ['POST', '/orgs', { name: 'y'.repeat(2_000_000) }, owner.accessToken, 413],
    ];
    for (const [method, path, body, token, status] of cases) {
      const res = await api.call(method, path, { token, body });
      expect([method, path, res.status]).toEqual([method, path, status]);
    }
  });
});

/**
 * The role table of the README, one test per cell: each role's member acts for the organisation
 * through the gateway, and the status says whether the role may.
 */
describe('Teams: the role table, one cell per test (through the gateway, real stack)', () => {
  type RoleName = 'owner' | 'admin' | 'shipper' | 'viewer';
  let org: OrgView;
  let founder: TestUser;
  let founderOrg: string;
  const members = {} as Record<RoleName, Member>;
  let target: Member;

  beforeAll(async () => {
    const { api, mailpit } = flow;
    founder = await createUser(api, mailpit);
    org = await createOrg(api, founder.accessToken, 'Table Co');
    founderOrg = await switchTo(api, founder.accessToken, org.id);
    for (const role of ['owner', 'admin', 'shipper', 'viewer'] as const) {
      members[role] = await addMember(api, mailpit, founderOrg, org, role);
    }
    target = await addMember(api, mailpit, founderOrg, org, 'viewer');
    await createLabel(api, founderOrg);
  });

  /** An action, and what it answers when allowed; a refused one answers 403. */
  const actions: Record<string, { allowed: number; run: (token: string, role: RoleName) => Promise<number> }> = {
    'read labels': { allowed: 200, run: async (t) => (await flow.api.get('/labels', t)).status },
    'create a label': {
      allowed: 201,
      run: async (t) =>
        (
          await flow.api.post(
            '/labels',
            { from: TEST_FROM, to: TEST_TO, weightOz: 8, service: 'ground_advantage', payment: TEST_CARD_PAYMENT },
            t,
          )
        ).status,
    },
    'read pickups': { allowed: 200, run: async (t) => (await flow.api.get('/pickups', t)).status },
    'schedule a pickup': { allowed: 201, run: async (t) => (await schedulePickup(flow.api, t)).status },
    'read the address book': { allowed: 200, run: async (t) => (await flow.api.get('/me/addresses', t)).status },
    'add to the address book': {
      allowed: 201,
      run: async (t) =>
        (
          await flow.api.post(
            '/me/addresses',
            { label: 'dock', name: 'TABLE CO', line1: '9 PIER RD', city: 'BOSTON', state: 'MA', zip: '02110' },
            t,
          )
        ).status,
    },
    'read the balance': { allowed: 200, run: async (t) => (await flow.api.get('/account/balance', t)).status },
    'read the organisation and its members': { allowed: 200, run: async (t) => (await flow.api.get('/org', t)).status },
    'invite a member': {
      allowed: 201,
      run: async (t, role) =>
        (await flow.api.post('/org/invites', { email: `cell_${role}_${Date.now()}@example.com`, role: 'viewer' }, t))
          .status,
    },
    "change a member's role": {
      allowed: 200,
      run: async (t) =>
        (await flow.api.call('PATCH', `/org/members/${target.userId}`, { token: t, body: { role: 'shipper' } })).status,
    },
    'read the audit log': { allowed: 200, run: async (t) => (await flow.api.get('/org/audit', t)).status },
    'grant the owner role': {
      allowed: 200,
      run: async (t) => {
        const status = (
          await flow.api.call('PATCH', `/org/members/${target.userId}`, { token: t, body: { role: 'owner' } })
        ).status;
        if (status === 200) {
          await flow.api.call('PATCH', `/org/members/${target.userId}`, {
            token: founderOrg,
            body: { role: 'viewer' },
          });
        }
        return status;
      },
    },
    'read webhook endpoints': { allowed: 200, run: async (t) => (await flow.api.get('/webhooks/endpoints', t)).status },
    'register a webhook endpoint': {
      allowed: 201,
      run: async (t, role) =>
        (
          await flow.api.post(
            '/webhooks/endpoints',
            { url: `http://127.0.0.1:${WEBHOOK_PORT}/${role}`, eventTypes: ['pickup.*'] },
            t,
          )
        ).status,
    },
    'delete the organisation': {
      allowed: 204,
      run: async (t, role) => {
        if (role !== 'owner') return (await flow.api.call('DELETE', '/org', { token: t })).status;
        // An owner's delete is tried on an organisation of its own, so the table's org stays for the other cells.
        const own = await createOrg(flow.api, members.owner.accessToken, 'Throwaway Co');
        const ownToken = await switchTo(flow.api, members.owner.accessToken, own.id);
        const status = (await flow.api.call('DELETE', '/org', { token: ownToken })).status;
        expect((await flow.api.get('/org', ownToken)).status).toBe(403);
        return status;
      },
    },
  };

  // README "Teams": the same table.
  const table: [string, Record<RoleName, boolean>][] = [
    ['read labels', { owner: true, admin: true, shipper: true, viewer: true }],
    ['create a label', { owner: true, admin: true, shipper: true, viewer: false }],
    ['read pickups', { owner: true, admin: true, shipper: true, viewer: true }],
    ['schedule a pickup', { owner: true, admin: true, shipper: true, viewer: false }],
    ['read the address book', { owner: true, admin: true, shipper: true, viewer: true }],
    ['add to the address book', { owner: true, admin: true, shipper: true, viewer: false }],
    ['read the balance', { owner: true, admin: true, shipper: true, viewer: true }],
    ['read the organisation and its members', { owner: true, admin: true, shipper: true, viewer: true }],
    ['invite a member', { owner: true, admin: true, shipper: false, viewer: false }],
    ["change a member's role", { owner: true, admin: true, shipper: false, viewer: false }],
    ['read the audit log', { owner: true, admin: true, shipper: false, viewer: false }],
    ['grant the owner role', { owner: true, admin: false, shipper: false, viewer: false }],
    ['read webhook endpoints', { owner: true, admin: true, shipper: true, viewer: true }],
    ['register a webhook endpoint', { owner: true, admin: true, shipper: false, viewer: false }],
    ['delete the organisation', { owner: true, admin: false, shipper: false, viewer: false }],
  ];
  const cells = table.flatMap(([action, row]) =>
    (Object.keys(row) as RoleName[]).map((role) => [role, row[role] ? 'may' : 'may not', action] as const),
  );

  it.each(cells)('%s %s %s', async (role, verdict, action) => {
    const { allowed, run } = actions[action];
    const status = await run(members[role].orgToken, role);
    expect(status).toBe(verdict === 'may' ? allowed : 403);
  });

  it('refuses a viewer the label routes that ship (return label, manifest, batch) with the documented 403, before reading the body, and documents none on reads', async () => {
    const { api } = flow;
    const label = await createLabel(api, founderOrg);
    for (const route of [`/labels/${label.labelId}/return`, '/manifests', '/labels/batches']) {
      expect({ route, status: (await api.post(route, {}, members.viewer.orgToken)).status }).toEqual({
        route,
        status: 403,
      });
      // A shipper passes the role check: whatever it is answered, it is not the role table's 403.
      expect((await api.post(route, {}, members.shipper.orgToken)).status).not.toBe(403);
    }
    const doc = await flow.edge.get<{
      paths: Record<string, Record<string, { responses: Record<string, { description?: string }> }>>;
    }>('/api/docs-json');
    for (const [path, method] of [
      ['/api/v1/labels/{id}/return', 'post'],
      ['/api/v1/manifests', 'post'],
      ['/api/v1/labels/batches', 'post'],
      ['/api/v1/webhooks/endpoints', 'post'],
    ]) {
      expect({ path, forbidden: doc.body.paths[path][method].responses['403']?.description }).toEqual({
        path,
        forbidden: expect.stringMatching(/role table/),
      });
    }
    // Reading needs `read`, which every role has: the guard never refuses it, and the document says no 403.
    for (const [path, method] of [
      ['/api/v1/labels/batches', 'get'],
      ['/api/v1/webhooks/endpoints', 'get'],
    ]) {
      expect({ path, method, forbidden: doc.body.paths[path][method].responses['403'] }).toEqual({
        path,
        method,
        forbidden: undefined,
      });
    }
  });

  it("keeps the organisation's webhook endpoints apart from its members' own, and tells the member who acted", async () => {
    const { api, mailpit } = flow;
    const admin = members.admin;
    const url = `http://127.0.0.1:${WEBHOOK_PORT}/org-only`;
    const created = await api.post<{ id: string }>(
      '/webhooks/endpoints',
      { url, eventTypes: ['label.*'] },
      admin.orgToken,
    );
    expect(created.status).toBe(201);
    // Every member acting for the organisation sees it; the same people on their own accounts do not.
    const asViewer = await api.get<{ items: { id: string }[] }>('/webhooks/endpoints', members.viewer.orgToken);
    expect(asViewer.body.items.map((e) => e.id)).toContain(created.body.id);
    const personal = await api.get<{ items: { id: string }[] }>('/webhooks/endpoints', admin.accessToken);
    expect(personal.body.items.map((e) => e.id)).not.toContain(created.body.id);
    expect((await api.get(`/webhooks/endpoints/${created.body.id}`, admin.accessToken)).status).toBe(404);
    // The security email goes to the member who registered it (an organisation has no mailbox).
    await waitFor(
      async () => {
        for (const m of await mailpit.messages(admin.email)) {
          if (m.Subject.includes('registered') && (await mailpit.message(m.ID)).Text.includes(url)) return true;
        }
        return undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: 'the registration email to the member who acted' },
    );
  });
});
