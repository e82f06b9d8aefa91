import request from 'supertest';
import { PaymentProvider, PaymentProviderUnavailableError } from '../src/payments/payment-provider';
import { startPickup, type PickupUnderTest } from './support/pickup-app';

jest.setTimeout(120_000);

type Card = { cardId: string; brand: string; last4: string; expMonth: number; expYear: number; isDefault: boolean };

const ada = { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' };
const alan = { name: 'ALAN TURING', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202' };

// Saved cards on the real stack: Stripe Customers and SetupIntents through the SDK against stripe-mock.
describe('saved cards: Stripe customers and setup intents behind the PaymentProvider seam', () => {
  let pickup: PickupUnderTest;
  let provider: PaymentProvider;
  const api = () => request(pickup.app.getHttpServer());
  const add = (auth: string, body: object) => api().post('/api/v1/account/cards').set('authorization', auth).send(body);
  const list = async (auth: string) =>
    (await api().get('/api/v1/account/cards').set('authorization', auth).expect(200)).body.items as Card[];
  const label = (auth: string, payment: unknown) =>
    api()
      .post('/api/v1/labels')
      .set('authorization', auth)
      .send({ from: ada, to: alan, weightOz: 20, service: 'priority', payment });

  beforeAll(async () => {
    pickup = await startPickup();
    provider = pickup.app.get(PaymentProvider);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await pickup?.close();
  });

  it('saves a card with brand, last 4 and expiry only; the first is the default', async () => {
    const alice = await pickup.token();
    expect(await list(alice)).toEqual([]);
    const saved = await add(alice, { paymentMethodId: 'pm_card_visa' }).expect(201);
    expect(saved.body).toEqual({
      cardId: expect.stringMatching(/^pm_/),
      brand: 'visa',
      last4: '4242',
      expMonth: expect.any(Number),
      expYear: expect.any(Number),
      isDefault: true,
      createdAt: expect.any(String),
    });
    // A saved card is a payment method of its own on the customer, not the shared test alias.
    expect(saved.body.cardId).not.toBe('pm_card_visa');
    expect(await list(alice)).toEqual([saved.body]);
  });

  it('saves a card from a setup intent the browser confirmed, and refuses another account’s setup intent', async () => {
    const alice = await pickup.token();
    const intent = await api().post('/api/v1/account/cards/setup-intents').set('authorization', alice).expect(201);
    expect(intent.body).toEqual({ setupIntentId: expect.stringMatching(/^seti_/), clientSecret: expect.any(String) });
    // stripe-mock keeps no state: its setup intent names no customer, as another account's would not be ours.
    await add(alice, { setupIntentId: intent.body.setupIntentId }).expect(400);
  });

  it('sets the default, removes a card, and promotes the next one', async () => {
    const bob = await pickup.token();
    const first = (await add(bob, { paymentMethodId: 'pm_card_visa' }).expect(201)).body as Card;
    const second = (await add(bob, { paymentMethodId: 'pm_card_mastercard' }).expect(201)).body as Card;
    expect(second.isDefault).toBe(false);
    const made = await api()
      .post(`/api/v1/account/cards/${second.cardId}/default`)
      .set('authorization', bob)
      .expect(200);
    expect(made.body).toMatchObject({ cardId: second.cardId, isDefault: true });
    expect((await list(bob)).find((c) => c.isDefault)?.cardId).toBe(second.cardId);
    const detach = jest.spyOn(provider, 'removeCard');
    await api().delete(`/api/v1/account/cards/${second.cardId}`).set('authorization', bob).expect(204);
    expect(detach).toHaveBeenCalledWith(second.cardId);
    expect(await list(bob)).toEqual([{ ...first, isDefault: true }]);
    await api().delete(`/api/v1/account/cards/${second.cardId}`).set('authorization', bob).expect(404);
  });

  it('shows owners only their own cards and refuses another account’s card everywhere (404)', async () => {
    const alice = await pickup.token();
    const mallory = await pickup.token();
    const card = (await add(alice, { paymentMethodId: 'pm_card_visa' }).expect(201)).body as Card;
    expect(await list(mallory)).toEqual([]);
    const charge = jest.spyOn(provider, 'charge');
    const stolen = await label(mallory, { method: 'card', paymentMethodId: card.cardId }).expect(404);
    expect(stolen.body.message).toContain('not one of your saved cards');
    await api()
      .post('/api/v1/account/balance/top-ups')
      .set('authorization', mallory)
      .send({ amountCents: 1_000, paymentMethodId: card.cardId })
      .expect(404);
    expect(charge).not.toHaveBeenCalled();
    await api().post(`/api/v1/account/cards/${card.cardId}/default`).set('authorization', mallory).expect(404);
    await api().delete(`/api/v1/account/cards/${card.cardId}`).set('authorization', mallory).expect(404);
    await add(mallory, { paymentMethodId: card.cardId }).expect(404);
    expect(await list(alice)).toEqual([card]);
  });

  it('pays a label with a saved card through the customer', async () => {
    const alice = await pickup.token();
    const card = (await add(alice, { paymentMethodId: 'pm_card_visa' }).expect(201)).body as Card;
    const charge = jest.spyOn(provider, 'charge');
    const res = await label(alice, { method: 'card', paymentMethodId: card.cardId }).expect(201);
    expect(res.body).toMatchObject({
      paidBy: 'card',
      payment: { method: 'card', card: { brand: 'visa', last4: '4242' } },
    });
    expect(charge).toHaveBeenCalledWith(
      expect.objectContaining({ paymentMethodId: card.cardId, customerId: expect.stringMatching(/^cus_/) }),
    );
    // A removed card pays nothing any more.
    await api().delete(`/api/v1/account/cards/${card.cardId}`).set('authorization', alice).expect(204);
    await label(alice, { method: 'card', paymentMethodId: card.cardId }).expect(404);
  });

  it('answers hostile input with a clear 400', async () => {
    const alice = await pickup.token();
    await add(alice, {}).expect(400);
    await add(alice, { paymentMethodId: 'pm_card_visa', setupIntentId: 'seti_1' }).expect(400);
    await add(alice, { paymentMethodId: '4242424242424242' }).expect(400);
    await add(alice, { paymentMethodId: 'pm_card_visa', cardNumber: '4242424242424242' }).expect(400);
    await add(alice, { setupIntentId: { $ne: 1 } }).expect(400);
    await add(alice, { paymentMethodId: `pm_${'a'.repeat(200)}` }).expect(400);
    await api().delete('/api/v1/account/cards/not-a-card').set('authorization', alice).expect(400);
    await api().post('/api/v1/account/cards/%24where/default').set('authorization', alice).expect(400);
    await api().get('/api/v1/account/cards').expect(401);
  });

  it('answers 503 and saves nothing while the provider is down', async () => {
    const alice = await pickup.token();
    jest.spyOn(provider, 'saveCard').mockRejectedValue(new PaymentProviderUnavailableError('Stripe answered 500'));
    await add(alice, { paymentMethodId: 'pm_card_visa' }).expect(503);
    jest.restoreAllMocks();
    expect(await list(alice)).toEqual([]);
  });

  it('keeps at most 10 cards (409)', async () => {
    const alice = await pickup.token();
    for (let i = 0; i < 10; i++) await add(alice, { paymentMethodId: 'pm_card_visa' }).expect(201);
    const refused = await add(alice, { paymentMethodId: 'pm_card_visa' }).expect(409);
    expect(refused.body.message).toContain('at most 10');
  });
});
