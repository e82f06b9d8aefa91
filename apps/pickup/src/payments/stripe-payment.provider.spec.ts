import Stripe from 'stripe';
import { loadPickupConfig } from '../config';
import {
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
  PaymentRequestError,
  WebhookSignatureError,
} from './payment-provider';
import { createStripeClient, StripePaymentProvider, translateStripeError } from './stripe-payment.provider';

const base = {
  IMPB_SERIAL_KEY: 'x'.repeat(32),
  PORTAL_ENV: 'development',
  KAFKA_SASL_USERNAME: 'pickup',
  KAFKA_SASL_PASSWORD: 'unit-test',
};

// Raw error objects as Stripe documents them (https://docs.stripe.com/api/errors) with the HTTP status
// they come with, turned into the SDK's error classes the way the SDK does for an answer.
const generate = (statusCode: number, raw: Record<string, unknown>) =>
  Stripe.errors.generateV1Error({ ...raw, statusCode });

describe('translateStripeError', () => {
  it('turns a card_error into a decline with its code and decline code', () => {
    const error = translateStripeError(
      generate(402, {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      }),
    );
    expect(error).toBeInstanceOf(PaymentDeclinedError);
    expect(error).toMatchObject({ code: 'card_declined', declineCode: 'insufficient_funds' });
  });

  it('turns an invalid_request_error into a request error (a bad payment method id)', () => {
    const error = translateStripeError(
      generate(404, { type: 'invalid_request_error', code: 'resource_missing', message: 'No such PaymentMethod' }),
    );
    expect(error).toBeInstanceOf(PaymentRequestError);
  });

  it.each([
    ['a 500 api_error', 500, { type: 'api_error', message: 'Something went wrong on our end' }],
    ['a 503', 503, { type: 'api_error', message: 'Service unavailable' }],
    ['a 429 rate limit', 429, { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' }],
    ['a 401 (our key is wrong, not the customer)', 401, { type: 'invalid_request_error', message: 'Invalid API Key' }],
  ])('turns %s into an outage', (_name, status, raw) => {
    expect(translateStripeError(generate(status, raw))).toBeInstanceOf(PaymentProviderUnavailableError);
  });

  it('turns a connection failure or timeout into an outage', () => {
    const error = new Stripe.errors.StripeConnectionError({ message: 'Request timed out' });
    expect(translateStripeError(error)).toBeInstanceOf(PaymentProviderUnavailableError);
    expect(translateStripeError(new Error('socket hang up'))).toBeInstanceOf(PaymentProviderUnavailableError);
  });
});

describe('StripePaymentProvider webhooks', () => {
  const config = loadPickupConfig({ ...base, STRIPE_WEBHOOK_SECRET: 'whsec_unittest' });
  const stripe = createStripeClient(config);
  const provider = new StripePaymentProvider(stripe, config);
  const payload = JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } });

  it('accepts a payload signed with the webhook secret', () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_unittest' });
    expect(provider.parseWebhook(Buffer.from(payload), header)).toMatchObject({ id: 'evt_1', object: { id: 'pi_1' } });
  });

  it('refuses another secret, a changed body, an old timestamp and a missing header', () => {
    const forged = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' });
    expect(() => provider.parseWebhook(Buffer.from(payload), forged)).toThrow(WebhookSignatureError);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_unittest' });
    expect(() => provider.parseWebhook(Buffer.from(payload.replace('pi_1', 'pi_2')), header)).toThrow(
      WebhookSignatureError,
    );
    const old = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: 'whsec_unittest',
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect(() => provider.parseWebhook(Buffer.from(payload), old)).toThrow(WebhookSignatureError);
    expect(() => provider.parseWebhook(Buffer.from(payload), undefined)).toThrow(WebhookSignatureError);
  });
});

