import { checkTrackingNumber, Topics } from '@app/contracts';
import {
  collectEvents,
  createAddress,
  createUser,
  MailpitClient,
  PortalClient,
  startPortal,
  TEST_FROM,
  TEST_TO,
  TEST_CARD_PAYMENT,
  type EventCollector,
  type HttpResult,
  type Portal,
  type TestUser,
} from '@app/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { SECURITY_PORTAL_ENV } from './security-helpers';

jest.setTimeout(240_000);

/** The phone verification window of this portal: short, so the daily limit can be reached in a test. */
const PHONE_WINDOW_SECONDS = 6;
const LABEL_LIMIT = 5;

type IdentityEvent = { id: string; type: string; data: { userId?: string; phone?: string } };

/** Distinct events (delivery is at least once: the outbox may publish one twice) matching `predicate`. */
function distinct(events: { value: IdentityEvent }[], predicate: (e: IdentityEvent) => boolean): number {
  return new Set(events.filter((e) => predicate(e.value)).map((e) => e.value.id)).size;
}

function expectRefused(res: HttpResult, reason: RegExp): void {
  expect({ status: res.status, message: res.body.message }).toEqual({
    status: 429,
    message: expect.stringMatching(reason),
  });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(res.body.retryAfterSeconds).toBe(Number(res.headers.get('retry-after')));
}

/** A fresh number in the UK's drama range (+44 7700 900xxx), unique enough within one run. */
function ukMobile(): { plain: string; withTrunkZero: string } {
  const tail = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  return { plain: `+447700900${tail}`, withTrunkZero: `+4407700900${tail}` };
}

