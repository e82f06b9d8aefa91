import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import Stripe from 'stripe';
import request from 'supertest';
import { CheckoutService } from '../src/account/checkout.service';
import { LedgerService } from '../src/account/ledger.service';
import { LabelsRepository } from '../src/labels/labels.repository';
import { LabelsService } from '../src/labels/labels.service';
import {
  PaymentDeclinedError,
  PaymentProvider,
  PaymentProviderUnavailableError,
} from '../src/payments/payment-provider';
import { translateStripeError } from '../src/payments/stripe-payment.provider';
import { createEnvelope, ParcelStatusChangedV1, Topics, topicName } from '@app/contracts';
import { produce, waitFor } from '@app/testing';
import { startPickup, type PickupUnderTest } from './support/pickup-app';
import { Clock } from '@app/platform';

jest.setTimeout(120_000);

/** The text shown by a pdfkit document: its deflated content streams' hex strings, one TJ array per line. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('');
      lines.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return lines.join('\n');
}

const ada = { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' };
const alan = { name: 'ALAN TURING', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202' };
const card = { method: 'card', paymentMethodId: 'pm_card_visa' };
const balancePay = { method: 'balance' };
const subjectOf = (auth: string) =>
  (JSON.parse(Buffer.from(auth.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
/** Stripe's documented decline, as the SDK raises it for a 402 answer. */
const stripeDecline = () =>
  translateStripeError(
    Stripe.errors.generateV1Error({
      statusCode: 402,
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    } as never),
  );

