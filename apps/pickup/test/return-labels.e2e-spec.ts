import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import request from 'supertest';
import { createEnvelope, ParcelStatusChangedV1, Topics, topicName } from '@app/contracts';
import { produce, waitFor } from '@app/testing';
import { PaymentProvider, PaymentProviderUnavailableError } from '../src/payments/payment-provider';
import { translateStripeError } from '../src/payments/stripe-payment.provider';
import { ReturnLabelsService } from '../src/labels/return-labels.service';
import { startPickup, type PickupUnderTest } from './support/pickup-app';

jest.setTimeout(120_000);

const ada = { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' };
const alan = { name: 'ALAN TURING', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202' };
const card = { method: 'card', paymentMethodId: 'pm_card_visa' };

interface LabelView {
  labelId: string;
  trackingNumber: string;
  priceCents: number;
  returnCharge?: { state: string; failureReason?: string };
}

// The pay-on-first-scan charge of return labels on the real stack (FerretDB ledger, Kafka, stripe-mock),
// with the card's refusals and outages at the PaymentProvider seam (stripe-mock approves everything).
describe('return labels: charged on the first acceptance scan, once', () => {
  let pickup: PickupUnderTest;
  let provider: PaymentProvider;
  let returns: ReturnLabelsService;
  const api = () => request(pickup.app.getHttpServer());

  beforeAll(async () => {
    pickup = await startPickup();
    provider = pickup.app.get(PaymentProvider);
    returns = pickup.app.get(ReturnLabelsService);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await pickup?.close();
  });

  async function returnLabel(auth: string): Promise<LabelView> {
    const outbound = await api()
      .post('/api/v1/labels')
      .set('authorization', auth)
      .send({ from: ada, to: alan, weightOz: 20, service: 'priority', payment: card })
      .expect(201);
    const ret = await api()
      .post(`/api/v1/labels/${outbound.body.labelId as string}/return`)
      .set('authorization', auth)
      .send({ payment: card })
      .expect(201);
    return ret.body as LabelView;
  }

  /** What tracking publishes on a parcel's first scan out of pre_shipment. */
  function accept(trackingNumber: string) {
    return produce(topicName(Topics.Tracking, pickup.prefix), [
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
            previousCategory: 'pre_shipment',
            statusCategory: 'accepted',
            code: 'accepted',
            occurredAt: new Date().toISOString(),
          },
        }),
      },
    ]);
  }

  const chargeState = async (auth: string, labelId: string, state: string) =>
    waitFor(
      async () => {
        const label = (await api().get(`/api/v1/labels/${labelId}`).set('authorization', auth).expect(200))
          .body as LabelView;
        return label.returnCharge?.state === state ? label : undefined;
      },
      { timeoutMs: 30_000, description: `return charge ${state}` },
    );
  const charges = async (auth: string, labelId: string) =>
    (
      (await api().get('/api/v1/account/balance/history').set('authorization', auth).expect(200)).body.items as {
        subjectId?: string;
      }[]
    ).filter((e) => e.subjectId === labelId);

  it('records a declined card as a failed charge and charges nothing', async () => {
    const auth = await pickup.token();
    const ret = await returnLabel(auth);
    jest.spyOn(provider, 'charge').mockRejectedValue(
      translateStripeError(
        Stripe.errors.generateV1Error({
          statusCode: 402,
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'insufficient_funds',
          message: 'Your card has insufficient funds.',
        } as never),
      ),
    );
    await accept(ret.trackingNumber);
    const failed = await chargeState(auth, ret.labelId, 'failed');
    expect(failed.returnCharge?.failureReason).toBe('card declined: card_declined (insufficient_funds)');
    expect(await charges(auth, ret.labelId)).toEqual([]);
  });

  it('keeps the charge due through an outage, then the sweep charges it once however often it runs', async () => {
    const auth = await pickup.token();
    const ret = await returnLabel(auth);
    const charge = jest.spyOn(provider, 'charge').mockRejectedValue(new PaymentProviderUnavailableError('down'));
    await accept(ret.trackingNumber);
    await waitFor(() => charge.mock.calls.length > 0, { timeoutMs: 30_000, description: 'a charge attempted' });
    await chargeState(auth, ret.labelId, 'due');
    charge.mockRestore();
    await Promise.all([returns.settleDue(), returns.settleDue()]);
    await returns.settleDue();
    await chargeState(auth, ret.labelId, 'charged');
    expect(await charges(auth, ret.labelId)).toEqual([
      expect.objectContaining({ kind: 'label_charge', method: 'card', amountCents: ret.priceCents }),
    ]);
  });
});
