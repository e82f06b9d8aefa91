import { randomInt } from 'node:crypto';
import {
  createLabel,
  createSupportCase,
  createUser,
  emailedCode,
  waitFor,
  type PortalClient,
  type TestUser,
} from '@app/testing';
import { operatorToken, postScans, scanEvent, scannerKey, settledCount, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(180_000);

type Preferences = Record<string, string[]>;

interface SinkPage {
  items: { to: string; body: string }[];
}

/** A zone where it is daytime now, so an SMS is not held for quiet hours (21:00–08:00 local). */
function daytimeZone(): string {
  const zones = ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
  const hourIn = (timeZone: string) =>
    Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
  const zone = zones.find((z) => hourIn(z) >= 9 && hourIn(z) < 20);
  if (!zone) throw new Error('no daytime zone in the list');
  return zone;
}

/** SMS bodies in the sink to `phone`, read by an operator through the gateway. */
async function sinkTo(api: PortalClient, phone: string): Promise<string[]> {
  const res = await api.get<SinkPage>(`/admin/sms-sink?to=${encodeURIComponent(phone)}`, await operatorToken(api));
  if (res.status !== 200) throw new Error(`sms sink: ${res.status} ${res.text}`);
  return res.body.items.map((i) => i.body);
}

/** Adds a phone to the user's profile and verifies it with the code texted to the sink. */
async function verifyPhone(api: PortalClient, user: TestUser, phone: string): Promise<void> {
  const patched = await api.call('PATCH', '/me', {
    token: user.accessToken,
    body: { phone, currentPassword: user.password },
  });
  if (patched.status !== 200) throw new Error(`PATCH /me: ${patched.status} ${patched.text}`);
  const requested = await api.post('/me/phone/verification', {}, user.accessToken);
  if (requested.status !== 202) throw new Error(`phone verification: ${requested.status} ${requested.text}`);
  const code = await waitFor(
    async () => {
      const bodies = await sinkTo(api, phone);
      return bodies.map((b) => /verification code is (\d{6,8})/.exec(b)?.[1]).find(Boolean);
    },
    { timeoutMs: 30_000, intervalMs: 250, description: 'the phone verification SMS' },
  );
  const verified = await api.post('/me/phone/verify', { code }, user.accessToken);
  if (verified.status !== 204) throw new Error(`verify phone: ${verified.status} ${verified.text}`);
}

interface CaseView {
  caseId: string;
  status: string;
  messages: { body: string; authorRole: string }[];
}

describe('notifications and support through the gateway (real stack)', () => {
  let flow: Flow;

  beforeAll(async () => {
    flow = await startFlow();
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  it('sends no pickup email once the user turned that email off, but keeps the in-app notice', async () => {
    const { api, mailpit } = flow;
    const user: TestUser = await createUser(api, mailpit);

    const defaults = await api.get<Preferences>('/notifications/preferences', user.accessToken);
    expect(defaults.status).toBe(200);
    expect(defaults.body.available_for_pickup).toContain('email');

    const updated = await api.call<Preferences>('PUT', '/notifications/preferences', {
      token: user.accessToken,
      body: { available_for_pickup: ['in_app'], security: [] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.available_for_pickup).toEqual(['in_app']);
    expect(updated.body.security).toContain('email');
    expect(Object.keys(updated.body)).toEqual(expect.arrayContaining(Object.keys(defaults.body)));
    expect((await api.get<Preferences>('/notifications/preferences', user.accessToken)).body).toEqual(updated.body);

    const invalid = await api.call('PUT', '/notifications/preferences', {
      token: user.accessToken,
      body: { available_for_pickup: ['carrier_pigeon'] },
    });
    expect(invalid.status).toBe(400);

    const label = await createLabel(api, user.accessToken);
    const tn = label.trackingNumber;
    await waitFor(async () => (await api.get(`/tracking/${tn}`)).status === 200, {
      timeoutMs: 20_000,
      description: 'the label parcel known to tracking',
    });
    const key = await scannerKey(api);
    const posted = await postScans(api, key, [scanEvent(tn, 'available_for_pickup', new Date())]);
    expect(posted.body).toEqual({ accepted: 1, rejected: [] });

    const notice = await waitFor(
      async () => {
        const inbox = await api.get<{ items: { id: string; kind: string; read: boolean }[]; unreadCount: number }>(
          '/notifications',
          user.accessToken,
        );
        return inbox.body.items?.find((i) => i.kind === 'available_for_pickup');
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the in-app arrival notice' },
    );
    expect(notice.read).toBe(false);
    expect(await settledCount(mailpit, user.email, `Your parcel ${tn} is available for pickup`)).toBe(0);

    expect((await api.post(`/notifications/${notice.id}/read`, {}, user.accessToken)).status).toBe(204);
    const after = await api.get<{ items: { id: string; read: boolean }[] }>('/notifications', user.accessToken);
    expect(after.body.items.find((i) => i.id === notice.id)?.read).toBe(true);
  });

  it('tells the label creator, each watcher and the SMS subscriber once of an arrival scanned twice', async () => {
    const { api, mailpit } = flow;
    const creator = await createUser(api, mailpit);
    const watcher = await createUser(api, mailpit);
    const texter = await createUser(api, mailpit, { timeZone: daytimeZone() });
    const phone = `+1202555${String(randomInt(0, 10_000)).padStart(4, '0')}`;
    await verifyPhone(api, texter, phone);
    const chose = await api.call<Preferences>('PUT', '/notifications/preferences', {
      token: texter.accessToken,
      body: { available_for_pickup: ['email', 'sms', 'in_app'] },
    });
    expect(chose.body.available_for_pickup).toEqual(['email', 'sms', 'in_app']);

    const tn = (await createLabel(api, creator.accessToken)).trackingNumber;
    await waitFor(async () => (await api.get(`/tracking/${tn}`)).status === 200, {
      timeoutMs: 20_000,
      description: 'the label parcel known to tracking',
    });
    for (const user of [watcher, texter]) {
      expect((await api.post('/tracking/watchlist', { trackingNumber: tn }, user.accessToken)).status).toBe(201);
    }
    // The contact projection must know the verified phone before the event is planned.
    await new Promise((r) => setTimeout(r, 1000));

    const key = await scannerKey(api);
    const arrival = scanEvent(tn, 'available_for_pickup', new Date());
    for (let i = 0; i < 2; i++)
      expect((await postScans(api, key, [arrival])).body).toEqual({ accepted: 1, rejected: [] });

    const subject = `Your parcel ${tn} is available for pickup`;
    for (const user of [creator, watcher, texter]) {
      await mailpit.waitForMessage({ to: user.email, subject, timeoutMs: 30_000 });
    }
    await waitFor(async () => ((await sinkTo(api, phone)).some((b) => b.includes(tn)) ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: 'the arrival SMS in the sink',
    });
    expect(await settledCount(mailpit, creator.email, subject)).toBe(1);
    expect(await settledCount(mailpit, watcher.email, subject, 500)).toBe(1);
    expect(await settledCount(mailpit, texter.email, subject, 500)).toBe(1);
    expect((await sinkTo(api, phone)).filter((b) => b.includes(tn))).toHaveLength(1);
    // One inbox notice for the arrival, not a second "status changed" one beside it.
    const inbox = await api.get<{ items: { kind: string; title: string }[] }>('/notifications', watcher.accessToken);
    expect(inbox.body.items.filter((i) => i.title.includes(tn)).map((i) => i.kind)).toEqual(['available_for_pickup']);
  });

  it('still emails a password reset code after the user set security to []', async () => {
    const { api, mailpit } = flow;
    const user = await createUser(api, mailpit);
    const updated = await api.call<Preferences>('PUT', '/notifications/preferences', {
      token: user.accessToken,
      body: { security: [] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.security).toContain('email');
    expect((await api.post('/auth/password-reset/request', { username: user.username })).status).toBe(202);
    expect(await emailedCode(mailpit, user.email, 'password reset code')).toMatch(/^\d{6,8}$/);
  });

  it('lets operators, and only operators, read the SMS sink through the gateway', async () => {
    const { api, mailpit } = flow;
    const customer = await createUser(api, mailpit);
    const asOperator = await api.get<SinkPage>('/admin/sms-sink', await operatorToken(api));
    expect(asOperator.status).toBe(200);
    expect(Array.isArray(asOperator.body.items)).toBe(true);
    expect((await api.get('/admin/sms-sink', customer.accessToken)).status).toBe(403);
    expect((await api.get('/admin/sms-sink')).status).toBe(401);
  });

  it('emails the customer when an operator replies to a case, and hides the case from other customers', async () => {
    const { api, mailpit } = flow;
    const customer = await createUser(api, mailpit);
    const stranger = await createUser(api, mailpit);
    const subject = `Parcel stuck ${customer.username}`;
    const opened = await createSupportCase(api, customer.accessToken, { subject });
    expect(opened.status).toBe('open');

    expect((await api.get(`/support/cases/${opened.caseId}`, stranger.accessToken)).status).toBe(404);
    const strangerList = await api.get<{ items: { caseId: string }[] }>('/support/cases', stranger.accessToken);
    expect(strangerList.body.items.map((c) => c.caseId)).not.toContain(opened.caseId);
    const intrusion = await api.post(`/support/cases/${opened.caseId}/messages`, { body: 'hi' }, stranger.accessToken);
    expect(intrusion.status).toBe(404);

    const operator = await operatorToken(api);
    const operatorList = await api.get<{ items: { caseId: string }[] }>('/support/cases', operator);
    expect(operatorList.body.items.map((c) => c.caseId)).toContain(opened.caseId);
    const reply = await api.post(
      `/support/cases/${opened.caseId}/messages`,
      { body: 'We found it; it moves again tomorrow.' },
      operator,
    );
    expect(reply.status).toBe(201);

    const email = await mailpit.waitForMessage({
      to: customer.email,
      subject: `Reply to your support case: ${subject}`,
      timeoutMs: 30_000,
    });
    expect(await mailpit.messageText(email.ID)).toContain('it moves again tomorrow');

    const seen = await api.get<CaseView>(`/support/cases/${opened.caseId}`, customer.accessToken);
    expect(seen.status).toBe(200);
    expect(seen.body.messages.map((m) => m.authorRole)).toEqual(['customer', 'operator']);

    const closed = await api.post<{ status: string }>(
      `/support/cases/${opened.caseId}/close`,
      {},
      customer.accessToken,
    );
    expect(closed.body.status).toBe('closed');
    const late = await api.post(`/support/cases/${opened.caseId}/messages`, { body: 'one more' }, customer.accessToken);
    expect(late.status).toBe(409);
  });
});
