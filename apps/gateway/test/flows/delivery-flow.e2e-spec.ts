import {
  centralDate,
  computeImpbCheckDigit,
  ConsumerGroups,
  deliveryDaysAfter,
  Topics,
  topicName,
} from '@app/contracts';
import {
  collectEvents,
  createAddress,
  createLabel,
  createUser,
  waitFor,
  type EventCollector,
  type TestUser,
} from '@app/testing';
import mongoose from 'mongoose';
import {
  postScans,
  scanEvent,
  scannerKey,
  settledCount,
  startFlow,
  verifyAddressByLetter,
  type Flow,
} from './flow-helpers';

jest.setTimeout(300_000);

interface Options {
  trackingNumber: string;
  roles: string[];
  holdUntil?: string;
  actions: {
    redelivery: { allowed: boolean; reason?: string; dates?: string[]; confirmationNumber?: string };
    holdExtension: { allowed: boolean; reason?: string; maxDays?: number };
    intercept: { allowed: boolean; reason?: string };
    deliveryInstructions: { allowed: boolean; reason?: string };
  };
  redelivery?: { confirmationNumber: string };
  intercept?: { interceptId: string; status: string };
  deliveryInstructions?: { where: string; scope: string; instructions?: string };
  requests: { kind: string; status: string }[];
}
interface Redelivery {
  confirmationNumber: string;
  trackingNumber: string;
  date: string;
  status: string;
  where: string;
  instructions?: string;
  active: boolean;
}
interface RequestEvent {
  id: string;
  type: string;
  key: string;
  data: Record<string, unknown>;
}

const RECIPIENT_ADDRESS = {
  name: 'GRACE HOPPER',
  line1: '12 Oak St',
  line2: 'Apt 2',
  city: 'DENVER',
  state: 'CO',
  zip: '80202',
};

