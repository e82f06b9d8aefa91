import { checkTrackingNumber } from '@app/contracts';
import {
  createAddress,
  createLabel,
  createOrder,
  createPickup,
  createUser,
  TEST_FROM,
  TEST_TO,
  pickupBody,
  waitFor,
  type TestUser,
} from '@app/testing';
import { pdfText, postScans, scanEvent, scannerKey, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(180_000);

/** A year-long booking window, so a federal holiday is always within reach (the default is 21 days). */
const BOOKING_WINDOW_DAYS = 365;
const DAY_MS = 86_400_000;

/** Today in the pickup time zone (America/Chicago), as `YYYY-MM-DD`. */
function chicagoToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date());
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The next fixed-date federal holiday (New Year, Juneteenth, July 4, Veterans Day, Christmas) not on a Sunday. */
function nextFixedHoliday(from: string): string {
  for (let days = 2; days < BOOKING_WINDOW_DAYS; days++) {
    const date = addDays(from, days);
    const isHoliday = ['01-01', '06-19', '07-04', '11-11', '12-25'].includes(date.slice(5));
    if (isHoliday && new Date(`${date}T00:00:00Z`).getUTCDay() !== 0) return date;
  }
  throw new Error('no fixed-date holiday within the window');
}

interface Label {
  labelId: string;
  trackingNumber: string;
  service: string;
  priceCents: number;
}

