import { createLabel, createSupportCase, createUser, waitFor, type TestUser } from '@app/testing';
import { operatorToken, postScans, scanEvent, scannerKey, settledCount, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(180_000);

type Preferences = Record<string, string[]>;

interface SinkPage {
  items: { to: string; body: string }[];
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
