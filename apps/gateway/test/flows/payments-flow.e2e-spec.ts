import { randomUUID } from 'node:crypto';
import { createAddress, createUser, TEST_CARD_PAYMENT, TEST_FROM, TEST_TO, type TestUser } from '@app/testing';
import Stripe from 'stripe';
import { settledCount, startFlow, type Flow } from './flow-helpers';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;

// Money through the gateway on the real stack, with stripe-mock behind pickup's Stripe SDK.
describe('payments through the gateway (real stack, stripe-mock)', () => {
  let flow: Flow;
  let alice: TestUser;
  const stripe = new Stripe('sk_test_unused');
  const secret = process.env.STRIPE_WEBHOOK_SECRET ?? '';

  beforeAll(async () => {
    flow = await startFlow();
    alice = await createUser(flow.api, flow.mailpit);
  });

  afterAll(async () => {
    await flow?.portal.stop();
  });

  const balance = async (user: TestUser) =>
    (await flow.api.get<{ balanceCents: number }>('/account/balance', user.accessToken)).body.balanceCents;

  it('tops up, pays a label from the balance, pays a stamp order by card, refunds each, retries idempotently', async () => {
    const { api } = flow;
    const key = randomUUID();
    const topUp = () =>
      api.call<Json>('POST', '/account/balance/top-ups', {
        token: alice.accessToken,
        headers: { 'idempotency-key': key },
        body: { amountCents: 3_000, paymentMethodId: 'pm_card_visa' },
      });
    const first = await topUp();
    expect(first.status).toBe(201);
    const retried = await topUp();
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(first.body);
    expect(await balance(alice)).toBe(3_000);

    const labelKey = randomUUID();
    const buy = () =>
      api.call<Json & { labelId: string; priceCents: number }>('POST', '/labels', {
        token: alice.accessToken,
        headers: { 'idempotency-key': labelKey },
        body: { from: TEST_FROM, to: TEST_TO, weightOz: 16, service: 'priority', payment: { method: 'balance' } },
      });
    const label = await buy();
    expect(label.status).toBe(201);
    expect((await buy()).body.labelId).toBe(label.body.labelId);
    expect(await balance(alice)).toBe(3_000 - label.body.priceCents);

    const address = await createAddress(api, alice.accessToken);
    const orderKey = randomUUID();
    const place = () =>
      api.call<Json & { orderId: string; status: string; payment: Json }>('POST', '/orders', {
        token: alice.accessToken,
        headers: { 'idempotency-key': orderKey },
        body: {
          items: [{ sku: 'FOREVER-SHEET-20', quantity: 1 }],
          shippingAddressId: address.id,
          payment: TEST_CARD_PAYMENT,
        },
      });
    const order = await place();
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({
      status: 'paid',
      payment: { method: 'card', card: { brand: 'visa', last4: '4242' } },
    });
    expect((await place()).body.orderId).toBe(order.body.orderId);

    const refunded = await api.post<Json>(`/labels/${label.body.labelId}/refund`, undefined, alice.accessToken);
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ refund: { method: 'balance', status: 'succeeded' } });
    expect(await balance(alice)).toBe(3_000);
    const cancelled = await api.post<Json>(`/orders/${order.body.orderId}/cancel`, undefined, alice.accessToken);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', refund: { method: 'card', status: 'succeeded' } });

    const history = await api.get<{ items: { kind: string }[] }>('/account/balance/history', alice.accessToken);
    expect(history.body.items.map((e) => e.kind)).toEqual([
      'order_refund',
      'label_refund',
      'order_charge',
      'label_charge',
      'top_up',
    ]);
  });

  it('keeps the webhook body byte for byte through the gateway: signed → applied once, replay → duplicate, forged → 400', async () => {
    const { api } = flow;
    const bob = await createUser(api, flow.mailpit);
    const intent = await api.post<{ topUpId: string; clientSecret: string }>(
      '/account/balance/top-ups',
      { amountCents: 4_000 },
      bob.accessToken,
    );
    expect(intent.status).toBe(201);
    // Spacing and key order a re-serialising proxy would change: the signature covers these exact bytes.
    const payload = `{"id":"evt_${randomUUID().replace(/-/g, '')}",  "type":"payment_intent.succeeded","object":"event",\n "data":{"object":{"id":"${intent.body.topUpId}","object":"payment_intent","amount":4000,"amount_received":4000,"metadata":{"purpose":"top_up","ownerId":"${bob.userId}"}}}}`;
    const send = (signature: string) =>
      api.call<Json>('POST', '/payments/webhook', {
        headers: { 'stripe-signature': signature, 'content-type': 'application/json' },
        body: payload,
      });
    const signed = stripe.webhooks.generateTestHeaderString({ payload, secret });
    const applied = await send(signed);
    expect(applied.status).toBe(200);
    expect(applied.body).toEqual({ received: true, duplicate: false });
    expect(await balance(bob)).toBe(4_000);
    const replay = await send(signed);
    expect(replay.body).toEqual({ received: true, duplicate: true });
    expect(await balance(bob)).toBe(4_000);
    const forged = await send(stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_forged' }));
    expect(forged.status).toBe(400);
    expect(String(forged.body.message)).toMatch(/signature/);
    expect(await balance(bob)).toBe(4_000);
    // The other routes stay behind a token.
    expect((await api.get('/account/balance')).status).toBe(401);
  });

  it("shows nobody another customer's balance or history", async () => {
    const carol = await createUser(flow.api, flow.mailpit);
    expect(await balance(carol)).toBe(0);
    const history = await flow.api.get<{ items: unknown[] }>('/account/balance/history', carol.accessToken);
    expect(history.body.items).toEqual([]);
  });
  it('emails a receipt for each payment and each refund, in formatted integer cents (Mailpit)', async () => {
    const { api, mailpit } = flow;
    const dana = await createUser(api, mailpit);
    const topUp = await api.post<Json>(
      '/account/balance/top-ups',
      { amountCents: 3_000, paymentMethodId: 'pm_card_visa' },
      dana.accessToken,
    );
    expect(topUp.status).toBe(201);
    const label = await api.post<Json & { labelId: string; priceCents: number }>(
      '/labels',
      { from: TEST_FROM, to: TEST_TO, weightOz: 16, service: 'priority', payment: { method: 'balance' } },
      dana.accessToken,
    );
    expect(label.status).toBe(201);
    expect((await api.post(`/labels/${label.body.labelId}/refund`, undefined, dana.accessToken)).status).toBe(200);
    const price = `$${(label.body.priceCents / 100).toFixed(2)}`;

    const topUpMail = await mailpit.waitForMessage({
      to: dana.email,
      subject: 'Payment receipt: $30.00',
      timeoutMs: 30_000,
    });
    const topUpText = await mailpit.messageText(topUpMail.ID);
    expect(topUpText).toContain('Tax (0%): $0.00');
    expect(topUpText).toContain('Total paid: $30.00');
    expect(topUpText).toContain('Paid with: VISA ending 4242');
    expect(topUpText).toMatch(/\/wallet\?receipt=top_up%3Api_/);

    const labelMail = await mailpit.waitForMessage({
      to: dana.email,
      subject: `Payment receipt: ${price}`,
      timeoutMs: 30_000,
    });
    const labelText = await mailpit.messageText(labelMail.ID);
    expect(labelText).toContain(`Total paid: ${price}`);
    expect(labelText).toContain('Paid with: your postage balance');
    expect(labelText).toContain(`Receipt label_charge:${label.body.labelId}`);

    const refundMail = await mailpit.waitForMessage({
      to: dana.email,
      subject: `Refund receipt: ${price}`,
      timeoutMs: 30_000,
    });
    const refundText = await mailpit.messageText(refundMail.ID);
    expect(refundText).toContain(`Total refunded: ${price}`);
    expect(refundText).toContain('Refunded to: your postage balance');
    // One receipt per ledger entry, each once (the entry's outbox is published once per id).
    expect(await settledCount(mailpit, dana.email, 'receipt:')).toBe(3);
  });

  it('saves, lists and removes a card through the gateway, emailing the account; nobody else sees or uses it', async () => {
    const { api, mailpit } = flow;
    const erin = await createUser(api, mailpit);
    const frank = await createUser(api, mailpit);
    const saved = await api.post<Json & { cardId: string }>(
      '/account/cards',
      { paymentMethodId: 'pm_card_visa' },
      erin.accessToken,
    );
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ brand: 'visa', last4: '4242', isDefault: true });
    await mailpit.waitForMessage({ to: erin.email, subject: 'A card was saved on your account', timeoutMs: 30_000 });
    expect((await api.get<{ items: unknown[] }>('/account/cards', frank.accessToken)).body.items).toEqual([]);
    const stolen = await api.post<Json>(
      '/labels',
      {
        from: TEST_FROM,
        to: TEST_TO,
        weightOz: 16,
        service: 'priority',
        payment: { method: 'card', paymentMethodId: saved.body.cardId },
      },
      frank.accessToken,
    );
    expect(stolen.status).toBe(404);
    const paid = await api.post<Json>(
      '/labels',
      {
        from: TEST_FROM,
        to: TEST_TO,
        weightOz: 16,
        service: 'priority',
        payment: { method: 'card', paymentMethodId: saved.body.cardId },
      },
      erin.accessToken,
    );
    expect(paid.status).toBe(201);
    expect((await api.call('DELETE', `/account/cards/${saved.body.cardId}`, { token: erin.accessToken })).status).toBe(
      204,
    );
    const removed = await mailpit.waitForMessage({
      to: erin.email,
      subject: 'A saved card was removed from your account',
      timeoutMs: 30_000,
    });
    expect(await mailpit.messageText(removed.ID)).toContain('VISA ending 4242');
    expect((await api.get<{ items: unknown[] }>('/account/cards', erin.accessToken)).body.items).toEqual([]);
  });
});