describe('shipping through the gateway (real stack)', () => {
  let flow: Flow;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    flow = await startFlow({ PICKUP_BOOKING_WINDOW_DAYS: String(BOOKING_WINDOW_DAYS) });
    alice = await createUser(flow.api, flow.mailpit);
    bob = await createUser(flow.api, flow.mailpit);
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  it('quotes every service without a token', async () => {
    const res = await flow.api.post<{ quotes: { service: string; priceCents: number; zone: number }[] }>(
      '/labels/quote',
      { fromZip: TEST_FROM.zip, toZip: TEST_TO.zip, weightOz: 20 },
    );
    expect(res.status).toBe(200);
    expect(res.body.quotes.map((q) => q.service).sort()).toEqual(['ground_advantage', 'priority', 'priority_express']);
    for (const quote of res.body.quotes) expect(quote.priceCents).toBeGreaterThan(0);
  });

  it('quotes more for a farther zone and for a heavier parcel', async () => {
    const quote = async (toZip: string, weightOz: number) => {
      const res = await flow.api.post<{ quotes: { service: string; priceCents: number; zone: number }[] }>(
        '/labels/quote',
        { fromZip: '60601', toZip, weightOz },
      );
      expect(res.status).toBe(200);
      return new Map(res.body.quotes.map((q) => [q.service, q]));
    };
    const near = await quote('60614', 16);
    const far = await quote('90210', 16);
    const farHeavy = await quote('90210', 320);
    for (const service of ['priority_express', 'priority', 'ground_advantage']) {
      expect(far.get(service)!.zone).toBeGreaterThan(near.get(service)!.zone);
      expect(far.get(service)!.priceCents).toBeGreaterThan(near.get(service)!.priceCents);
      expect(farHeavy.get(service)!.priceCents).toBeGreaterThan(far.get(service)!.priceCents);
    }
  });

  it('gives 30 labels bought at once valid, distinct IMpb numbers', async () => {
    const labels = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        createLabel(flow.api, alice.accessToken, {
          service: ['priority_express', 'priority', 'ground_advantage'][i % 3],
        }),
      ),
    );
    const numbers = labels.map((l) => l.trackingNumber);
    expect(new Set(numbers).size).toBe(30);
    for (const number of numbers) {
      expect(number).toMatch(/^94\d{20}$/);
      expect(checkTrackingNumber(number)).toMatchObject({ valid: true });
    }
  });

  it("prints both addresses, the spaced tracking number, postage, zone and date on the label's PDF", async () => {
    const { api } = flow;
    const created = await createLabel(api, alice.accessToken);
    const label = (
      await api.get<{ priceCents: number; zone: number; createdAt: string }>(
        `/labels/${created.labelId}`,
        alice.accessToken,
      )
    ).body;
    const pdf = await api.get(`/labels/${created.labelId}/pdf`, alice.accessToken);
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.text);
    for (const address of [TEST_FROM, TEST_TO]) {
      expect(text).toContain(address.name);
      expect(text).toContain(address.line1);
      expect(text).toContain(`${address.city} ${address.state} ${address.zip}`);
    }
    expect(text).toContain(created.trackingNumber.replace(/(\d{4})(?=\d)/g, '$1 '));
    expect(text).toContain(`Postage $${(label.priceCents / 100).toFixed(2)}`);
    expect(text).toContain(`Zone ${label.zone}`);
    expect(text).toContain(`Mailed ${label.createdAt.slice(0, 10)}`);
  });

  it('refuses a pickup with a 400 and the reason for a holiday, a past date, a date beyond the window, no packages and "other" without instructions', async () => {
    const today = chicagoToday();
    const bookable = await createPickup(flow.api, alice.accessToken);
    const noPackages = { priorityExpress: 0, priority: 0, groundAdvantage: 0, returns: 0, international: 0, other: 0 };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ date: nextFixedHoliday(today) }, /federal holiday/],
      [{ date: addDays(today, -1) }, /in the past/],
      [{ date: addDays(today, BOOKING_WINDOW_DAYS + 2) }, new RegExp(`more than ${BOOKING_WINDOW_DAYS} days ahead`)],
      [{ date: bookable.date, packages: noPackages }, /at least one package/],
      [{ date: bookable.date, packageLocation: 'other' }, /"other" needs instructions/],
    ];
    for (const [overrides, reason] of cases) {
      const res = await flow.api.post<{ message: unknown }>('/pickups', pickupBody(overrides), alice.accessToken);
      expect({ overrides, status: res.status }).toEqual({ overrides, status: 400 });
      expect(String(res.body.message)).toMatch(reason);
    }
  });

  it('answers 409 to a change or a cancel of a cancelled pickup', async () => {
    const { api } = flow;
    const pickup = await createPickup(api, alice.accessToken);
    const path = `/pickups/${pickup.confirmationNumber}`;
    expect((await api.call('DELETE', path, { token: alice.accessToken })).status).toBe(200);
    const patched = await api.call<{ message: string }>('PATCH', path, {
      token: alice.accessToken,
      body: { packageLocation: 'side_door' },
    });
    expect(patched.status).toBe(409);
    expect(patched.body.message).toMatch(/cancelled/);
    const again = await api.call<{ message: string }>('DELETE', path, { token: alice.accessToken });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/cancelled/);
  });

  it("completes a pickup when a scanner posts the acceptance scan of an attached label's parcel", async () => {
    const { api } = flow;
    const label = await createLabel(api, alice.accessToken);
    const pickup = await createPickup(api, alice.accessToken, { labelIds: [label.labelId] });
    expect(pickup.trackingNumbers).toEqual([label.trackingNumber]);
    await waitFor(async () => (await api.get(`/tracking/${label.trackingNumber}`)).status === 200, {
      timeoutMs: 20_000,
      description: 'the label parcel known to tracking',
    });
    const scan = await postScans(api, await scannerKey(api), [scanEvent(label.trackingNumber, 'accepted', new Date())]);
    expect(scan.body).toEqual({ accepted: 1, rejected: [] });
    const completed = await waitFor(
      async () => {
        const res = await api.get<{ status: string; completedAt?: string }>(
          `/pickups/${pickup.confirmationNumber}`,
          alice.accessToken,
        );
        return res.body.status === 'completed' && res.body;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'the pickup completed by the acceptance scan' },
    );
    expect(completed.completedAt).toEqual(expect.any(String));
  });

  it('lists, reads and prints a label to its owner only, and emails a receipt', async () => {
    const { api, mailpit } = flow;
    const label = await createLabel(api, alice.accessToken);

    const list = await api.get<{ items: Label[]; nextCursor: string | null }>('/labels', alice.accessToken);
    expect(list.status).toBe(200);
    expect(list.body.items.map((l) => l.labelId)).toContain(label.labelId);
    const one = await api.get<Label>(`/labels/${label.labelId}`, alice.accessToken);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ trackingNumber: label.trackingNumber, service: 'priority' });

    const pdf = await api.get(`/labels/${label.labelId}/pdf`, alice.accessToken);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(pdf.text.startsWith('%PDF-')).toBe(true);
    expect(pdfText(pdf.text)).toContain(TEST_TO.name);

    expect((await api.get(`/labels/${label.labelId}`, bob.accessToken)).status).toBe(404);
    expect((await api.get(`/labels/${label.labelId}/pdf`, bob.accessToken)).status).toBe(404);
    expect((await api.get<{ items: Label[] }>('/labels', bob.accessToken)).body.items).toEqual([]);

    await mailpit.waitForMessage({
      to: alice.email,
      subject: `Receipt for your shipping label ${label.trackingNumber}`,
      timeoutMs: 30_000,
    });
  });

  it('refunds an unused label, and refuses a refund once the parcel was accepted', async () => {
    const { api } = flow;
    const unused = await createLabel(api, alice.accessToken);
    const refund = await api.post(`/labels/${unused.labelId}/refund`, {}, alice.accessToken);
    expect(refund.status).toBe(200);

    const shipped = await createLabel(api, alice.accessToken);
    // The parcel must exist in tracking before its scan counts as the acceptance of the label.
    await waitFor(async () => (await api.get(`/tracking/${shipped.trackingNumber}`)).status === 200, {
      timeoutMs: 20_000,
      description: 'the label parcel known to tracking',
    });
    const key = await scannerKey(api);
    const scan = await postScans(api, key, [scanEvent(shipped.trackingNumber, 'accepted', new Date())]);
    expect(scan.body).toEqual({ accepted: 1, rejected: [] });

    // Acceptance reaches pickup through tracking.events; poll a read-only view of the parcel first.
    await waitFor(
      async () =>
        (await api.get<{ statusCategory: string }>(`/tracking/${shipped.trackingNumber}`)).body.statusCategory ===
        'accepted',
      { timeoutMs: 30_000, description: 'the parcel accepted' },
    );
    const refused = await waitFor(
      async () => {
        const res = await api.post<{ statusCode: number; message: string }>(
          `/labels/${shipped.labelId}/refund`,
          {},
          alice.accessToken,
        );
        return res.status === 409 && res;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'a refund refused with 409' },
    );
    expect(refused.body.statusCode).toBe(409);
  });

  it('schedules, lists, reads, changes and cancels a pickup, and confirms it by email', async () => {
    const { api, mailpit } = flow;
    const pickup = await createPickup(api, alice.accessToken);
    expect(pickup.status).toBe('scheduled');
    const cn = pickup.confirmationNumber;
    await mailpit.waitForMessage({ to: alice.email, subject: `Pickup ${cn} is scheduled`, timeoutMs: 30_000 });

    const list = await api.get<{ items: { confirmationNumber: string }[] }>('/pickups', alice.accessToken);
    expect(list.body.items.map((p) => p.confirmationNumber)).toContain(cn);
    expect((await api.get(`/pickups/${cn}`, alice.accessToken)).status).toBe(200);
    expect((await api.get(`/pickups/${cn}`, bob.accessToken)).status).toBe(404);

    const patched = await api.call<{ packageLocation: string; instructions?: string }>('PATCH', `/pickups/${cn}`, {
      token: alice.accessToken,
      body: { packageLocation: 'other', instructions: 'Behind the blue gate' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ packageLocation: 'other', instructions: 'Behind the blue gate' });
    await mailpit.waitForMessage({ to: alice.email, subject: `Pickup ${cn} was changed`, timeoutMs: 30_000 });

    const sunday = new Date();
    sunday.setUTCDate(sunday.getUTCDate() + ((7 - sunday.getUTCDay()) % 7 || 7));
    const onSunday = await api.call('PATCH', `/pickups/${cn}`, {
      token: alice.accessToken,
      body: { date: sunday.toISOString().slice(0, 10) },
    });
    expect(onSunday.status).toBe(400);

    expect((await api.call('DELETE', `/pickups/${cn}`, { token: bob.accessToken })).status).toBe(404);
    const cancelled = await api.call<{ status: string }>('DELETE', `/pickups/${cn}`, { token: alice.accessToken });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await mailpit.waitForMessage({ to: alice.email, subject: `Pickup ${cn} was cancelled`, timeoutMs: 30_000 });
  });

  it('sells stamps from the catalogue to an address-book address and lists the order', async () => {
    const { api, mailpit } = flow;
    const catalogue = await api.get<{ items: { sku: string; priceCents: number }[] }>('/stamps');
    expect(catalogue.status).toBe(200);
    expect(catalogue.body.items.length).toBeGreaterThan(0);
    const item = catalogue.body.items[0];

    const address = await createAddress(api, alice.accessToken);
    const order = await createOrder(api, alice.accessToken, address.id, [{ sku: item.sku, quantity: 2 }]);
    expect(order.totalCents).toBe(item.priceCents * 2);

    const orders = await api.get<{ items: { orderId: string }[] }>('/orders', alice.accessToken);
    expect(orders.body.items.map((o) => o.orderId)).toContain(order.orderId);
    expect((await api.get<{ items: unknown[] }>('/orders', bob.accessToken)).body.items).toEqual([]);
    // Another user's address-book id cannot ship an order.
    const stolen = await api.post(
      '/orders',
      { items: [{ sku: item.sku, quantity: 1 }], shippingAddressId: address.id },
      bob.accessToken,
    );
    expect(stolen.status).toBeGreaterThanOrEqual(400);
    expect(stolen.status).toBeLessThan(500);

    await mailpit.waitForMessage({
      to: alice.email,
      subject: `Receipt for your order ${order.orderId}`,
      timeoutMs: 30_000,
    });
  });
});