// Checkout of labels and stamp orders on the real stack (FerretDB ledger, stripe-mock behind the SDK);
// declines and outages at the PaymentProvider seam (stripe-mock approves everything).
describe('checkout: labels and stamp orders are issued only once paid', () => {
  let pickup: PickupUnderTest;
  let provider: PaymentProvider;
  const api = () => request(pickup.app.getHttpServer());
  const label = (auth: string, payment: unknown, key?: string, extra: Record<string, unknown> = {}) => {
    const req = api().post('/api/v1/labels').set('authorization', auth);
    if (key) void req.set('idempotency-key', key);
    return req.send({ from: ada, to: alan, weightOz: 20, service: 'priority', payment, ...extra });
  };
  const order = (auth: string, payment: unknown, key?: string) => {
    const req = api().post('/api/v1/orders').set('authorization', auth);
    if (key) void req.set('idempotency-key', key);
    return req.send({ items: [{ sku: 'FOREVER-SHEET-20', quantity: 2 }], shippingAddress: ada, payment });
  };
  const topUp = (auth: string, amountCents: number) =>
    api()
      .post('/api/v1/account/balance/top-ups')
      .set('authorization', auth)
      .send({ amountCents, paymentMethodId: 'pm_card_visa' })
      .expect(201);
  const balance = async (auth: string) =>
    (await api().get('/api/v1/account/balance').set('authorization', auth).expect(200)).body.balanceCents as number;
  const labels = async (auth: string) =>
    (await api().get('/api/v1/labels').set('authorization', auth).expect(200)).body.items as Record<string, unknown>[];
  const entries = async (auth: string) =>
    (await api().get('/api/v1/account/balance/history').set('authorization', auth).expect(200)).body.items as Record<
      string,
      unknown
    >[];

  beforeAll(async () => {
    pickup = await startPickup();
    provider = pickup.app.get(PaymentProvider);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await pickup?.close();
  });

  it('pays a label from the balance and issues it', async () => {
    const alice = await pickup.token();
    await topUp(alice, 5_000);
    const res = await label(alice, balancePay).expect(201);
    expect(res.body).toMatchObject({ status: 'active', paidBy: 'balance', payment: { method: 'balance' } });
    const price = res.body.priceCents as number;
    expect(res.body.payment.amountCents).toBe(price);
    expect(await balance(alice)).toBe(5_000 - price);
    expect((await labels(alice)).map((l) => l.labelId)).toEqual([res.body.labelId]);
    expect(await entries(alice)).toEqual([
      expect.objectContaining({ kind: 'label_charge', balanceChangeCents: -price, subjectId: res.body.labelId }),
      expect.objectContaining({ kind: 'top_up', balanceChangeCents: 5_000 }),
    ]);
  });

  it('answers 402 with the shortfall when the balance is short, and issues nothing', async () => {
    const bob = await pickup.token();
    await topUp(bob, 1_000);
    const res = await label(bob, balancePay, undefined, { service: 'priority_express', weightOz: 70 }).expect(402);
    expect(res.body).toMatchObject({ code: 'insufficient_balance', balanceCents: 1_000 });
    expect(res.body.shortfallCents).toBe(res.body.amountCents - 1_000);
    expect(res.body.message).toMatch(/short of \d+ cents/);
    expect(await labels(bob)).toEqual([]);
    expect(await balance(bob)).toBe(1_000);
    await order(bob, balancePay).expect(402);
  });

  it('pays a label by card (brand and last 4 shown) without touching the balance', async () => {
    const carol = await pickup.token();
    const res = await label(carol, card).expect(201);
    expect(res.body).toMatchObject({
      paidBy: 'card',
      payment: { method: 'card', card: { brand: 'visa', last4: '4242' } },
    });
    expect(res.body.payment.paymentId).toMatch(/^pi_/);
    expect(await balance(carol)).toBe(0);
    // The history shows card payments too, changing nothing of the balance.
    expect(await entries(carol)).toEqual([
      expect.objectContaining({
        kind: 'label_charge',
        method: 'card',
        balanceChangeCents: 0,
        card: { brand: 'visa', last4: '4242' },
      }),
    ]);
  });

  it("answers a declined card with 402 and Stripe's decline code, issuing and booking nothing", async () => {
    const dave = await pickup.token();
    jest.spyOn(provider, 'charge').mockRejectedValue(stripeDecline());
    const res = await label(dave, card).expect(402);
    expect(res.body).toMatchObject({ code: 'card_declined', declineCode: 'insufficient_funds' });
    expect(await labels(dave)).toEqual([]);
    const placed = await order(dave, card).expect(402);
    expect(placed.body.code).toBe('card_declined');
    expect((await api().get('/api/v1/orders').set('authorization', dave).expect(200)).body.items).toEqual([]);
  });

  it('answers a provider outage (5xx, timeout) with 503; the retry with the same key charges once', async () => {
    const erin = await pickup.token();
    const key = randomUUID();
    const charge = jest.spyOn(provider, 'charge');
    charge.mockRejectedValueOnce(new PaymentProviderUnavailableError('Request timed out'));
    const down = await label(erin, card, key).expect(503);
    expect(down.body.message).toMatch(/unavailable/);
    expect(await labels(erin)).toEqual([]);
    const up = await label(erin, card, key).expect(201);
    // Both attempts asked the provider with one idempotency key: Stripe charges it at most once.
    expect(charge.mock.calls.map((c) => c[0].idempotencyKey)).toEqual([
      `label_charge:${up.body.labelId}`,
      `label_charge:${up.body.labelId}`,
    ]);
    expect((await labels(erin)).map((l) => l.labelId)).toEqual([up.body.labelId]);
  });

  it('answers a retried label call with the same key with the same label, charged once; another body is 422', async () => {
    const frank = await pickup.token();
    await topUp(frank, 5_000);
    const key = randomUUID();
    const first = await label(frank, balancePay, key).expect(201);
    const again = await label(frank, balancePay, key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await balance(frank)).toBe(5_000 - (first.body.priceCents as number));
    expect(await labels(frank)).toHaveLength(1);
    await label(frank, balancePay, key, { weightOz: 21 }).expect(422);
    // An order call retried: the same order, one charge.
    const orderKey = randomUUID();
    const placed = await order(frank, balancePay, orderKey).expect(201);
    const replay = await order(frank, balancePay, orderKey).expect(201);
    expect(replay.body.orderId).toBe(placed.body.orderId);
    expect(await balance(frank)).toBe(5_000 - (first.body.priceCents as number) - (placed.body.totalCents as number));
  });

  it('pays a stamp order by card or from the balance, and places it paid', async () => {
    const grace = await pickup.token();
    const byCard = await order(grace, card).expect(201);
    expect(byCard.body).toMatchObject({
      status: 'paid',
      paidBy: 'card',
      payment: { method: 'card', card: { last4: '4242' } },
    });
    await topUp(grace, 5_000);
    const fromBalance = await order(grace, balancePay).expect(201);
    expect(fromBalance.body).toMatchObject({ status: 'paid', payment: { method: 'balance' } });
    expect(await balance(grace)).toBe(5_000 - (fromBalance.body.totalCents as number));
    const mine = (await api().get('/api/v1/orders').set('authorization', grace).expect(200)).body.items as {
      status: string;
    }[];
    expect(mine.map((o) => o.status)).toEqual(['paid', 'paid']);
  });

  it.each([
    [{}, /payment is required/],
    [{ payment: { method: 'cash' } }, /method must be one of/],
    [{ payment: { method: 'card' } }, /paymentMethodId is required/],
    [{ payment: { method: 'card', paymentMethodId: '4242424242424242' } }, /payment method id/],
    [{ payment: { method: 'balance', paymentMethodId: 'pm_card_visa' } }, /only for method/],
    [{ payment: { method: 'card', paymentMethodId: 'pm_card_visa', cvc: '123' } }, /should not exist/],
    [{ payment: 'balance' }, /payment/],
  ])('refuses a label paid with %j (400)', async (body, reason) => {
    const res = await api()
      .post('/api/v1/labels')
      .set('authorization', await pickup.token())
      .send({ from: ada, to: alan, weightOz: 20, service: 'priority', ...body })
      .expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(reason);
  });

  it('issues the label of a card charge a crash cut off from its booking, once (the sweep)', async () => {
    const henry = await pickup.token();
    const ledger = pickup.app.get(LedgerService);
    const checkout = pickup.app.get(CheckoutService);
    const charge = jest.spyOn(provider, 'charge');
    // The process "dies" right after the provider accepted the charge: the entry is never written.
    jest.spyOn(ledger, 'recordCardPayment').mockRejectedValueOnce(new Error('process killed'));
    await label(henry, card).expect(500);
    expect(await labels(henry)).toEqual([]);
    const clock = pickup.app.get(Clock);
    const later = new Date(Date.now() + 60_000);
    jest.spyOn(clock, 'now').mockReturnValue(later);
    expect(await checkout.finishInterrupted()).toBeGreaterThanOrEqual(1);
    expect(await checkout.finishInterrupted()).toBe(0);
    const issued = await labels(henry);
    expect(issued).toHaveLength(1);
    // Charged under one key both times (the provider replays the first outcome), booked once.
    const keys = charge.mock.calls.map((c) => c[0].idempotencyKey);
    expect(keys).toEqual([keys[0], keys[0]]);
    expect(keys[0]).toBe(`label_charge:${String(issued[0].labelId)}`);
    const repo = pickup.app.get(LabelsRepository);
    expect(await repo.findByTrackingNumber(String(issued[0].trackingNumber))).toMatchObject({ paidBy: 'card' });
  });

  it('issues the label of a balance entry a crash cut off from its effect (the ledger sweep)', async () => {
    const ivy = await pickup.token();
    await topUp(ivy, 2_000);
    const ledger = pickup.app.get(LedgerService);
    jest.spyOn(ledger, 'applyEffect').mockRejectedValueOnce(new Error('process killed'));
    await label(ivy, balancePay).expect(500);
    expect(await labels(ivy)).toEqual([]);
    const paid = await balance(ivy);
    expect(paid).toBeLessThan(2_000);
    jest.restoreAllMocks();
    jest.spyOn(pickup.app.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 60_000));
    expect(await ledger.applyPendingEffects()).toBeGreaterThanOrEqual(1);
    expect(await labels(ivy)).toHaveLength(1);
    expect(await balance(ivy)).toBe(paid);
    // Applied, so no longer listed: the next sweep has nothing to do.
    expect(await ledger.applyPendingEffects()).toBe(0);
  });

  it('refunds a label paid from the balance to the balance, once', async () => {
    const kate = await pickup.token();
    await topUp(kate, 3_000);
    const bought = await label(kate, balancePay).expect(201);
    const key = randomUUID();
    const refund = () =>
      api().post(`/api/v1/labels/${bought.body.labelId}/refund`).set('authorization', kate).set('idempotency-key', key);
    const res = await refund().expect(200);
    expect(res.body).toMatchObject({
      status: 'refunded',
      refund: { method: 'balance', amountCents: bought.body.priceCents, status: 'succeeded' },
    });
    expect(await balance(kate)).toBe(3_000);
    // The retry with the same key answers the first answer; without a key it is a 409 (refunded already).
    expect((await refund().expect(200)).headers['idempotent-replayed']).toBe('true');
    await api().post(`/api/v1/labels/${bought.body.labelId}/refund`).set('authorization', kate).expect(409);
    expect(await balance(kate)).toBe(3_000);
    expect((await entries(kate)).map((e) => e.kind)).toEqual(['label_refund', 'label_charge', 'top_up']);
    // Another customer cannot refund it.
    await api()
      .post(`/api/v1/labels/${bought.body.labelId}/refund`)
      .set('authorization', await pickup.token())
      .expect(404);
  });

  it('refunds a label paid by card to the card; an outage leaves it pending and the sweep finishes it once', async () => {
    const leo = await pickup.token();
    const bought = await label(leo, card).expect(201);
    const refund = jest.spyOn(provider, 'refund');
    refund.mockRejectedValueOnce(new PaymentProviderUnavailableError('503 from Stripe'));
    const res = await api().post(`/api/v1/labels/${bought.body.labelId}/refund`).set('authorization', leo).expect(200);
    expect(res.body).toMatchObject({ status: 'refunded', refund: { method: 'card', status: 'pending' } });
    const labelsService = pickup.app.get(LabelsService);
    expect(await labelsService.finishRefunds()).toBeGreaterThanOrEqual(1);
    expect(await labelsService.finishRefunds()).toBe(0);
    expect(refund.mock.calls.map((c) => c[0])).toEqual([
      expect.objectContaining({
        paymentId: bought.body.payment.paymentId,
        idempotencyKey: `label_refund:${bought.body.labelId}`,
      }),
      expect.objectContaining({
        paymentId: bought.body.payment.paymentId,
        idempotencyKey: `label_refund:${bought.body.labelId}`,
      }),
    ]);
    expect(await balance(leo)).toBe(0);
    expect((await entries(leo)).map((e) => [e.kind, e.method])).toEqual([
      ['label_refund', 'card'],
      ['label_charge', 'card'],
    ]);
  });

  it('cancels a stamp order until shipped, returning the money the way it was paid', async () => {
    const mia = await pickup.token();
    await topUp(mia, 5_000);
    const byBalance = await order(mia, balancePay).expect(201);
    const byCard = await order(mia, card).expect(201);
    const cancel = (id: string, auth = mia) => api().post(`/api/v1/orders/${id}/cancel`).set('authorization', auth);
    await cancel(byBalance.body.orderId, await pickup.token()).expect(404);
    await cancel('not-a-uuid').expect(400);
    const a = await cancel(byBalance.body.orderId).expect(200);
    expect(a.body).toMatchObject({ status: 'cancelled', refund: { method: 'balance', status: 'succeeded' } });
    expect(await balance(mia)).toBe(5_000);
    const refund = jest.spyOn(provider, 'refund');
    const b = await cancel(byCard.body.orderId).expect(200);
    expect(b.body).toMatchObject({ status: 'cancelled', refund: { method: 'card', status: 'succeeded' } });
    expect(refund).toHaveBeenCalledWith(
      expect.objectContaining({ idempotencyKey: `order_refund:${byCard.body.orderId}` }),
    );
    expect((await cancel(byBalance.body.orderId).expect(409)).body.message).toMatch(/cancelled/);
    expect(await balance(mia)).toBe(5_000);
  });

  it('lists receipts and renders one as a PDF with a 0 % tax line and the card brand and last 4; owners only', async () => {
    const nina = await pickup.token();
    const bought = await label(nina, card).expect(201);
    const list = await api().get('/api/v1/receipts').set('authorization', nina).expect(200);
    const receipt = (list.body.items as { entryId: string; kind: string }[]).find((r) => r.kind === 'label_charge');
    expect(receipt?.entryId).toBe(`label_charge:${bought.body.labelId}`);
    const pdf = await api()
      .get(`/api/v1/receipts/${receipt?.entryId}/pdf`)
      .set('authorization', nina)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.body as Buffer);
    expect(text).toContain('Tax (0%): $0.00');
    expect(text).toContain('Paid with: VISA ending 4242');
    expect(text).toContain(`Total: $${((bought.body.priceCents as number) / 100).toFixed(2)}`);
    await api()
      .get(`/api/v1/receipts/${receipt?.entryId}/pdf`)
      .set('authorization', await pickup.token())
      .expect(404);
    await api().get('/api/v1/receipts/..%2f..%2fetc/pdf').set('authorization', nina).expect(400);
    await api()
      .get(`/api/v1/receipts/${'x'.repeat(300)}/pdf`)
      .set('authorization', nina)
      .expect(400);
  });

  it('fulfils a stamp order: an operator ships it with a label of ours, its delivery scan delivers it', async () => {
    const olga = await pickup.token();
    const operator = await pickup.token(`operator-${randomUUID()}`, ['operator']);
    const placed = await order(olga, card).expect(201);
    const orderId = placed.body.orderId as string;
    await api().get('/api/v1/admin/orders').set('authorization', olga).expect(403);
    const toShip = await api()
      .get('/api/v1/admin/orders?status=paid&limit=100')
      .set('authorization', operator)
      .expect(200);
    expect((toShip.body.items as { orderId: string }[]).map((o) => o.orderId)).toContain(orderId);
    await api().get('/api/v1/admin/orders?status=lost').set('authorization', operator).expect(400);
    await api().post('/api/v1/admin/orders/not-a-uuid/ship').set('authorization', operator).expect(400);
    await api().post(`/api/v1/admin/orders/${orderId}/ship`).set('authorization', olga).expect(403);
    const shipped = await api().post(`/api/v1/admin/orders/${orderId}/ship`).set('authorization', operator).expect(200);
    expect(shipped.body).toMatchObject({ orderId, status: 'shipped' });
    const trackingNumber = shipped.body.trackingNumber as string;
    expect(trackingNumber).toMatch(/^9\d{21}$/);
    await api().post(`/api/v1/admin/orders/${orderId}/ship`).set('authorization', operator).expect(409);
    // The customer sees the label (to track it) but cannot refund our postage, nor cancel a shipped order.
    const mine = await labels(olga);
    const ours = mine.find((l) => l.trackingNumber === trackingNumber);
    expect(ours).toMatchObject({ orderId, from: expect.objectContaining({ name: 'STAMP FULFILLMENT CENTER' }) });
    await api()
      .post(`/api/v1/labels/${String(ours?.labelId)}/refund`)
      .set('authorization', olga)
      .expect(409);
    await api().post(`/api/v1/orders/${orderId}/cancel`).set('authorization', olga).expect(409);
    await produce(topicName(Topics.Tracking, pickup.prefix), [
      {
        key: trackingNumber,
        value: createEnvelope({
          id: randomUUID(),
          type: ParcelStatusChangedV1.type,
          version: 1,
          key: trackingNumber,
          source: 'e2e',
          data: {
            ...ParcelStatusChangedV1.example,
            trackingNumber,
            previousCategory: 'out_for_delivery',
            statusCategory: 'delivered',
            code: 'delivered',
            occurredAt: new Date().toISOString(),
          },
        }),
      },
    ]);
    await waitFor(
      async () => {
        const list = (await api().get('/api/v1/orders').set('authorization', olga).expect(200)).body.items as {
          orderId: string;
          status: string;
        }[];
        return list.find((o) => o.orderId === orderId)?.status === 'delivered';
      },
      { timeoutMs: 30_000 },
    );
  });

  it('refuses an unknown payment method with 400 (stripe-mock validates it) and books nothing', async () => {
    const jack = await pickup.token();
    jest
      .spyOn(provider, 'charge')
      .mockRejectedValueOnce(new PaymentDeclinedError('expired_card', undefined, 'expired'));
    const res = await label(jack, card).expect(402);
    expect(res.body.code).toBe('expired_card');
    expect(subjectOf(jack)).toBeTruthy();
  });
});
