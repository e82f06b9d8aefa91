import { addDays, centralDate, deliveryDaysAfter, nonDeliveryDayReason } from '@app/contracts';
import { appEntry, createAddress, createUser, freePort, PortalClient, waitFor, type TestUser } from '@app/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFlow, verifyAddressByLetter, type Flow } from './flow-helpers';

jest.setTimeout(300_000);

/** This portal's per-account quota of delivery requests and changes (30 an hour by default). */
const LIMIT = 12;

interface HoldMail {
  confirmationNumber: string;
  startDate: string;
  endDate: string;
  status: string;
  message?: string;
}

/**
 * Delivery requests across two tracking processes (the gateway in front of the first, the second
 * called directly): Hold Mail bookings racing in both cannot overlap, and the per-account quota is
 * one counter for both.
 */
describe('delivery management limits across two tracking processes (real stack)', () => {
  let flow: Flow;
  let second: ChildProcess | undefined;
  /** The second tracking instance's `/api/v1`. */
  let other: PortalClient;

  async function ownerOfVerifiedAddress(line1: string): Promise<{ user: TestUser; addressId: string }> {
    const user = await createUser(flow.api, flow.mailpit);
    const address = await createAddress(flow.api, user.accessToken, {
      name: 'KATHERINE JOHNSON',
      line1,
      city: 'DENVER',
      state: 'CO',
      zip: '80202',
    });
    await verifyAddressByLetter(flow.api, user.accessToken, address.id);
    // Tracking learns verified addresses from the identity events: wait until both instances know it.
    for (const api of [flow.api, other]) {
      await waitFor(
        async () =>
          (
            await api.call('PUT', `/delivery-instructions/addresses/${address.id}`, {
              body: { where: 'front_door' },
              token: user.accessToken,
            })
          ).status === 200,
        { timeoutMs: 30_000, description: 'the verified address known to tracking' },
      );
    }
    return { user, addressId: address.id };
  }

  beforeAll(async () => {
    flow = await startFlow({ TRACKING_DELIVERY_REQUEST_LIMIT: String(LIMIT) });
    const port = await freePort();
    const instanceId = `${flow.portal.topicPrefix}tracking-2`;
    const log = fs.openSync(path.join(flow.portal.logDir, 'tracking-2.log'), 'a');
    second = spawn(process.execPath, [appEntry('tracking')], {
      env: {
        ...flow.portal.envOf('tracking'),
        // The first instance's database (envOf leaves each app's own MONGO_DB out).
        MONGO_DB: `tracking_${flow.portal.topicPrefix.replace(/\.$/, '')}`,
        TRACKING_DELIVERY_REQUEST_LIMIT: String(LIMIT),
        TRACKING_PORT: String(port),
        INSTANCE_ID: instanceId,
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
        return res?.status === 200 && ((await res.json()) as { instanceId: string }).instanceId === instanceId;
      },
      { timeoutMs: 90_000, description: 'the second tracking instance' },
    );
    other = new PortalClient(`http://127.0.0.1:${port}/api/v1`);
  }, 240_000);

  afterAll(async () => {
    if (second && second.exitCode === null) {
      const exited = new Promise((resolve) => second!.once('exit', resolve));
      second.kill('SIGTERM');
      await exited;
    }
    await flow?.portal.stop();
  });

  it('books one of two overlapping Hold Mails sent at once to two processes, every time', async () => {
    const { user, addressId } = await ownerOfVerifiedAddress('40 RACE ST');
    const today = centralDate(new Date());
    // Four rounds on disjoint weeks; in each, B starts a day after A and both last four days.
    const starts = deliveryDaysAfter(today, 30).filter(
      (d) => d <= addDays(today, 27) && nonDeliveryDayReason(addDays(d, 1)) === undefined,
    );
    const rounds: string[] = [];
    for (const day of starts)
      if (rounds.length < 4 && (rounds.length === 0 || day > addDays(rounds.at(-1)!, 6))) rounds.push(day);
    expect(rounds).toHaveLength(4);
    const winners: HoldMail[] = [];
    for (const start of rounds) {
      const bookingA = { addressId, startDate: start, endDate: addDays(start, 3), delivery: 'deliver_all_on_end' };
      const bookingB = { ...bookingA, startDate: addDays(start, 1), endDate: addDays(start, 4) };
      const [a, b] = await Promise.all([
        flow.api.post<HoldMail>('/hold-mail', bookingA, user.accessToken),
        other.post<HoldMail>('/hold-mail', bookingB, user.accessToken),
      ]);
      const statuses = [a.status, b.status].sort();
      expect({ start, statuses }).toEqual({ start, statuses: [201, 409] });
      const [won, lost] = a.status === 201 ? [a, b] : [b, a];
      expect(lost.body.message).toMatch(/already holds this address|being booked right now/);
      winners.push(won.body);
    }
    const listed = await flow.api.get<{ items: HoldMail[] }>('/hold-mail', user.accessToken);
    const scheduled = listed.body.items.filter((h) => h.status === 'scheduled');
    expect(scheduled.map((h) => h.confirmationNumber).sort()).toEqual(winners.map((w) => w.confirmationNumber).sort());

    // A cancelled hold gives its days back: the loser's booking of the first round now goes through.
    const first = winners[0];
    expect(
      (await other.call('DELETE', `/hold-mail/${first.confirmationNumber}`, { token: user.accessToken })).status,
    ).toBe(200);
    const again = await flow.api.post<HoldMail>(
      '/hold-mail',
      {
        addressId,
        startDate: addDays(first.startDate, 1),
        endDate: addDays(first.startDate, 4),
        delivery: 'deliver_all_on_end',
      },
      user.accessToken,
    );
    expect(again.status).toBe(201);
  });

  it('counts delivery requests per account across both processes: 429 with Retry-After past the quota', async () => {
    const [{ user, addressId }, neighbour] = await Promise.all([
      ownerOfVerifiedAddress('41 QUOTA ST'),
      ownerOfVerifiedAddress('42 QUOTA ST'),
    ]);
    // Setting up used one change (front_door); each change below alternates where, so each is new.
    const instructions = (api: PortalClient, who: TestUser, id: string, where: string) =>
      api.call<{ message?: string; retryAfterSeconds?: number }>('PUT', `/delivery-instructions/addresses/${id}`, {
        body: { where },
        token: who.accessToken,
      });
    const places = ['back_door', 'side_door'];
    for (let i = 1; i < LIMIT; i++) {
      const res = await instructions(i % 2 ? flow.api : other, user, addressId, places[i % 2]);
      expect({ i, status: res.status }).toEqual({ i, status: 200 });
    }
    const refused = await instructions(other, user, addressId, 'mailbox');
    expect({ status: refused.status, message: refused.body.message }).toEqual({
      status: 429,
      message: expect.stringContaining(`at most ${LIMIT} delivery requests and changes per account`),
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.retryAfterSeconds).toBe(Number(refused.headers.get('retry-after')));
    // Through the gateway, and on another route that mails a confirmation: the same counter.
    const start = deliveryDaysAfter(centralDate(new Date()), 1)[0];
    const hold = await flow.api.post(
      '/hold-mail',
      { addressId, startDate: start, endDate: addDays(start, 3), delivery: 'deliver_all_on_end' },
      user.accessToken,
    );
    expect(hold.status).toBe(429);
    // A retry of what is already set costs nothing and still answers; bad input is still a 400 with its reason.
    expect((await instructions(flow.api, user, addressId, places[(LIMIT - 1) % 2])).status).toBe(200);
    const bad = await instructions(flow.api, user, addressId, 'roof');
    expect(bad.status).toBe(400);
    // Another account has its own quota.
    expect((await instructions(flow.api, neighbour.user, neighbour.addressId, 'mailbox')).status).toBe(200);
  });

  it('documents the quota as a 429 with Retry-After on every delivery route that sends a notice', async () => {
    const doc = await flow.edge.get<{
      paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    }>('/api/docs-json');
    const routes: [string, string][] = [
      ['/api/v1/parcels/{trackingNumber}/redelivery', 'post'],
      ['/api/v1/parcels/{trackingNumber}/hold-extension', 'post'],
      ['/api/v1/parcels/{trackingNumber}/intercept', 'post'],
      ['/api/v1/parcels/{trackingNumber}/delivery-instructions', 'put'],
      ['/api/v1/redeliveries/{confirmationNumber}', 'patch'],
      ['/api/v1/redeliveries/{confirmationNumber}', 'delete'],
      ['/api/v1/delivery-instructions/addresses/{addressId}', 'put'],
      ['/api/v1/hold-mail', 'post'],
      ['/api/v1/hold-mail/{confirmationNumber}', 'patch'],
      ['/api/v1/hold-mail/{confirmationNumber}', 'delete'],
    ];
    for (const [route, method] of routes) {
      const tooMany = doc.body.paths[route]?.[method]?.responses['429'];
      expect({ route, method, headers: Object.keys(tooMany?.headers ?? {}) }).toEqual({
        route,
        method,
        headers: ['Retry-After'],
      });
    }
  });
});
