import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import {
  createEnvelope,
  ParcelArrivedV1,
  PasswordResetRequestedV1,
  PhoneVerifiedV1,
  Topics,
  UserRegisteredV1,
  type EventEnvelope,
} from '@app/contracts';
import { MailpitClient, produce, startPortal, waitFor, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';

jest.setTimeout(120_000);

const TRACKING = '9400111899223197428497';

/**
 * Quiet hours on the real stack: they start at the current UTC hour and last three hours, and the
 * user's time zone is UTC, so "now" is inside them whenever the test runs.
 */
describe('SMS quiet hours (e2e)', () => {
  let portal: Portal;
  let issuer: TestTokenIssuer;
  let mailpit: MailpitClient;
  const run = randomUUID().slice(0, 8);
  const ada = { userId: `quiet-${run}`, email: `quiet-${run}@example.com`, phone: '+12025550177' };
  let adaToken: string;
  let operatorToken: string;
  const hour = new Date().getUTCHours();

  const send = (topic: string, envelopes: EventEnvelope[]) =>
    produce(
      topic,
      envelopes.map((e) => ({ key: e.key, value: e })),
      { prefix: portal.topicPrefix },
    );
  const event = (def: { type: string; version: number }, key: string, data: unknown) =>
    createEnvelope({ type: def.type, version: def.version, key, source: 'test', data });
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${portal.urls.notifications}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const sinkBodies = async () =>
    (
      (await call('GET', `/api/v1/admin/sms-sink?to=${encodeURIComponent(ada.phone)}`, operatorToken)).body.items as {
        body: string;
      }[]
    ).map((i) => i.body);

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    portal = await startPortal({
      apps: ['notifications'],
      env: {
        AUTH_URL: issuer.baseUrl,
        QUIET_HOURS_START: String(hour),
        QUIET_HOURS_END: String((hour + 3) % 24),
      },
    });
    mailpit = new MailpitClient();
    adaToken = await issuer.sign({ sub: ada.userId });
    operatorToken = await issuer.sign({ sub: `op-${run}`, roles: ['operator'] });
    await send(Topics.Identity, [
      event(UserRegisteredV1, ada.userId, {
        userId: ada.userId,
        username: ada.userId,
        email: ada.email,
        phone: ada.phone,
        firstName: 'Ada',
        lastName: 'Test',
        accountType: 'personal',
        timeZone: 'UTC',
      }),
      event(PhoneVerifiedV1, ada.userId, { userId: ada.userId, phone: ada.phone }),
    ]);
    const chose = await call('PUT', '/api/v1/notifications/preferences', adaToken, {
      available_for_pickup: ['email', 'sms'],
    });
    expect(chose.status).toBe(200);
    // Give the contact projection time to see the verified phone.
    await new Promise((r) => setTimeout(r, 1000));
  });

  afterAll(async () => {
    await portal?.stop();
    await issuer?.close();
  });

  it('holds a parcel SMS until the quiet hours end, but sends the email and a security code at once', async () => {
    await send(Topics.Tracking, [
      event(ParcelArrivedV1, TRACKING, {
        trackingNumber: TRACKING,
        facility: { name: 'DENVER MAIN POST OFFICE', city: 'DENVER', state: 'CO', zip: '80202' },
        holdUntil: '2030-05-18T12:00:00.000Z',
        occurredAt: new Date().toISOString(),
        recipients: [{ userId: ada.userId, reason: 'watcher' }],
      }),
    ]);
    await mailpit.waitForMessage({ to: ada.email, subject: 'available for pickup', timeoutMs: 30_000 });

    await send(Topics.Identity, [
      event(PasswordResetRequestedV1, ada.userId, {
        userId: ada.userId,
        email: ada.email,
        phone: ada.phone,
        code: '640371',
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
      }),
    ]);
    // The reset code goes out by SMS during quiet hours...
    await waitFor(async () => (await sinkBodies()).some((b) => b.includes('640371')), {
      timeoutMs: 20_000,
      description: 'the reset code SMS in the sink',
    });
    // ...while the pickup SMS, planned before it, is still held.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await sinkBodies()).filter((b) => b.includes(TRACKING))).toEqual([]);
  });
});
