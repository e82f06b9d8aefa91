import { TestTokenIssuer } from '@app/auth/testing/test-token-issuer';
import {
  createEnvelope,
  PasswordResetRequestedV1,
  PhoneVerifiedV1,
  Topics,
  UserRegisteredV1,
  type EventEnvelope,
} from '@app/contracts';
import { produce, startPortal, waitFor, type Portal } from '@app/testing';
import { randomUUID } from 'node:crypto';

jest.setTimeout(120_000);

/**
 * The SMS sink outside the test harness (SMS_SINK_SHOW_CODES off, as in any deployment): an operator
 * reading it sees that a reset code went out, never the code. The harness side (codes readable) is
 * what every other test reading the sink relies on, e.g. quiet-hours.e2e-spec.ts.
 */
describe('SMS sink without SMS_SINK_SHOW_CODES (e2e)', () => {
  let portal: Portal;
  let issuer: TestTokenIssuer;
  const run = randomUUID().slice(0, 8);
  const ada = { userId: `sink-${run}`, email: `sink-${run}@example.com`, phone: '+12025550188' };
  let operatorToken: string;

  const event = (def: { type: string; version: number }, key: string, data: unknown) =>
    createEnvelope({ type: def.type, version: def.version, key, source: 'test', data });
  const send = (topic: string, envelopes: EventEnvelope[]) =>
    produce(
      topic,
      envelopes.map((e) => ({ key: e.key, value: e })),
      { prefix: portal.topicPrefix },
    );
  const sinkBodies = async (): Promise<string[]> => {
    const res = await fetch(`${portal.urls.notifications}/api/v1/admin/sms-sink?to=${encodeURIComponent(ada.phone)}`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: { body: string }[] }).items.map((i) => i.body);
  };

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    portal = await startPortal({
      apps: ['notifications'],
      env: { AUTH_URL: issuer.baseUrl, SMS_SINK_SHOW_CODES: 'false', QUIET_HOURS_START: '0', QUIET_HOURS_END: '0' },
    });
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
    // Give the contact projection time to see the verified phone.
    await new Promise((r) => setTimeout(r, 1000));
  });

  afterAll(async () => {
    await portal?.stop();
    await issuer?.close();
  });

  it("shows an operator that a reset code was sent, but not the customer's code", async () => {
    await send(Topics.Identity, [
      event(PasswordResetRequestedV1, ada.userId, {
        userId: ada.userId,
        email: ada.email,
        phone: ada.phone,
        code: '640371',
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
      }),
    ]);
    const bodies = await waitFor(
      async () => {
        const found = await sinkBodies();
        return found.some((b) => /reset code/i.test(b)) ? found : undefined;
      },
      { timeoutMs: 30_000, description: 'the reset SMS in the sink' },
    );
    expect(bodies.join('\n')).not.toContain('640371');
    expect(bodies.find((b) => /reset code/i.test(b))).toContain('******');
  });
});
