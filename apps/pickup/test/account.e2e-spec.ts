import { randomUUID } from 'node:crypto';
import { listUnguardedRoutes } from '@app/auth';
import Stripe from 'stripe';
import request from 'supertest';
import { LedgerService } from '../src/account/ledger.service';
import { PaymentProvider, PaymentProviderUnavailableError } from '../src/payments/payment-provider';
import { startPickup, type PickupUnderTest } from './support/pickup-app';

jest.setTimeout(120_000);

/** The JWT subject (the owner id) of a `Bearer …` header. */
const subjectOf = (auth: string) =>
  (JSON.parse(Buffer.from(auth.split('.')[1], 'base64url').toString()) as { sub: string }).sub;

// The postage account on the real stack: FerretDB for the ledger, stripe-mock behind the SDK.
describe('postage account (ledger, top-ups, Idempotency-Key)', () => {
  let pickup: PickupUnderTest;
  const api = () => request(pickup.app.getHttpServer());
  const stripe = new Stripe('sk_test_unused');
  const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET ?? '';
  const signedWebhook = (event: Record<string, unknown>, secret = webhookSecret) => {
    const payload = JSON.stringify(event);
    return api()
      .post('/api/v1/payments/webhook')
      .set('content-type', 'application/json')
      .set('stripe-signature', stripe.webhooks.generateTestHeaderString({ payload, secret }))
      .send(payload);
  };
  const topUp = (auth: string, body: Record<string, unknown>, key?: string) => {
    const req = api().post('/api/v1/account/balance/top-ups').set('authorization', auth);
    if (key) void req.set('idempotency-key', key);
    return req.send(body);
  };
  const balance = async (auth: string) =>
    (await api().get('/api/v1/account/balance').set('authorization', auth).expect(200)).body.balanceCents as number;

  beforeAll(async () => {
    pickup = await startPickup();
  });

  afterAll(async () => {
    await pickup?.close();
  });

  it('guards every route or marks it public (the webhook alone is public)', () => {
    expect(listUnguardedRoutes(pickup.app)).toEqual([]);
  });

  it('starts at a zero balance', async () => {
    expect(await balance(await pickup.token())).toBe(0);
    await api().get('/api/v1/account/balance').expect(401);
  });

  it('tops up by card at once with a payment method, and shows it in the history', async () => {
    const alice = await pickup.token();
    const res = await topUp(alice, { amountCents: 2_000, paymentMethodId: 'pm_card_visa' }).expect(201);
    expect(res.body).toMatchObject({ amountCents: 2_000, status: 'succeeded', balanceCents: 2_000 });
    expect(res.body.topUpId).toMatch(/^pi_/);
    expect(await balance(alice)).toBe(2_000);
    const history = await api().get('/api/v1/account/balance/history').set('authorization', alice).expect(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({
        kind: 'top_up',
        amountCents: 2_000,
        balanceChangeCents: 2_000,
        method: 'card',
        card: { brand: 'visa', last4: '4242' },
      }),
    ]);
  });

  it('answers a top-up without a payment method with a client secret, credited by the signed webhook once', async () => {
    const bob = await pickup.token();
    const res = await topUp(bob, { amountCents: 5_000 }).expect(201);
    expect(res.body).toMatchObject({ status: 'pending', balanceCents: 0 });
    expect(res.body.clientSecret).toMatch(/_secret_/);
    const sub = subjectOf(bob);
    const event = {
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      data: {
        object: {
          id: res.body.topUpId,
          object: 'payment_intent',
          amount: 5_000,
          amount_received: 5_000,
          metadata: { purpose: 'top_up', ownerId: sub },
        },
      },
    };
    expect((await signedWebhook(event).expect(200)).body).toEqual({ received: true, duplicate: false });
    expect(await balance(bob)).toBe(5_000);
    // Stripe retries deliveries: the replay is acknowledged and changes nothing.
    expect((await signedWebhook(event).expect(200)).body).toEqual({ received: true, duplicate: true });
    // Another event about the same intent (a second delivery under a new id) credits nothing either.
    await signedWebhook({ ...event, id: `evt_${randomUUID().replace(/-/g, '')}` }).expect(200);
    expect(await balance(bob)).toBe(5_000);
  });

  it('refuses a forged or stale webhook with 400 and applies nothing', async () => {
    const carol = await pickup.token();
    const sub = subjectOf(carol);
    const event = {
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_forged', amount: 50_000, metadata: { purpose: 'top_up', ownerId: sub } } },
    };
    const forged = await signedWebhook(event, 'whsec_attacker').expect(400);
    expect(forged.body.message).toMatch(/signature/);
    const payload = JSON.stringify(event);
    const stale = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: webhookSecret,
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    await api()
      .post('/api/v1/payments/webhook')
      .set('content-type', 'application/json')
      .set('stripe-signature', stale)
      .send(payload)
      .expect(400);
    await api().post('/api/v1/payments/webhook').set('content-type', 'application/json').send(payload).expect(400);
    expect(await balance(carol)).toBe(0);
  });

  it.each([
    [{ amountCents: 999 }, /amountCents must not be less than 1000/],
    [{ amountCents: 50_001 }, /amountCents must not be greater than 50000/],
    [{ amountCents: 1_500 }, /steps of \$10/],
    [{ amountCents: 20.5 }, /amountCents must be an integer/],
    [{ amountCents: '2000' }, /amountCents must be an integer/],
    [{}, /amountCents/],
    [{ amountCents: 2_000, paymentMethodId: '4242424242424242' }, /payment method id/],
    [{ amountCents: 2_000, extra: true }, /should not exist/],
  ])('refuses the top-up %j with 400', async (body, reason) => {
    const res = await topUp(await pickup.token(), body).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(reason);
  });

  it('refuses an oversized body (413) and a hostile Idempotency-Key (400)', async () => {
    const dave = await pickup.token();
    await topUp(dave, { amountCents: 2_000, paymentMethodId: 'pm_card_visa', pad: 'x'.repeat(200_000) }).expect(413);
    await topUp(dave, { amountCents: 2_000 }, 'k'.repeat(256)).expect(400);
    await api()
      .post('/api/v1/account/balance/top-ups')
      .set('authorization', dave)
      .set('idempotency-key', 'has space')
      .send({ amountCents: 2_000 })
      .expect(400);
  });

  it('answers a deeply nested body sent with an Idempotency-Key with a 400, not a 5xx', async () => {
    const nested = `{"amountCents":2000,"x":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    const res = await api()
      .post('/api/v1/account/balance/top-ups')
      .set('authorization', await pickup.token())
      .set('idempotency-key', randomUUID())
      .set('content-type', 'application/json')
      .send(nested)
      .expect(400);
    expect(res.body.message).toMatch(/nests deeper/);
  });

  it('answers a retried top-up with the same key with the first answer, charging once', async () => {
    const erin = await pickup.token();
    const key = randomUUID();
    const body = { amountCents: 3_000, paymentMethodId: 'pm_card_visa' };
    const first = await topUp(erin, body, key).expect(201);
    const again = await topUp(erin, { paymentMethodId: 'pm_card_visa', amountCents: 3_000 }, key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await balance(erin)).toBe(3_000);
    const other = await topUp(erin, { ...body, amountCents: 4_000 }, key).expect(422);
    expect(other.body.message).toMatch(/another request body/);
    // Keys belong to their owner: another customer's call with the same key is their own.
    const frank = await pickup.token();
    await topUp(frank, body, key).expect(201);
    expect(await balance(frank)).toBe(3_000);
    expect(await balance(erin)).toBe(3_000);
  });

  it('sends the same provider idempotency key when a retry runs the call again', async () => {
    // A failed first call is forgotten so the retry runs; the provider must see the same key both times.
    const keys: string[] = [];
    const grace = await pickup.token();
    const key = randomUUID();
    const real = pickup.app.get(PaymentProvider);
    const spy = jest.spyOn(real, 'createIntent').mockImplementationOnce(async (req) => {
      keys.push(req.idempotencyKey);
      return Promise.reject(new PaymentProviderUnavailableError('timeout'));
    });
    const outage = await topUp(grace, { amountCents: 1_000, paymentMethodId: 'pm_card_visa' }, key).expect(503);
    expect(outage.body.message).toMatch(/unavailable/);
    spy.mockRestore();
    const seen = jest.spyOn(real, 'createIntent');
    await topUp(grace, { amountCents: 1_000, paymentMethodId: 'pm_card_visa' }, key).expect(201);
    expect(seen.mock.calls[0][0].idempotencyKey).toBe(keys[0]);
    seen.mockRestore();
    expect(await balance(grace)).toBe(1_000);
  });

  it('never spends the same money twice when debits of one owner race (claim by unique _id insert)', async () => {
    const henry = await pickup.token();
    await topUp(henry, { amountCents: 1_000, paymentMethodId: 'pm_card_visa' }).expect(201);
    const ledger = pickup.app.get(LedgerService);
    const owner = subjectOf(henry);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        ledger.debitBalance({
          id: `label_charge:race-${owner}-${i}`,
          ownerId: owner,
          kind: 'label_charge',
          amountCents: 300,
          description: 'race',
        }),
      ),
    );
    const paid = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as Error).message);
    expect(paid).toHaveLength(3);
    expect(refused).toEqual(Array(3).fill('the postage balance (100 cents) is short of 200 cents'));
    expect(await balance(henry)).toBe(100);
    // The same business event twice is one entry: a repeat (of one that was paid) returns the first.
    const paidIndex = results.findIndex((r) => r.status === 'fulfilled');
    await ledger.debitBalance({
      id: `label_charge:race-${owner}-${paidIndex}`,
      ownerId: owner,
      kind: 'label_charge',
      amountCents: 300,
      description: 'race',
    });
    expect(await balance(henry)).toBe(100);
    const entries = await ledger.repository.list(owner, 50);
    for (const entry of entries) expect(entry.lines.reduce((sum, l) => sum + l.amountCents, 0)).toBe(0);
  });

  it("never shows another owner's balance or history", async () => {
    const rich = await pickup.token();
    await topUp(rich, { amountCents: 10_000, paymentMethodId: 'pm_card_visa' }).expect(201);
    const poor = await pickup.token();
    expect(await balance(poor)).toBe(0);
    const history = await api().get('/api/v1/account/balance/history').set('authorization', poor).expect(200);
    expect(history.body.items).toEqual([]);
  });
});