describe('send quotas and label limits through the gateway (real stack)', () => {
  let portal: Portal;
  let api: PortalClient;
  let mailpit: MailpitClient;
  let identity: EventCollector<IdentityEvent>;

  const newUser = (overrides: Record<string, unknown> = {}): Promise<TestUser> => createUser(api, mailpit, overrides);
  const askPhoneCode = (user: TestUser) => api.post('/me/phone/verification', {}, user.accessToken);
  const codesSentTo = (phone: string) =>
    identity.events.filter((e) => e.value.type === 'PhoneVerificationRequested' && e.value.data.phone === phone).length;

  beforeAll(async () => {
    portal = await startPortal({
      env: {
        ...SECURITY_PORTAL_ENV,
        AUTH_PHONE_CODE_WINDOW_SECONDS: String(PHONE_WINDOW_SECONDS),
        PICKUP_LABEL_RATE_LIMIT: String(LABEL_LIMIT),
      },
    });
    api = new PortalClient(`${portal.gatewayUrl}/api/v1`);
    mailpit = new MailpitClient();
    identity = await collectEvents<IdentityEvent>(Topics.Identity, { prefix: portal.topicPrefix });
  });

  afterAll(async () => {
    await identity?.stop();
    await portal?.stop();
  });

  it('documents each limit as a 429 with Retry-After in the merged OpenAPI document', async () => {
    const doc = await new PortalClient(portal.gatewayUrl).get<{
      paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    }>('/api/docs-json');
    for (const [path, method] of [
      ['/api/v1/me/phone/verification', 'post'],
      ['/api/v1/me/addresses/{id}/verification-letter', 'post'],
      ['/api/v1/labels', 'post'],
      ['/api/v1/tracking', 'get'],
      ['/api/v1/tracking/{trackingNumber}', 'get'],
    ]) {
      const tooMany = doc.body.paths[path]?.[method]?.responses['429'];
      expect({ path, headers: Object.keys(tooMany?.headers ?? {}) }).toEqual({ path, headers: ['Retry-After'] });
    }
  });

  describe('phone verification codes', () => {
    it('sends at most 5 per account in the window, then 429 with Retry-After and the reason', async () => {
      const phone = ukMobile().plain;
      const user = await newUser({ phone });
      for (let i = 0; i < 5; i++) expect((await askPhoneCode(user)).status).toBe(202);
      const refused = await askPhoneCode(user);
      expectRefused(refused, /phone verification codes per account/);
      expect(refused.body.retryAfterSeconds).toBeLessThanOrEqual(PHONE_WINDOW_SECONDS);
      await identity.waitFor(() => codesSentTo(phone) === 5);
      await sleep(500);
      expect(codesSentTo(phone)).toBe(5);
    });

    it('sends at most 5 per phone number across accounts, however the number is written', async () => {
      const { plain, withTrunkZero } = ukMobile();
      const first = await newUser({ phone: plain });
      // The same phone, written with the national trunk zero after the country code.
      const second = await newUser({ phone: withTrunkZero });
      for (let i = 0; i < 3; i++) expect((await askPhoneCode(first)).status).toBe(202);
      for (let i = 0; i < 2; i++) expect((await askPhoneCode(second)).status).toBe(202);
      // The second account has had 2 of its own 5, but the number has had its 5.
      expectRefused(await askPhoneCode(second), /per phone number/);
      expectRefused(await askPhoneCode(first), /per phone number/);
    });

    it('sends at most 20 per account a day, and refused requests do not use the day up', async () => {
      const user = await newUser({ phone: ukMobile().plain });
      for (let window = 0; window < 4; window++) {
        for (let i = 0; i < 5; i++) expect((await askPhoneCode(user)).status).toBe(202);
        if (window === 3) break;
        // Asking again while refused costs nothing of the day's 20.
        const refused = await askPhoneCode(user);
        expectRefused(refused, new RegExp(`5 phone verification codes per account in ${PHONE_WINDOW_SECONDS} seconds`));
        expect((await askPhoneCode(user)).status).toBe(429);
        await sleep(Number(refused.headers.get('retry-after')) * 1000 + 300);
      }
      await sleep(PHONE_WINDOW_SECONDS * 1000 + 300);
      const daily = await askPhoneCode(user);
      expectRefused(daily, /20 phone verification codes per account in 24 hours/);
      expect(daily.body.retryAfterSeconds).toBeGreaterThan(PHONE_WINDOW_SECONDS * 10);
    });
  });

  describe('address verification letters', () => {
    const requestLetter = (user: TestUser, addressId: string) =>
      api.post(`/me/addresses/${addressId}/verification-letter`, {}, user.accessToken);

    it('sends at most 3 to one postal address across accounts, however it is spelt', async () => {
      const door = `${1000 + Math.floor(Math.random() * 8000)}`;
      const spellings = [
        { line1: `${door} Maple Avenue`, line2: 'Apt. 4', city: 'Springfield', state: 'IL', zip: '62704' },
        { line1: `${door} MAPLE AVE`, line2: '#4', city: 'SPRINGFIELD', state: 'IL', zip: '62704-1234' },
        { line1: `${door} maple ave. apt 4`, city: 'Springfield', state: 'il', zip: '62704' },
      ];
      const alice = await newUser();
      const bob = await newUser();
      const a1 = await createAddress(api, alice.accessToken, spellings[0]);
      const a2 = await createAddress(api, alice.accessToken, spellings[1]);
      const b1 = await createAddress(api, bob.accessToken, spellings[2]);
      expect((await requestLetter(alice, a1.id)).status).toBe(202);
      expect((await requestLetter(alice, a2.id)).status).toBe(202);
      expect((await requestLetter(bob, b1.id)).status).toBe(202);
      expectRefused(await requestLetter(bob, b1.id), /3 verification letters per postal address in 30 days/);
      expectRefused(await requestLetter(alice, a1.id), /per postal address/);
      // Another door in the same building is another mailbox.
      const other = await createAddress(api, bob.accessToken, { ...spellings[0], line2: 'Apt 5' });
      expect((await requestLetter(bob, other.id)).status).toBe(202);
    });

    it('sends at most 5 per account, and a refused one leaves no letter pending', async () => {
      const user = await newUser();
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const street = `${100 + i} ${['Oak', 'Elm', 'Pine', 'Cedar', 'Birch', 'Ash'][i]} St`;
        ids.push((await createAddress(api, user.accessToken, { line1: street, zip: '22201' })).id);
      }
      for (const id of ids.slice(0, 5)) expect((await requestLetter(user, id)).status).toBe(202);
      expectRefused(await requestLetter(user, ids[5]), /5 verification letters per account/);
      const last = await api.get<{ verificationPending: boolean }>(`/me/addresses/${ids[5]}`, user.accessToken);
      expect(last.body.verificationPending).toBe(false);
    });
  });

  describe('recovery emails (the same quota helper)', () => {
    it('sends at most 5 username reminders per account in 15 minutes, answering 202 alike', async () => {
      const user = await newUser();
      for (let i = 0; i < 7; i++)
        expect((await api.post('/auth/forgot-username', { email: user.email })).status).toBe(202);
      const reminders = () =>
        distinct(identity.events, (e) => e.type === 'UsernameReminderRequested' && e.data.userId === user.userId);
      await identity.waitFor(() => reminders() >= 5);
      await sleep(2000);
      expect(reminders()).toBe(5);
    });
  });

  describe('labels', () => {
    const newLabel = (user: TestUser) =>
      api.post<{ trackingNumber: string; message?: string; retryAfterSeconds?: number }>(
        '/labels',
        { from: TEST_FROM, to: TEST_TO, weightOz: 12, service: 'ground_advantage', payment: TEST_CARD_PAYMENT },
        user.accessToken,
      );

    it('limits labels per account (429 with Retry-After and the reason); other accounts are not held up', async () => {
      const user = await newUser();
      for (let i = 0; i < LABEL_LIMIT; i++) expect((await newLabel(user)).status).toBe(201);
      const refused = await newLabel(user);
      expectRefused(refused, new RegExp(`at most ${LABEL_LIMIT} labels per account per hour`));
      expect(refused.body.retryAfterSeconds).toBeLessThanOrEqual(3600);
      expect((await newLabel(await newUser())).status).toBe(201);
    });

    it('gives 30 labels made at once valid, distinct tracking numbers that do not count up', async () => {
      const users = await Promise.all(Array.from({ length: 30 / LABEL_LIMIT }, () => newUser()));
      const results = await Promise.all(users.flatMap((u) => Array.from({ length: LABEL_LIMIT }, () => newLabel(u))));
      expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
      const numbers = results.map((r) => r.body.trackingNumber);
      expect(new Set(numbers).size).toBe(30);
      expect(numbers.every((n) => checkTrackingNumber(n).valid)).toBe(true);
      // 30 consecutive counter values, but the serials (digits 15–21) are spread over the 7-digit range.
      const serials = numbers.map((n) => Number(n.slice(14, 21))).sort((a, b) => a - b);
      expect(serials[serials.length - 1] - serials[0]).toBeGreaterThan(1_000_000);
      const gaps = serials.slice(1).map((s, i) => s - serials[i]);
      expect(gaps.filter((g) => g <= 1)).toHaveLength(0);
    });
  });
});
