import { randomUUID } from 'node:crypto';
import { loadPickupConfig } from '../src/config';
import { PaymentRequestError } from '../src/payments/payment-provider';
import { createStripeClient, StripePaymentProvider } from '../src/payments/stripe-payment.provider';

// The Stripe SDK against the stripe-mock that the test stack starts (STRIPE_API_URL).
describe('Stripe payment provider against stripe-mock', () => {
  const config = loadPickupConfig(process.env);
  const provider = new StripePaymentProvider(createStripeClient(config), config);

  it('is handed stripe-mock by the test stack', () => {
    expect(config.STRIPE_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("charges Stripe's test card and reports its brand and last four digits", async () => {
    const payment = await provider.charge({
      amountCents: 1234,
      paymentMethodId: 'pm_card_visa',
      idempotencyKey: randomUUID(),
      description: 'e2e',
      metadata: { ownerId: 'u1' },
    });
    expect(payment).toMatchObject({ status: 'succeeded', amountCents: 1234, card: { brand: 'visa', last4: '4242' } });
    expect(payment.id).toMatch(/^pi_/);
  });

  it('creates an intent for the browser to confirm, with its client secret', async () => {
    const intent = await provider.createIntent({
      amountCents: 5000,
      idempotencyKey: randomUUID(),
      description: 'top-up',
      metadata: { ownerId: 'u1' },
    });
    expect(intent).toMatchObject({ status: 'requires_action', amountCents: 5000 });
    expect(intent.clientSecret).toMatch(/_secret_/);
  });

  it('refunds a payment', async () => {
    const refund = await provider.refund({ paymentId: 'pi_123', idempotencyKey: randomUUID(), metadata: {} });
    expect(refund.id).toMatch(/^re_/);
  });

  it('refuses a payment method id that is not one (validated by stripe-mock against the API spec)', async () => {
    await expect(
      provider.charge({
        amountCents: 100,
        paymentMethodId: 'not a payment method',
        idempotencyKey: randomUUID(),
        description: 'e2e',
        metadata: {},
      }),
    ).rejects.toBeInstanceOf(PaymentRequestError);
  });
});