describe('payment config', () => {
  it('requires the Stripe key and webhook secret outside development', () => {
    expect(() => loadPickupConfig({ ...base, PORTAL_ENV: 'production' })).toThrow(
      /STRIPE_SECRET_KEY: required unless PORTAL_ENV=development[\s\S]*STRIPE_WEBHOOK_SECRET: required/,
    );
    expect(
      loadPickupConfig({
        ...base,
        PORTAL_ENV: 'production',
        STRIPE_SECRET_KEY: 'sk_live_abc123',
        STRIPE_WEBHOOK_SECRET: 'whsec_abc',
        STRIPE_PUBLISHABLE_KEY: 'pk_live_abc123',
      }).STRIPE_SECRET_KEY,
    ).toBe('sk_live_abc123');
  });

  // Card element (issue 17): the web's Stripe.js needs the publishable key wherever real cards are taken.
  it('requires the publishable key outside development, and takes none in development', () => {
    const production = {
      ...base,
      PORTAL_ENV: 'production',
      STRIPE_SECRET_KEY: 'sk_live_a',
      STRIPE_WEBHOOK_SECRET: 'whsec_a',
    };
    expect(() => loadPickupConfig(production)).toThrow(
      /STRIPE_PUBLISHABLE_KEY: required unless PORTAL_ENV=development/,
    );
    expect(loadPickupConfig({ ...production, STRIPE_PUBLISHABLE_KEY: 'pk_live_abc123' }).STRIPE_PUBLISHABLE_KEY).toBe(
      'pk_live_abc123',
    );
    expect(loadPickupConfig(base).STRIPE_PUBLISHABLE_KEY).toBeUndefined();
    // Compose passes an unset variable through as empty: that is "no key", not a malformed one.
    expect(loadPickupConfig({ ...base, STRIPE_PUBLISHABLE_KEY: '' }).STRIPE_PUBLISHABLE_KEY).toBeUndefined();
    expect(loadPickupConfig({ ...base, STRIPE_PUBLISHABLE_KEY: 'pk_test_abc' }).STRIPE_PUBLISHABLE_KEY).toBe(
      'pk_test_abc',
    );
  });

  it('refuses a publishable key that is not one (a secret key pasted by mistake, a typo)', () => {
    for (const bad of ['sk_live_abc123', 'rk_test_abc', 'pk_prod_abc', 'pk_test_', 'pk_test_abc def']) {
      expect(() => loadPickupConfig({ ...base, STRIPE_PUBLISHABLE_KEY: bad })).toThrow(
        /STRIPE_PUBLISHABLE_KEY: expected a Stripe publishable key/,
      );
    }
  });

  it('refuses a key that is not a Stripe secret key (a publishable key by mistake)', () => {
    expect(() => loadPickupConfig({ ...base, STRIPE_SECRET_KEY: 'pk_test_abc' })).toThrow(/STRIPE_SECRET_KEY/);
  });

  it('allows the crash-after-charge fault injection only in development', () => {
    expect(loadPickupConfig({ ...base, PAYMENTS_CRASH_AFTER_CHARGE: 'true' }).PAYMENTS_CRASH_AFTER_CHARGE).toBe(true);
    expect(() =>
      loadPickupConfig({
        ...base,
        PORTAL_ENV: 'production',
        STRIPE_SECRET_KEY: 'sk_live_abc123',
        STRIPE_WEBHOOK_SECRET: 'whsec_abc',
        PAYMENTS_CRASH_AFTER_CHARGE: 'true',
      }),
    ).toThrow(/PAYMENTS_CRASH_AFTER_CHARGE: fault injection: only with PORTAL_ENV=development/);
  });

  it('reads an empty STRIPE_API_URL as unset', () => {
    expect(loadPickupConfig({ ...base, STRIPE_API_URL: '' }).STRIPE_API_URL).toBeUndefined();
  });
});

describe('StripePaymentProvider saved cards', () => {
  const card = { brand: 'visa', last4: '4242', exp_month: 8, exp_year: 2030 };
  /** The SDK's resources the saved-card calls use, answering as Stripe documents them. */
  function stubbed(setupIntent: Record<string, unknown>, apiUrl?: string) {
    const config = loadPickupConfig({ ...base, ...(apiUrl ? { STRIPE_API_URL: apiUrl } : {}) });
    const sdk = {
      setupIntents: {
        create: jest.fn((params: Record<string, unknown>) =>
          Promise.resolve({ ...setupIntent, payment_method: params.payment_method }),
        ),
        retrieve: jest.fn(() => Promise.resolve(setupIntent)),
      },
      paymentMethods: {
        create: jest.fn(() => Promise.resolve({ id: 'pm_fresh123' })),
        retrieve: jest.fn((id: string) => Promise.resolve({ id, card })),
      },
    };
    return { sdk, provider: new StripePaymentProvider(sdk as unknown as Stripe, config) };
  }

  it('saves a card with brand, last 4 and expiry only, through a setup intent on the customer', async () => {
    const { sdk, provider } = stubbed({ id: 'seti_1', customer: 'cus_1' });
    await expect(
      provider.saveCard({ customerId: 'cus_1', paymentMethodId: 'pm_abc', idempotencyKey: 'k' }),
    ).resolves.toEqual({ paymentMethodId: 'pm_abc', brand: 'visa', last4: '4242', expMonth: 8, expYear: 2030 });
    expect(sdk.setupIntents.create).toHaveBeenCalledWith(
      expect.objectContaining({ customer: 'cus_1', payment_method: 'pm_abc', usage: 'off_session', confirm: true }),
      { idempotencyKey: 'k' },
    );
  });

  it("refuses a setup intent of another customer (someone else's card)", async () => {
    const { provider } = stubbed({ id: 'seti_1', customer: 'cus_other', payment_method: 'pm_theirs' });
    await expect(
      provider.saveCard({ customerId: 'cus_1', setupIntentId: 'seti_1', idempotencyKey: 'k' }),
    ).rejects.toBeInstanceOf(PaymentRequestError);
  });

  it('gives a test alias a fresh payment method only against stripe-mock (Stripe does that itself)', async () => {
    const mock = stubbed({ id: 'seti_1', customer: 'cus_1' }, 'http://127.0.0.1:12111');
    await expect(
      mock.provider.saveCard({ customerId: 'cus_1', paymentMethodId: 'pm_card_visa', idempotencyKey: 'k' }),
    ).resolves.toMatchObject({ paymentMethodId: 'pm_fresh123' });
    const real = stubbed({ id: 'seti_1', customer: 'cus_1' });
    await expect(
      real.provider.saveCard({ customerId: 'cus_1', paymentMethodId: 'pm_card_visa', idempotencyKey: 'k' }),
    ).resolves.toMatchObject({ paymentMethodId: 'pm_card_visa' });
    expect(real.sdk.paymentMethods.create).not.toHaveBeenCalled();
  });
});
