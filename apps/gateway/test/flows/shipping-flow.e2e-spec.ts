import {
  createAddress,
  createLabel,
  createOrder,
  createPickup,
  createUser,
  TEST_FROM,
  TEST_TO,
  waitFor,
  type TestUser,
} from '@app/testing';
import { pdfText, postScans, scanEvent, scannerKey, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(180_000);

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
    flow = await startFlow();
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
