import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import {
  createEnvelope,
  NotificationSentV1,
  SupportCaseRepliedV1,
  Topics,
  UserRegisteredV1,
  type EventEnvelope,
  type NotificationSentData,
  type SupportCaseRepliedData,
} from '@app/contracts';
import { collectEvents, MailpitClient, produce, startPortal, type EventCollector, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';

describe('notification events through the outbox (e2e)', () => {
  let portal: Portal;
  let issuer: TestTokenIssuer;
  let mailpit: MailpitClient;
  let events: EventCollector<EventEnvelope>;
  const run = randomUUID().slice(0, 8);
  const ada = { userId: `ada-${run}`, email: `ada-${run}@example.com` };

  const api = async (path: string, token: string, body: unknown) => {
    const res = await fetch(`${portal.urls.notifications}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    portal = await startPortal({
      apps: ['notifications'],
      env: {
        AUTH_URL: issuer.baseUrl,
        // Every write "crashes" before its own publish: only the outbox sweep can publish.
        OUTBOX_CRASH_AFTER_WRITE: 'true',
        OUTBOX_SWEEP_INTERVAL_MS: '300',
        QUIET_HOURS_START: '0',
        QUIET_HOURS_END: '0',
      },
    });
    mailpit = new MailpitClient();
    events = await collectEvents<EventEnvelope>(Topics.Notification, { prefix: portal.topicPrefix });
    await produce(
      Topics.Identity,
      [
        {
          key: ada.userId,
          value: createEnvelope({
            type: UserRegisteredV1.type,
            version: UserRegisteredV1.version,
            key: ada.userId,
            source: 'test',
            data: {
              userId: ada.userId,
              username: ada.userId,
              email: ada.email,
              firstName: 'Ada',
              lastName: 'Test',
              accountType: 'personal',
              timeZone: 'UTC',
            },
          }),
        },
      ],
      { prefix: portal.topicPrefix },
    );
  });

  afterAll(async () => {
    await events?.stop();
    await portal?.stop();
    await issuer?.close();
  });

  it('notifies the customer of an operator reply whose process died before publishing, and reports each message sent once', async () => {
    const adaToken = await issuer.sign({ sub: ada.userId });
    const operatorToken = await issuer.sign({ sub: `op-${run}`, roles: ['operator'] });
    const opened = await api('/api/v1/support/cases', adaToken, { subject: 'Lost parcel', body: 'Where is it?' });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    // The contact projection (from UserRegistered) must exist before the reply is planned.
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const reply = await api(`/api/v1/support/cases/${caseId}/messages`, operatorToken, { body: 'It is in Denver.' });
    expect(reply.status).toBe(201);
    const messageId = reply.body.messageId as string;

    const replied = await events.waitFor(
      (e) => e.value.type === SupportCaseRepliedV1.type && e.value.id === messageId,
      { timeoutMs: 30_000 },
    );
    expect(replied.key).toBe(ada.userId);
    expect((replied.value.data as SupportCaseRepliedData).caseId).toBe(caseId);
    await mailpit.waitForMessage({ to: ada.email, subject: 'Reply to your support case', timeoutMs: 30_000 });

    const sentFor = (channel: string) =>
      events.waitFor(
        (e) =>
          e.value.type === NotificationSentV1.type &&
          (e.value.data as NotificationSentData).sourceEventId === messageId &&
          (e.value.data as NotificationSentData).channel === channel,
        { timeoutMs: 30_000 },
      );
    const email = await sentFor('email');
    const inApp = await sentFor('in_app');
    expect(email.value.data).toMatchObject({ userId: ada.userId, kind: 'support_replies' });
    expect(inApp.key).toBe(ada.userId);

    // Later sweeps publish nothing again: each message is reported once.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = events.events.filter(
      (e) =>
        e.value.type === NotificationSentV1.type && (e.value.data as NotificationSentData).sourceEventId === messageId,
    );
    expect(sent).toHaveLength(2);
    expect(events.events.filter((e) => e.value.id === messageId)).toHaveLength(1);
  });
});
