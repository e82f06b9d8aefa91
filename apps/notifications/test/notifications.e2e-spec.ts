import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import {
  createEnvelope,
  EmailVerificationRequestedV1,
  ParcelArrivedV1,
  PasswordResetRequestedV1,
  PhoneVerifiedV1,
  Topics,
  UserRegisteredV1,
  type EventEnvelope,
} from '@app/contracts';
import { QUEUE_BOARD_CSP } from '@app/platform';
import { MailpitClient, produce, startPortal, waitFor, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';

const TRACKING = '9400111899223197428497';

describe('notifications (e2e)', () => {
  let portal: Portal;
  let issuer: TestTokenIssuer;
  let mailpit: MailpitClient;
  let base: string;
  const run = randomUUID().slice(0, 8);
  const ada = { userId: `ada-${run}`, email: `ada-${run}@example.com`, phone: '+12025550101' };
  const bob = { userId: `bob-${run}`, email: `bob-${run}@example.com` };
  let adaToken: string;
  let bobToken: string;
  let operatorToken: string;

  const send = (topic: string, envelopes: EventEnvelope[]) =>
    produce(
      topic,
      envelopes.map((e) => ({ key: e.key, value: e })),
      { prefix: portal.topicPrefix },
    );

  const api = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };

  const event = (def: { type: string; version: number }, key: string, data: unknown) =>
    createEnvelope({ type: def.type, version: def.version, key, source: 'test', data });

  const registered = (user: { userId: string; email: string; phone?: string }, firstName: string) =>
    event(UserRegisteredV1, user.userId, {
      userId: user.userId,
      username: user.userId,
      email: user.email,
      ...(user.phone ? { phone: user.phone } : {}),
      firstName,
      lastName: 'Test',
      accountType: 'personal',
      timeZone: 'UTC',
    });

  const arrived = () =>
    event(ParcelArrivedV1, TRACKING, {
      trackingNumber: TRACKING,
      facility: { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' },
      holdUntil: '2030-05-18T12:00:00.000Z',
      occurredAt: new Date().toISOString(),
      recipients: [
        { userId: ada.userId, reason: 'watcher' },
        { userId: bob.userId, reason: 'addressee' },
      ],
    });

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    portal = await startPortal({
      apps: ['notifications'],
      env: {
        AUTH_URL: issuer.baseUrl,
        PORTAL_PUBLIC_URL: 'https://portal.test',
        NOTIFICATIONS_BACKOFF_MS: '200',
        NOTIFICATIONS_METRICS_REFRESH_MS: '500',
        // The sent counts come from an aggregate, hourly by default: here as often as the rest.
        NOTIFICATIONS_SETTLED_COUNT_REFRESH_MS: '500',
        // Quiet hours off (start = end), so the SMS of this test is not held whatever the hour.
        QUIET_HOURS_START: '0',
        QUIET_HOURS_END: '0',
      },
    });
    base = portal.urls.notifications;
    mailpit = new MailpitClient();
    adaToken = await issuer.sign({ sub: ada.userId });
    bobToken = await issuer.sign({ sub: bob.userId });
    operatorToken = await issuer.sign({ sub: `op-${run}`, roles: ['operator'] });
    await send(Topics.Identity, [
      registered(ada, 'Ada'),
      registered(bob, 'Bob'),
      event(PhoneVerifiedV1, ada.userId, { userId: ada.userId, phone: ada.phone }),
    ]);
  });

  afterAll(async () => {
    await portal?.stop();
    await issuer?.close();
  });

  it('emails the verification code of an EmailVerificationRequested event', async () => {
    await send(Topics.Identity, [
      event(EmailVerificationRequestedV1, ada.userId, {
        userId: ada.userId,
        email: ada.email,
        firstName: 'Ada',
        code: '482913',
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
      }),
    ]);
    const mail = await mailpit.waitForMessage({ to: ada.email, subject: 'verification code', timeoutMs: 30_000 });
    expect(await mailpit.messageText(mail.ID)).toContain('482913');
  });

  it('emails the password reset code, which cannot be turned off', async () => {
    const put = await api('PUT', '/api/v1/notifications/preferences', bobToken, { security: [] });
    expect(put.status).toBe(200);
    expect(put.body?.security).toEqual(['email']);
    await send(Topics.Identity, [
      event(PasswordResetRequestedV1, bob.userId, {
        userId: bob.userId,
        email: bob.email,
        code: '771205',
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
      }),
    ]);
    const mail = await mailpit.waitForMessage({ to: bob.email, subject: 'password reset', timeoutMs: 30_000 });
    expect(await mailpit.messageText(mail.ID)).toContain('771205');
  });

  it('sends one pickup email per recipient and one SMS to who chose it, for an event delivered twice', async () => {
    const chose = await api('PUT', '/api/v1/notifications/preferences', adaToken, {
      available_for_pickup: ['email', 'sms', 'in_app'],
    });
    expect(chose.status).toBe(200);
    expect(chose.body?.available_for_pickup).toEqual(['email', 'sms', 'in_app']);
    // Give the contact projection time to see the verified phone before the parcel event.
    await new Promise((r) => setTimeout(r, 1000));
    const parcel = arrived();
    await send(Topics.Tracking, [parcel, parcel]);

    const adaMail = await mailpit.waitForMessage({ to: ada.email, subject: 'available for pickup', timeoutMs: 30_000 });
    await mailpit.waitForMessage({ to: bob.email, subject: 'available for pickup', timeoutMs: 30_000 });
    const text = await mailpit.messageText(adaMail.ID);
    expect(text).toContain('DENVER MAIN POST OFFICE');
    expect(text).toContain(`https://portal.test/track/${TRACKING}`);
    expect(text).toContain('2030');

    const sms = await waitFor(
      async () => {
        const res = await api('GET', `/api/v1/admin/sms-sink?to=${encodeURIComponent(ada.phone)}`, operatorToken);
        const items = res.body?.items as { body: string }[];
        return items.some((i) => i.body.includes(TRACKING)) ? items : undefined;
      },
      { timeoutMs: 20_000, description: 'the pickup SMS in the sink' },
    );
    // Let a duplicate, if any, arrive before counting.
    await new Promise((r) => setTimeout(r, 3000));
    const pickupMails = async (to: string) =>
      (await mailpit.messages(to)).filter((m) => m.Subject.includes('available for pickup')).length;
    expect(await pickupMails(ada.email)).toBe(1);
    expect(await pickupMails(bob.email)).toBe(1);
    const smsNow = await api('GET', `/api/v1/admin/sms-sink?to=${encodeURIComponent(ada.phone)}`, operatorToken);
    expect((smsNow.body?.items as { body: string }[]).filter((i) => i.body.includes(TRACKING))).toHaveLength(
      sms.filter((i) => i.body.includes(TRACKING)).length,
    );
    expect(sms.filter((i) => i.body.includes(TRACKING))).toHaveLength(1);
  });

  it('shows the notice in the inbox, newest first, and marks it read for its owner only', async () => {
    const inbox = await waitFor(
      async () => {
        const res = await api('GET', '/api/v1/notifications', adaToken);
        const items = res.body?.items as { id: string; title: string }[];
        return items.some((i) => i.title.includes('available for pickup')) ? res.body : undefined;
      },
      { timeoutMs: 20_000, description: 'the pickup notice in the inbox' },
    );
    const items = inbox.items as { id: string; title: string; read: boolean }[];
    const notice = items.find((i) => i.title.includes('available for pickup'))!;
    expect(inbox.unreadCount).toBeGreaterThanOrEqual(1);
    expect((await api('POST', `/api/v1/notifications/${notice.id}/read`, bobToken)).status).toBe(404);
    expect((await api('POST', `/api/v1/notifications/${notice.id}/read`, adaToken)).status).toBe(204);
    const after = await api('GET', '/api/v1/notifications', adaToken);
    expect((after.body?.items as { id: string; read: boolean }[]).find((i) => i.id === notice.id)?.read).toBe(true);
    expect((await api('POST', '/api/v1/notifications/not-an-id/read', adaToken)).status).toBe(400);
  });

  it('stops the email of a kind turned off', async () => {
    const off = await api('PUT', '/api/v1/notifications/preferences', bobToken, { available_for_pickup: [] });
    expect(off.body?.available_for_pickup).toEqual([]);
    const second = arrived();
    await send(Topics.Tracking, [second]);
    // Ada still gets hers; Bob's count stays at one.
    await waitFor(
      async () =>
        (await mailpit.messages(ada.email)).filter((m) => m.Subject.includes('available for pickup')).length === 2,
      { timeoutMs: 30_000, description: "Ada's second pickup email" },
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect((await mailpit.messages(bob.email)).filter((m) => m.Subject.includes('available for pickup'))).toHaveLength(
      1,
    );
  });

  it('refuses unknown kinds and channels, and requires a token', async () => {
    const kind = await api('PUT', '/api/v1/notifications/preferences', adaToken, { marketing: ['email'] });
    expect(kind.status).toBe(400);
    const channel = await api('PUT', '/api/v1/notifications/preferences', adaToken, { delivered: ['pigeon'] });
    expect(channel.status).toBe(400);
    expect(JSON.stringify(channel.body)).toContain('delivered');
    expect((await api('GET', '/api/v1/notifications/preferences', null)).status).toBe(401);
    expect((await api('PUT', '/api/v1/notifications/preferences', adaToken, '[1,2')).status).toBe(400);
  });

  it('notifies the customer when an operator replies to a support case, and keeps cases private', async () => {
    const opened = await api('POST', '/api/v1/support/cases', adaToken, {
      subject: 'Where is my <parcel>?',
      body: 'It has been a week.',
      trackingNumber: TRACKING,
    });
    expect(opened.status).toBe(201);
    expect(opened.body?.status).toBe('open');
    const caseId = opened.body?.caseId as string;

    expect((await api('GET', `/api/v1/support/cases/${caseId}`, bobToken)).status).toBe(404);
    expect((await api('POST', `/api/v1/support/cases/${caseId}/messages`, bobToken, { body: 'hi' })).status).toBe(404);
    const bobList = await api('GET', '/api/v1/support/cases', bobToken);
    expect((bobList.body?.items as { caseId: string }[]).map((c) => c.caseId)).not.toContain(caseId);
    const opList = await api('GET', '/api/v1/support/cases?status=open', operatorToken);
    expect((opList.body?.items as { caseId: string }[]).map((c) => c.caseId)).toContain(caseId);
    const adaList = await api('GET', '/api/v1/support/cases', adaToken);
    expect(
      (adaList.body?.items as { caseId: string; messages: { body: string }[] }[]).find((c) => c.caseId === caseId),
    ).toMatchObject({ trackingNumber: TRACKING, messages: [{ body: 'It has been a week.' }] });
    const badNumber = await api('POST', '/api/v1/support/cases', adaToken, {
      subject: 's',
      body: 'b',
      trackingNumber: '9400111899223197428491',
    });
    expect(badNumber.status).toBe(400);
    expect(JSON.stringify(badNumber.body)).toContain('trackingNumber');

    const reply = await api('POST', `/api/v1/support/cases/${caseId}/messages`, operatorToken, {
      body: 'It is at the Denver post office.',
    });
    expect(reply.status).toBe(201);
    const mail = await mailpit.waitForMessage({
      to: ada.email,
      subject: 'Reply to your support case',
      timeoutMs: 30_000,
    });
    const replied = await mailpit.message(mail.ID);
    expect(replied.Text).toContain('It is at the Denver post office.');
    expect(replied.HTML).toContain('&lt;parcel&gt;');

    const view = await api('GET', `/api/v1/support/cases/${caseId}`, adaToken);
    expect((view.body?.messages as unknown[]).length).toBe(2);
    // A case holds at most 200 messages: the 201st is refused with the reason, the case stays as it was.
    for (let i = 2; i < 200; i++) {
      expect(
        (await api('POST', `/api/v1/support/cases/${caseId}/messages`, adaToken, { body: `more ${i}` })).status,
      ).toBe(201);
    }
    const full = await api('POST', `/api/v1/support/cases/${caseId}/messages`, adaToken, { body: 'one too many' });
    expect(full.status).toBe(409);
    expect(JSON.stringify(full.body)).toContain('at most 200 messages');
    expect(((await api('GET', `/api/v1/support/cases/${caseId}`, adaToken)).body?.messages as unknown[]).length).toBe(
      200,
    );
    expect((await api('POST', `/api/v1/support/cases/${caseId}/close`, adaToken)).status).toBe(200);
    expect((await api('POST', `/api/v1/support/cases/${caseId}/messages`, adaToken, { body: 'x' })).status).toBe(409);
    expect((await api('POST', '/api/v1/support/cases', adaToken, { subject: '', body: 'x' })).status).toBe(400);
    expect(
      (await api('POST', '/api/v1/support/cases', adaToken, { subject: 's', body: 'x'.repeat(5001) })).status,
    ).toBe(400);
    expect(
      (await api('POST', '/api/v1/support/cases', adaToken, { subject: 's', body: 'b', admin: true })).status,
    ).toBe(400);
  });

  it('keeps Bull Board and the SMS sink for operators', async () => {
    expect((await api('GET', '/api/v1/admin/sms-sink', adaToken)).status).toBe(403);
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${base}/admin/queues`, { headers: { authorization: `Bearer ${adaToken}` } })).status).toBe(
      403,
    );
    const board = await fetch(`${base}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    expect(board.status).toBe(200);
  });

  it('opens Bull Board to an operator browser by the HttpOnly cookie that the session route sets', async () => {
    expect((await api('POST', '/api/v1/admin/queues/session', adaToken)).status).toBe(403);
    const session = await fetch(`${base}/api/v1/admin/queues/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    expect(session.status).toBe(204);
    const setCookie = session.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^portal_queue_board=[^;]+;/);
    expect(setCookie).toMatch(/Path=\/admin\/queues/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Max-Age=\d+/);
    const cookie = setCookie.split(';')[0];
    expect((await fetch(`${base}/admin/queues/api/queues`, { headers: { cookie } })).status).toBe(200);
    // The board's HTML page carries its own Content-Security-Policy.
    const page = await fetch(`${base}/admin/queues`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(QUEUE_BOARD_CSP);
    expect(
      (await fetch(`${base}/admin/queues/api/queues`, { headers: { cookie: `portal_queue_board=${adaToken}` } }))
        .status,
    ).toBe(403);
    expect(
      (await fetch(`${base}/admin/queues/api/queues`, { headers: { cookie: 'portal_queue_board=forged.token.x' } }))
        .status,
    ).toBe(401);
  });

  it('counts sent messages in /metrics, for the scraper only', async () => {
    const scrape = () => fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${portal.env.METRICS_TOKEN}` } });
    // The gauges are refreshed on a timer (500 ms here), not per scrape.
    await waitFor(
      async () =>
        /notifications_messages\{[^}]*channel="email"[^}]*status="sent"[^}]*\} [1-9]/.test(
          await (await scrape()).text(),
        )
          ? true
          : undefined,
      { timeoutMs: 10_000, description: 'sent emails in /metrics' },
    );
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
  });
});