describe('delivery management through the gateway (real stack)', () => {
  let flow: Flow;
  let recipient: TestUser;
  let shipper: TestUser;
  let stranger: TestUser;
  let scanner: string;
  let tn: string;
  let requests: EventCollector<RequestEvent>;
  let addressId: string;
  const booking = (date: string) => ({
    date,
    where: 'side_door',
    instructions: 'gate code 1234',
    contact: { email: 'grace@example.com' },
  });
  const options = (user: TestUser, number = tn) =>
    flow.api.get<Options>(`/parcels/${number}/options`, user.accessToken);
  const redeliver = (user: TestUser, body: unknown, number = tn) =>
    flow.api.post<Redelivery & { message: string }>(`/parcels/${number}/redelivery`, body, user.accessToken);

  beforeAll(async () => {
    // The hold reminder sweeps every 2 s here (300 s by default).
    // The hold reminder and the outcome sweep run every 2 s here (300 s and 60 s by default); the
    // quota is apps/gateway/test/flows/delivery-limits.e2e-spec.ts's subject, not this one's.
    flow = await startFlow({
      TRACKING_HOLD_REMINDER_INTERVAL_SECONDS: '2',
      TRACKING_OUTCOME_INTERVAL_SECONDS: '2',
      TRACKING_DELIVERY_REQUEST_LIMIT: '1000',
    });
    const { api, mailpit, portal } = flow;
    requests = await collectEvents<RequestEvent>(Topics.PostalRequests, {
      prefix: portal.topicPrefix,
      // The postal systems' own principal and consumer group: what they may read, they read.
      principal: 'scanner',
      groupId: topicName(ConsumerGroups.PostalSystems, portal.topicPrefix),
    });
    [recipient, shipper, stranger] = await Promise.all([
      createUser(api, mailpit),
      createUser(api, mailpit),
      createUser(api, mailpit),
    ]);
    const address = await createAddress(api, recipient.accessToken, RECIPIENT_ADDRESS);
    addressId = address.id;
    await verifyAddressByLetter(api, recipient.accessToken, address.id);
    tn = (await createLabel(api, shipper.accessToken, { to: RECIPIENT_ADDRESS })).trackingNumber;
    scanner = await scannerKey(api);
    // The parcel reached tracking and the recipient's verified address matches it.
    await waitFor(
      async () => {
        const incoming = await api.get<{ items: { trackingNumber: string }[] }>(
          '/tracking/incoming',
          recipient.accessToken,
        );
        return incoming.body.items?.some((i) => i.trackingNumber === tn);
      },
      { timeoutMs: 30_000, description: 'the parcel among the recipient’s incoming parcels' },
    );
  });

  afterAll(async () => {
    await requests?.stop();
    await flow?.portal.stop();
  });

  it('answers 404 alike for a stranger and an unknown parcel, 400 for a malformed number', async () => {
    const theirs = await options(stranger);
    expect(theirs.status).toBe(404);
    const body = '920559000000000000009';
    const never = await options(recipient, body + computeImpbCheckDigit(body));
    expect(never.status).toBe(404);
    expect(theirs.body).toMatchObject({ message: expect.stringContaining('that you may act on') });
    expect(never.body).toMatchObject({ message: expect.stringContaining('that you may act on') });
    const malformed = await options(recipient, 'not-a-number');
    expect(malformed.status).toBe(400);
    expect((await flow.api.get(`/parcels/${tn}/options`)).status).toBe(401);
  });

  it('offers no redelivery before a delivery attempt, and refuses one with the reason', async () => {
    const before = await options(recipient);
    expect(before.status).toBe(200);
    expect(before.body.roles).toEqual(['recipient']);
    expect(before.body.actions.redelivery).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('attempt'),
    });
    const tomorrow = deliveryDaysAfter(centralDate(new Date()), 1)[0];
    const refused = await redeliver(recipient, booking(tomorrow));
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('delivery attempt');
  });

  describe('after a delivery attempt', () => {
    let dates: string[];
    let confirmationNumber: string;

    beforeAll(async () => {
      // After the label's creation: the attempt is the parcel's latest event.
      const now = Date.now();
      const scans = [
        scanEvent(tn, 'out_for_delivery', new Date(now - 2_000)),
        scanEvent(tn, 'delivery_attempted', new Date(now - 1_000)),
      ];
      expect((await postScans(flow.api, scanner, scans)).body.accepted).toBe(2);
      let last: unknown;
      await waitFor(
        async () => {
          const res = await options(recipient);
          last = res.body;
          return res.body.actions?.redelivery.allowed === true;
        },
        { timeoutMs: 20_000, description: 'redelivery offered after the attempt' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; options: ${JSON.stringify(last)}`);
      });
      dates = (await options(recipient)).body.actions.redelivery.dates ?? [];
    });

    it('offers the recipient the next delivery days and the shipper no redelivery', async () => {
      const today = centralDate(new Date());
      expect(dates).toEqual(deliveryDaysAfter(today, 10));
      const mine = await options(recipient);
      expect(mine.body.holdUntil).toEqual(expect.any(String));
      expect(mine.body.actions.holdExtension).toMatchObject({
        allowed: false,
        reason: expect.stringContaining('available for pickup'),
      });
      const theirs = await options(shipper);
      expect(theirs.status).toBe(200);
      expect(theirs.body.roles).toEqual(['shipper']);
      expect(theirs.body.actions.redelivery).toMatchObject({
        allowed: false,
        reason: expect.stringContaining('recipient'),
      });
    });

    it('refuses bad bookings with the reason (dates, fields, types, size, hostile input)', async () => {
      const today = centralDate(new Date());
      const todayMs = Date.parse(`${today}T12:00:00Z`);
      const daysToSunday = 7 - new Date(todayMs).getUTCDay();
      const sunday = new Date(todayMs + daysToSunday * 86_400_000).toISOString().slice(0, 10);
      const eleventh = deliveryDaysAfter(today, 11)[10];
      const cases: [unknown, number, string][] = [
        [booking(today), 400, 'not after today'],
        [booking(sunday), 400, 'Sunday'],
        [booking(eleventh), 400, 'beyond the next 10 delivery days'],
        [booking('2026-02-30'), 400, 'not a calendar date'],
        [booking('tomorrow'), 400, 'date must be YYYY-MM-DD'],
        [{ ...booking(dates[0]), where: 'roof' }, 400, 'where'],
        [{ ...booking(dates[0]), where: 'other', instructions: undefined }, 400, 'needs instructions'],
        [{ ...booking(dates[0]), contact: {} }, 400, 'contact needs an email or a phone'],
        [{ ...booking(dates[0]), contact: { email: 'not-an-email' } }, 400, 'email'],
        [{ ...booking(dates[0]), instructions: 'x'.repeat(501) }, 400, 'instructions'],
        [{ ...booking(dates[0]), surprise: true }, 400, 'surprise should not exist'],
        [{ ...booking(dates[0]), date: { $gt: '' } }, 400, 'date'],
        [[booking(dates[0])], 400, ''],
        ['{"date": "2026-', 400, ''],
      ];
      for (const [body, status, reason] of cases) {
        const res = await redeliver(recipient, body);
        expect({ body, status: res.status }).toEqual({ body, status });
        expect(JSON.stringify(res.body)).toContain(reason);
      }
      const huge = await flow.api.call('POST', `/parcels/${tn}/redelivery`, {
        token: recipient.accessToken,
        body: { ...booking(dates[0]), instructions: 'x'.repeat(3_000_000) },
      });
      expect(huge.status).toBe(413);
      expect(requests.events.filter((e) => e.value.key === tn)).toEqual([]);
    });

    it('lets only the recipient book: the shipper gets 404 with the reason, as anyone else', async () => {
      const shipperTried = await redeliver(shipper, booking(dates[0]));
      expect(shipperTried.status).toBe(404);
      expect(shipperTried.body.message).toContain('only its recipient may');
      expect((await redeliver(stranger, booking(dates[0]))).status).toBe(404);
    });

    it('books one redelivery, answers a retry with the same one, refuses a second and publishes it for the postal systems', async () => {
      const first = await redeliver(recipient, booking(dates[1]));
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ date: dates[1], status: 'scheduled', trackingNumber: tn, active: true });
      confirmationNumber = first.body.confirmationNumber;
      expect(confirmationNumber).toMatch(/^RD[A-Z0-9]{10}$/);
      const retry = await redeliver(recipient, booking(dates[1]));
      expect(retry.status).toBe(201);
      expect(retry.body.confirmationNumber).toBe(confirmationNumber);
      const other = await redeliver(recipient, booking(dates[2]));
      expect(other.status).toBe(409);
      expect(other.body.message).toContain(confirmationNumber);

      const event = await requests.waitFor((e) => e.value.type === 'RedeliveryRequested' && e.value.key === tn);
      expect(event.key).toBe(tn);
      expect(event.value.data).toEqual({
        confirmationNumber,
        trackingNumber: tn,
        userId: recipient.userId,
        date: dates[1],
        where: 'side_door',
        instructions: 'gate code 1234',
        contact: { email: 'grace@example.com' },
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(requests.events.filter((e) => e.value.type === 'RedeliveryRequested')).toHaveLength(1);

      const shown = await options(recipient);
      expect(shown.body.actions.redelivery).toMatchObject({ allowed: false, confirmationNumber });
      expect(shown.body.redelivery?.confirmationNumber).toBe(confirmationNumber);
    });

    it('lists redeliveries to their owner only', async () => {
      const mine = await flow.api.get<{ items: Redelivery[] }>('/redeliveries', recipient.accessToken);
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((r) => r.confirmationNumber)).toEqual([confirmationNumber]);
      const theirs = await flow.api.get<{ items: Redelivery[] }>('/redeliveries', shipper.accessToken);
      expect(theirs.body.items).toEqual([]);
      expect((await flow.api.get(`/redeliveries/${confirmationNumber}`, stranger.accessToken)).status).toBe(404);
      expect((await flow.api.get(`/redeliveries/${confirmationNumber}`, recipient.accessToken)).status).toBe(200);
      expect((await flow.api.get('/redeliveries?limit=0', recipient.accessToken)).status).toBe(400);
    });

    it('changes the redelivery for its owner only, with the date rules, and publishes the change', async () => {
      const path = `/redeliveries/${confirmationNumber}`;
      const patch = (user: TestUser, body: unknown, p = path) =>
        flow.api.call<Redelivery & { message: string }>('PATCH', p, { token: user.accessToken, body });
      expect((await patch(stranger, { date: dates[2] })).status).toBe(404);
      expect((await patch(shipper, { date: dates[2] })).status).toBe(404);
      expect((await patch(recipient, { date: dates[2] }, '/redeliveries/nope')).status).toBe(400);
      const past = await patch(recipient, { date: centralDate(new Date()) });
      expect(past.status).toBe(400);
      expect(past.body.message).toContain('not after today');
      expect((await patch(recipient, { where: 'other', instructions: null })).status).toBe(400);
      const changed = await patch(recipient, { date: dates[2], where: 'mailbox', instructions: null });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ date: dates[2], where: 'mailbox', confirmationNumber });
      expect(changed.body.instructions).toBeUndefined();
      // Read back: the booking's instructions are gone from the stored redelivery, not only from the answer.
      const stored = await flow.api.get<Redelivery>(path, recipient.accessToken);
      expect(stored.body).toMatchObject({ date: dates[2], where: 'mailbox' });
      expect(stored.body.instructions).toBeUndefined();
      const event = await requests.waitFor((e) => e.value.type === 'RedeliveryChanged' && e.value.key === tn);
      expect(event.value.data).toMatchObject({ confirmationNumber, date: dates[2], where: 'mailbox' });
      expect(event.value.data).not.toHaveProperty('instructions');
    });

    it('cancels for its owner (a retry answers the same), publishes it, and frees the parcel for a new booking', async () => {
      const path = `/redeliveries/${confirmationNumber}`;
      expect((await flow.api.call('DELETE', path, { token: stranger.accessToken })).status).toBe(404);
      const cancelled = await flow.api.call<Redelivery>('DELETE', path, { token: recipient.accessToken });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', active: false });
      const again = await flow.api.call<Redelivery>('DELETE', path, { token: recipient.accessToken });
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('cancelled');
      const event = await requests.waitFor((e) => e.value.type === 'RedeliveryCancelled' && e.value.key === tn);
      expect(event.value.data).toEqual({
        confirmationNumber,
        trackingNumber: tn,
        userId: recipient.userId,
        date: dates[2],
      });
      const patched = await flow.api.call<{ message: string }>('PATCH', path, {
        token: recipient.accessToken,
        body: { date: dates[3] },
      });
      expect(patched.status).toBe(409);
      expect(patched.body.message).toContain('cancelled');
      const fresh = await redeliver(recipient, booking(dates[3]));
      expect(fresh.status).toBe(201);
      expect(fresh.body.confirmationNumber).not.toBe(confirmationNumber);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(requests.events.filter((e) => e.value.type === 'RedeliveryCancelled')).toHaveLength(1);
    });
    it('confirms the requests to the recipient by email and in the inbox (kind delivery_requests)', async () => {
      const prefs = await flow.api.get<Record<string, string[]>>('/notifications/preferences', recipient.accessToken);
      expect(prefs.body.delivery_requests).toEqual(['email', 'in_app']);
      const subjects = async () =>
        (await flow.mailpit.messages(recipient.email)).map((m) => m.Subject).filter((t) => t.includes('Redelivery'));
      await waitFor(async () => (await subjects()).length >= 4, {
        timeoutMs: 30_000,
        description: 'the redelivery emails',
      });
      const mails = await subjects();
      expect(mails).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`^Redelivery ${confirmationNumber} scheduled for `)),
          expect.stringMatching(new RegExp(`^Redelivery ${confirmationNumber} changed for `)),
          `Redelivery ${confirmationNumber} was cancelled`,
        ]),
      );
      // One email per event: the retried booking and the repeated cancel sent nothing more.
      expect(mails.filter((m) => m.startsWith(`Redelivery ${confirmationNumber} scheduled`))).toHaveLength(1);
      expect(mails.filter((m) => m === `Redelivery ${confirmationNumber} was cancelled`)).toHaveLength(1);
      const inbox = await flow.api.get<{ items: { title: string }[] }>('/notifications', recipient.accessToken);
      expect(inbox.body.items.map((i) => i.title)).toContain(`Redelivery ${confirmationNumber} was cancelled`);
      // The shipper asked for nothing and hears nothing of it.
      expect((await flow.mailpit.messages(shipper.email)).filter((m) => m.Subject.includes('Redelivery'))).toEqual([]);
    });
  });

  describe('hold extension', () => {
    beforeAll(async () => {
      const scans = [scanEvent(tn, 'available_for_pickup', new Date())];
      expect((await postScans(flow.api, scanner, scans)).body.accepted).toBe(1);
      await waitFor(async () => (await options(recipient)).body.actions?.holdExtension.allowed === true, {
        timeoutMs: 20_000,
        description: 'hold extension offered once available for pickup',
      });
    });

    it('extends the hold once by up to 15 days for the recipient only, a retry answering the same', async () => {
      const before = (await options(recipient)).body.holdUntil ?? '';
      // The public tracking view (no login) shows the hold's end too, before and after the extension.
      const publicView = async () => (await flow.api.get<{ holdUntil?: string }>(`/tracking/${tn}`)).body.holdUntil;
      expect(await publicView()).toBe(before);
      const extend = (user: TestUser, body: unknown) =>
        flow.api.post<{ holdUntil: string; days: number; message: string }>(
          `/parcels/${tn}/hold-extension`,
          body,
          user.accessToken,
        );
      expect((await extend(shipper, { days: 5 })).status).toBe(404);
      expect((await extend(stranger, { days: 5 })).status).toBe(404);
      for (const days of [0, 16, 2.5, '5', null]) {
        const bad = await extend(recipient, { days });
        expect({ days, status: bad.status }).toEqual({ days, status: 400 });
      }
      const first = await extend(recipient, { days: 10 });
      expect(first.status).toBe(200);
      expect(first.body.holdUntil).toBe(new Date(Date.parse(before) + 10 * 86_400_000).toISOString());
      const retry = await extend(recipient, { days: 10 });
      expect(retry.status).toBe(200);
      expect(retry.body.holdUntil).toBe(first.body.holdUntil);
      const second = await extend(recipient, { days: 3 });
      expect(second.status).toBe(409);
      expect(second.body.message).toContain('already extended once');

      const event = await requests.waitFor((e) => e.value.type === 'HoldExtended' && e.value.key === tn);
      expect(event.value.data).toEqual({
        trackingNumber: tn,
        userId: recipient.userId,
        days: 10,
        holdUntil: first.body.holdUntil,
        previousHoldUntil: before,
      });
      const after = await options(recipient);
      expect(after.body.holdUntil).toBe(first.body.holdUntil);
      expect(await publicView()).toBe(first.body.holdUntil);
      expect(after.body.actions.holdExtension).toMatchObject({
        allowed: false,
        reason: expect.stringContaining('already extended'),
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(requests.events.filter((e) => e.value.type === 'HoldExtended')).toHaveLength(1);
    });
  });

  describe('intercept, delivery instructions and the answering scans', () => {
    interface Intercept {
      interceptId: string;
      status: string;
      action: string;
      message: string;
    }
    const newParcel = async (): Promise<string> => {
      const number = (await createLabel(flow.api, shipper.accessToken, { to: RECIPIENT_ADDRESS })).trackingNumber;
      await waitFor(async () => (await options(recipient, number)).status === 200, {
        timeoutMs: 20_000,
        description: 'the new parcel known to tracking',
      });
      return number;
    };
    const intercept = (user: TestUser, number: string, body: unknown) =>
      flow.api.post<Intercept>(`/parcels/${number}/intercept`, body, user.accessToken);
    const instruct = (user: TestUser, number: string, body: unknown) =>
      flow.api.call<{ where: string; scope: string; message: string }>(
        'PUT',
        `/parcels/${number}/delivery-instructions`,
        {
          token: user.accessToken,
          body,
        },
      );
    const CHICAGO = { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' };

    it('takes the recipient’s instructions for a parcel before it is out for delivery, and publishes them once', async () => {
      const number = await newParcel();
      expect((await options(recipient, number)).body.actions).toMatchObject({
        deliveryInstructions: { allowed: true },
        intercept: { allowed: false },
      });
      expect((await instruct(shipper, number, { where: 'back_door' })).status).toBe(404);
      expect((await instruct(stranger, number, { where: 'back_door' })).status).toBe(404);
      const other = await instruct(recipient, number, { where: 'other' });
      expect(other.status).toBe(400);
      expect(other.body.message).toContain('needs instructions');
      expect((await instruct(recipient, number, { where: 'roof' })).status).toBe(400);
      expect((await instruct(recipient, number, { where: 'back_door', instructions: 'x'.repeat(501) })).status).toBe(
        400,
      );
      const set = await instruct(recipient, number, { where: 'back_door', instructions: 'behind the planter' });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ where: 'back_door', scope: 'parcel' });
      expect(
        (await instruct(recipient, number, { where: 'back_door', instructions: 'behind the planter' })).status,
      ).toBe(200);
      const event = await requests.waitFor((e) => e.value.type === 'DeliveryInstructionsSet' && e.value.key === number);
      expect(event.value.data).toEqual({
        scope: 'parcel',
        trackingNumber: number,
        userId: recipient.userId,
        where: 'back_door',
        instructions: 'behind the planter',
      });
      const shown = await options(recipient, number);
      expect(shown.body).toMatchObject({
        deliveryInstructions: { where: 'back_door', scope: 'parcel' },
        requests: [expect.objectContaining({ kind: 'delivery_instructions', status: 'set' })],
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(
        requests.events.filter((e) => e.value.type === 'DeliveryInstructionsSet' && e.value.key === number),
      ).toHaveLength(1);
      // Changed without instructions, the parcel's stored instructions lose them (not only the answer).
      expect((await instruct(recipient, number, { where: 'mailbox' })).status).toBe(200);
      const cleared = (await options(recipient, number)).body.deliveryInstructions;
      expect(cleared).toMatchObject({ where: 'mailbox', scope: 'parcel' });
      expect(cleared).not.toHaveProperty('instructions');

      expect(
        (await postScans(flow.api, scanner, [scanEvent(number, 'out_for_delivery', new Date())])).body.accepted,
      ).toBe(1);
      await waitFor(async () => (await instruct(recipient, number, { where: 'mailbox' })).status === 409, {
        timeoutMs: 20_000,
        description: 'instructions refused once out for delivery',
      });
    });

    it('keeps default instructions per verified address, for its owner only, applied to parcels without their own', async () => {
      const put = (user: TestUser, id: string, body: unknown) =>
        flow.api.call<{ scope: string; where: string }>('PUT', `/delivery-instructions/addresses/${id}`, {
          token: user.accessToken,
          body,
        });
      expect((await put(stranger, addressId, { where: 'side_door' })).status).toBe(404);
      expect((await put(recipient, 'no-such-address', { where: 'side_door' })).status).toBe(404);
      expect((await put(recipient, addressId, { where: 'nowhere' })).status).toBe(400);
      const set = await put(recipient, addressId, { where: 'side_door', instructions: 'ring twice' });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ scope: 'address', where: 'side_door' });
      const event = await requests.waitFor(
        (e) => e.value.type === 'DeliveryInstructionsSet' && e.value.data.scope === 'address',
      );
      expect(event.key).toBe('80202|12 OAK ST|#2');
      expect(event.value.data).toMatchObject({
        addressKey: '80202|12 OAK ST|#2',
        where: 'side_door',
        userId: recipient.userId,
      });
      // The first parcel has no instructions of its own: the address's default applies.
      expect((await options(recipient)).body).toMatchObject({
        deliveryInstructions: { scope: 'address', where: 'side_door', instructions: 'ring twice' },
      });
    });

    it('lets only the shipper intercept, once, and makes a redirect succeed from the scans at the new destination', async () => {
      const number = await newParcel();
      expect((await options(shipper, number)).body.actions.intercept).toMatchObject({ allowed: true });
      expect((await intercept(recipient, number, { action: 'return_to_sender' })).status).toBe(404);
      expect((await intercept(stranger, number, { action: 'return_to_sender' })).status).toBe(404);
      const cases: [unknown, string][] = [
        [{ action: 'redirect' }, 'needs the new address'],
        [{ action: 'return_to_sender', address: CHICAGO }, 'only for a redirect'],
        [{ action: 'teleport' }, 'action'],
        [{ action: 'redirect', address: { ...CHICAGO, zip: '6060' } }, 'zip'],
        [{ action: 'redirect', address: { ...CHICAGO, state: 'Illinois' } }, 'state'],
        [{ action: 'redirect', address: { ...CHICAGO, extra: 1 } }, 'extra'],
      ];
      for (const [body, reason] of cases) {
        const res = await intercept(shipper, number, body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(JSON.stringify(res.body)).toContain(reason);
      }
      const made = await intercept(shipper, number, { action: 'redirect', address: CHICAGO });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ status: 'requested', action: 'redirect' });
      expect(made.body.interceptId).toMatch(/^IC[A-Z0-9]{10}$/);
      const retry = await intercept(shipper, number, { action: 'redirect', address: CHICAGO });
      expect(retry.status).toBe(201);
      expect(retry.body.interceptId).toBe(made.body.interceptId);
      expect((await intercept(shipper, number, { action: 'return_to_sender' })).status).toBe(409);
      const event = await requests.waitFor((e) => e.value.type === 'InterceptRequested' && e.value.key === number);
      expect(event.value.data).toEqual({
        interceptId: made.body.interceptId,
        trackingNumber: number,
        userId: shipper.userId,
        action: 'redirect',
        address: CHICAGO,
      });

      const redirected = {
        ...scanEvent(number, 'redirected', new Date(Date.now() + 1_000)),
        facility: { name: 'CHICAGO IL DISTRIBUTION CENTER', city: 'CHICAGO', state: 'IL', zip: '60601' },
      };
      expect((await postScans(flow.api, scanner, [redirected])).body.accepted).toBe(1);
      await waitFor(async () => (await options(shipper, number)).body.intercept?.status === 'succeeded', {
        timeoutMs: 20_000,
        description: 'the redirect succeeded',
      });
      const shown = await options(shipper, number);
      expect(shown.body.requests).toEqual([expect.objectContaining({ kind: 'intercept', status: 'succeeded' })]);
      // The outcome is published and told to the shipper, once.
      const resolved = await requests.waitFor((e) => e.value.type === 'InterceptResolved' && e.value.key === number);
      expect(resolved.value.data).toMatchObject({
        interceptId: made.body.interceptId,
        userId: shipper.userId,
        action: 'redirect',
        status: 'succeeded',
      });
      const succeeded = `Intercept ${made.body.interceptId} of ${number} succeeded`;
      await waitFor(async () => (await flow.mailpit.messages(shipper.email)).some((m) => m.Subject === succeeded), {
        timeoutMs: 30_000,
        description: 'the email saying the intercept succeeded',
      });
      expect(await settledCount(flow.mailpit, shipper.email, succeeded, 5000)).toBe(1);
      // The recipient does not see the shipper's intercept.
      expect((await options(recipient, number)).body.intercept).toBeUndefined();
      const publicView = await flow.api.get<{ statusCategory: string; status: string }>(`/tracking/${number}`);
      expect(publicView.body).toMatchObject({
        statusCategory: 'in_transit',
        status: expect.stringContaining('Redirected'),
      });
    });

    it('tells the recipient when the post office confirms a redelivery and when it is delivered, once each', async () => {
      const number = await newParcel();
      const attempt = [
        scanEvent(number, 'out_for_delivery', new Date(Date.now() - 2_000)),
        scanEvent(number, 'delivery_attempted', new Date(Date.now() - 1_000)),
      ];
      expect((await postScans(flow.api, scanner, attempt)).body.accepted).toBe(2);
      await waitFor(async () => (await options(recipient, number)).body.actions?.redelivery.allowed === true, {
        timeoutMs: 20_000,
        description: 'redelivery offered',
      });
      const date = (await options(recipient, number)).body.actions.redelivery.dates?.[0] ?? '';
      const booked = await redeliver(recipient, booking(date), number);
      expect(booked.status).toBe(201);
      const cn = booked.body.confirmationNumber;
      const subjects = async () => (await flow.mailpit.messages(recipient.email)).map((m) => m.Subject);
      expect(
        (await postScans(flow.api, scanner, [scanEvent(number, 'redelivery_scheduled', new Date(Date.now() + 1_000))]))
          .body.accepted,
      ).toBe(1);
      await waitFor(async () => (await subjects()).includes(`Redelivery ${cn} is confirmed by the post office`), {
        timeoutMs: 30_000,
        description: 'the email confirming the redelivery',
      });
      expect(
        (await postScans(flow.api, scanner, [scanEvent(number, 'delivered', new Date(Date.now() + 2_000))])).body
          .accepted,
      ).toBe(1);
      await waitFor(async () => (await subjects()).includes(`Redelivery ${cn} was delivered`), {
        timeoutMs: 30_000,
        description: 'the email saying the redelivery was delivered',
      });
      await waitFor(
        () => requests.events.filter((e) => e.value.type === 'RedeliveryOutcome' && e.value.key === number).length >= 2,
        { timeoutMs: 15_000, description: 'both RedeliveryOutcome events' },
      );
      expect(
        requests.events
          .filter((e) => e.value.type === 'RedeliveryOutcome' && e.value.key === number)
          .map((e) => e.value.data.outcome),
      ).toEqual(['confirmed', 'delivered']);
      const mine = await flow.api.get<Redelivery & { outcome?: string }>(`/redeliveries/${cn}`, recipient.accessToken);
      expect(mine.body.outcome).toBe('delivered');
      expect(await settledCount(flow.mailpit, recipient.email, `Redelivery ${cn} was delivered`, 5000)).toBe(1);
      expect((await subjects()).filter((s) => s === `Redelivery ${cn} is confirmed by the post office`)).toHaveLength(
        1,
      );
    });

    it('makes an intercept fail when the parcel is delivered first, and refuses one after delivery', async () => {
      const number = await newParcel();
      const made = await intercept(shipper, number, { action: 'hold_at_post_office' });
      expect(made.status).toBe(201);
      expect(
        (await postScans(flow.api, scanner, [scanEvent(number, 'delivered', new Date(Date.now() + 1_000))])).body
          .accepted,
      ).toBe(1);
      await waitFor(async () => (await options(shipper, number)).body.intercept?.status === 'failed', {
        timeoutMs: 20_000,
        description: 'the intercept failed',
      });
      const failed = `Intercept ${made.body.interceptId} of ${number} failed`;
      await waitFor(async () => (await flow.mailpit.messages(shipper.email)).some((m) => m.Subject === failed), {
        timeoutMs: 30_000,
        description: 'the email saying the intercept failed',
      });
      const inbox = await flow.api.get<{ items: { title: string }[] }>('/notifications', shipper.accessToken);
      expect(inbox.body.items.filter((i) => i.title === failed)).toHaveLength(1);
      const late = await newParcel();
      expect((await postScans(flow.api, scanner, [scanEvent(late, 'delivered', new Date())])).body.accepted).toBe(1);
      await waitFor(
        async () =>
          (await flow.api.get<{ statusCategory: string }>(`/tracking/${late}`)).body.statusCategory === 'delivered',
        { timeoutMs: 20_000, description: 'the parcel delivered' },
      );
      const refused = await intercept(shipper, late, { action: 'return_to_sender' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('delivered');
    });

    it('shows a parcel held at the post office as available for pickup', async () => {
      const number = await newParcel();
      expect(
        (await postScans(flow.api, scanner, [scanEvent(number, 'held_at_post_office', new Date())])).body.accepted,
      ).toBe(1);
      await waitFor(
        async () =>
          (await flow.api.get<{ statusCategory: string }>(`/tracking/${number}`)).body.statusCategory ===
          'available_for_pickup',
        { timeoutMs: 20_000, description: 'held at the post office' },
      );
    });
  });

  describe('Hold Mail', () => {
    interface HoldMail {
      confirmationNumber: string;
      startDate: string;
      endDate: string;
      delivery: string;
      status: string;
      inForce: boolean;
      message: string;
    }
    const ADDRESS_KEY = '80202|12 OAK ST|#2';
    const plus = (date: string, days: number) =>
      new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const hold = (user: TestUser, body: unknown) => flow.api.post<HoldMail>('/hold-mail', body, user.accessToken);
    const patchHold = (user: TestUser, number: string, body: unknown) =>
      flow.api.call<HoldMail>('PATCH', `/hold-mail/${number}`, { token: user.accessToken, body });
    const deleteHold = (user: TestUser, number: string) =>
      flow.api.call<HoldMail>('DELETE', `/hold-mail/${number}`, { token: user.accessToken });

    it('holds the mail of a verified address for its owner only, with the date rules, once, and publishes it', async () => {
      const today = centralDate(new Date());
      const start = deliveryDaysAfter(today, 1)[0];
      const body = { addressId, startDate: start, endDate: plus(start, 4), delivery: 'deliver_all_on_end' };
      expect((await hold(stranger, body)).status).toBe(404);
      expect((await hold(recipient, { ...body, addressId: 'someone-elses' })).status).toBe(404);
      const todayMs = Date.parse(`${today}T12:00:00Z`);
      const sunday = new Date(todayMs + (7 - new Date(todayMs).getUTCDay()) * 86_400_000).toISOString().slice(0, 10);
      const cases: [unknown, string][] = [
        [{ ...body, startDate: today, endDate: plus(today, 4) }, 'at least one day ahead'],
        [{ ...body, startDate: sunday, endDate: plus(sunday, 4) }, 'Sunday'],
        [{ ...body, endDate: plus(start, 1) }, 'this one: 2'],
        [{ ...body, endDate: plus(start, 30) }, 'this one: 31'],
        [{ ...body, startDate: plus(today, 45), endDate: plus(today, 50) }, 'at most 30 days ahead'],
        [{ ...body, delivery: 'drone' }, 'delivery'],
        [{ ...body, startDate: '05/08/2026' }, 'startDate must be YYYY-MM-DD'],
        [{ ...body, addressId: { $ne: null } }, 'addressId'],
        [{ ...body, note: 'hi' }, 'note should not exist'],
      ];
      for (const [input, reason] of cases) {
        const res = await hold(recipient, input);
        expect({ input, status: res.status }).toEqual({ input, status: 400 });
        expect(JSON.stringify(res.body)).toContain(reason);
      }
      const made = await hold(recipient, body);
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({
        startDate: start,
        endDate: plus(start, 4),
        status: 'scheduled',
        inForce: false,
      });
      expect(made.body.confirmationNumber).toMatch(/^HM[A-Z0-9]{10}$/);
      const retry = await hold(recipient, body);
      expect(retry.status).toBe(201);
      expect(retry.body.confirmationNumber).toBe(made.body.confirmationNumber);
      const overlapping = await hold(recipient, { ...body, endDate: plus(start, 6) });
      expect(overlapping.status).toBe(409);
      expect(overlapping.body.message).toContain(made.body.confirmationNumber);
      const event = await requests.waitFor((e) => e.value.type === 'HoldMailRequested');
      expect(event.key).toBe(ADDRESS_KEY);
      expect(event.value.data).toEqual({
        confirmationNumber: made.body.confirmationNumber,
        userId: recipient.userId,
        addressKey: ADDRESS_KEY,
        address: { line1: '12 OAK ST', line2: '#2', zip: '80202' },
        startDate: start,
        endDate: plus(start, 4),
        delivery: 'deliver_all_on_end',
      });

      const mine = await flow.api.get<{ items: HoldMail[] }>('/hold-mail', recipient.accessToken);
      expect(mine.body.items.map((h) => h.confirmationNumber)).toEqual([made.body.confirmationNumber]);
      expect((await flow.api.get<{ items: HoldMail[] }>('/hold-mail', stranger.accessToken)).body.items).toEqual([]);
      expect((await flow.api.get(`/hold-mail/${made.body.confirmationNumber}`, stranger.accessToken)).status).toBe(404);

      const number = made.body.confirmationNumber;
      expect((await patchHold(stranger, number, { endDate: plus(start, 6) })).status).toBe(404);
      expect((await patchHold(recipient, 'HM-nope', { endDate: plus(start, 6) })).status).toBe(400);
      expect((await patchHold(recipient, number, { endDate: plus(start, 1) })).status).toBe(400);
      const changed = await patchHold(recipient, number, {
        endDate: plus(start, 6),
        delivery: 'pickup_at_post_office',
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ endDate: plus(start, 6), delivery: 'pickup_at_post_office' });
      const changedEvent = await requests.waitFor((e) => e.value.type === 'HoldMailChanged');
      expect(changedEvent.value.data).toMatchObject({ confirmationNumber: number, endDate: plus(start, 6) });

      expect((await deleteHold(stranger, number)).status).toBe(404);
      const cancelled = await deleteHold(recipient, number);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect((await deleteHold(recipient, number)).body.status).toBe('cancelled');
      await requests.waitFor((e) => e.value.type === 'HoldMailCancelled');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(requests.events.filter((e) => e.value.type === 'HoldMailRequested')).toHaveLength(1);
      expect(requests.events.filter((e) => e.value.type === 'HoldMailCancelled')).toHaveLength(1);
    });

    it('shows the incoming parcels of the address held at the post office while the hold is in force; a started hold cannot change', async () => {
      const today = centralDate(new Date());
      const start = deliveryDaysAfter(today, 1)[0];
      const made = await hold(recipient, {
        addressId,
        startDate: start,
        endDate: plus(start, 3),
        delivery: 'pickup_at_post_office',
      });
      expect(made.status).toBe(201);
      const before = await flow.api.get<{ items: { trackingNumber: string; heldAtPostOffice?: boolean }[] }>(
        '/tracking/incoming',
        recipient.accessToken,
      );
      expect(before.body.items.find((i) => i.trackingNumber === tn)?.heldAtPostOffice).toBeUndefined();
      // Time passes: the hold has started today (written as the passing days would leave it).
      const mongo = await mongoose.mongo.MongoClient.connect(process.env.MONGO_URL!);
      try {
        await mongo
          .db(`tracking_${flow.portal.topicPrefix.replace(/\.$/, '')}`)
          .collection<{ _id: string }>('delivery_requests')
          .updateOne({ _id: made.body.confirmationNumber }, { $set: { startDate: today, endDate: plus(today, 3) } });
      } finally {
        await mongo.close();
      }
      const during = await flow.api.get<{
        items: { trackingNumber: string; heldAtPostOffice?: boolean; holdMail?: { confirmationNumber: string } }[];
      }>('/tracking/incoming', recipient.accessToken);
      const held = during.body.items.find((i) => i.trackingNumber === tn);
      expect(held).toMatchObject({
        heldAtPostOffice: true,
        holdMail: { confirmationNumber: made.body.confirmationNumber },
      });
      // A delivered parcel of the address is not shown held.
      const deliveredOnes = during.body.items.filter((i) => i.trackingNumber !== tn && i.heldAtPostOffice);
      for (const item of deliveredOnes) {
        const view = await flow.api.get<{ statusCategory: string }>(`/tracking/${item.trackingNumber}`);
        expect(view.body.statusCategory).not.toBe('delivered');
      }
      const late = await patchHold(recipient, made.body.confirmationNumber, { delivery: 'deliver_all_on_end' });
      expect(late.status).toBe(409);
      expect(late.body.message).toContain('started');
      expect((await deleteHold(recipient, made.body.confirmationNumber)).status).toBe(409);
    });
  });

  it('reminds the recipients once, two days before an uncollected parcel goes back to the sender', async () => {
    const number = (await createLabel(flow.api, shipper.accessToken, { to: RECIPIENT_ADDRESS })).trackingNumber;
    await waitFor(async () => (await options(recipient, number)).status === 200, {
      timeoutMs: 20_000,
      description: 'the parcel known to tracking',
    });
    // Arrived 14 days ago: the hold ends in a day.
    const arrived = scanEvent(number, 'available_for_pickup', new Date(Date.now() - 14 * 86_400_000));
    expect((await postScans(flow.api, scanner, [arrived])).body.accepted).toBe(1);
    const subject = `Parcel ${number} goes back to the sender`;
    await waitFor(async () => (await flow.mailpit.messages(recipient.email)).some((m) => m.Subject.includes(subject)), {
      timeoutMs: 30_000,
      description: 'the reminder email',
    });
    // Several sweeps later, still one.
    expect(await settledCount(flow.mailpit, recipient.email, subject, 5000)).toBe(1);
    const inbox = await flow.api.get<{ items: { title: string }[] }>('/notifications', recipient.accessToken);
    expect(inbox.body.items.filter((i) => i.title.includes(subject))).toHaveLength(1);
  });
});
