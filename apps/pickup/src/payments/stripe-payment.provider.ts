import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import {
  type CardSummary,
  type ChargeRequest,
  type IntentRequest,
  PaymentDeclinedError,
  PaymentProvider,
  PaymentProviderUnavailableError,
  PaymentRequestError,
  type PaymentStatus,
  type ProviderEvent,
  type ProviderPayment,
  type ProviderSetupIntent,
  type RefundRequest,
  type SavedCardDetails,
  WebhookSignatureError,
} from './payment-provider';

/** Stripe's documented tolerance for a webhook's timestamp is 5 minutes; we keep it. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Used only in PORTAL_ENV=development when no key is set (stripe-mock accepts any `sk_test_` key). */
const DEVELOPMENT_SECRET_KEY = 'sk_test_localdevelopment';
const DEVELOPMENT_WEBHOOK_SECRET = 'whsec_localdevelopment';

/** Builds the SDK client: pointed at STRIPE_API_URL (stripe-mock) when set, else at Stripe. */
export function createStripeClient(config: PickupConfig): Stripe {
  const target = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : undefined;
  return new Stripe(config.STRIPE_SECRET_KEY ?? DEVELOPMENT_SECRET_KEY, {
    timeout: config.STRIPE_TIMEOUT_MS,
    // Our own idempotency keys make retries safe; the SDK's retries would hide an outage behind long waits.
    maxNetworkRetries: 1,
    telemetry: false,
    ...(target
      ? {
          host: target.hostname,
          port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
          protocol: target.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}

function statusOf(intent: Stripe.PaymentIntent, fixtureApproves: boolean, confirmed: boolean): PaymentStatus {
  switch (intent.status) {
    case 'succeeded':
      return 'succeeded';
    case 'processing':
      return 'processing';
    case 'requires_action':
      return 'requires_action';
    case 'canceled':
      return 'failed';
    case 'requires_capture':
    case 'requires_confirmation':
    case 'requires_payment_method':
      // stripe-mock answers every intent from one fixture (`requires_payment_method`) whatever was
      // asked; against it, a confirm it did not refuse is a success (it "approves every charge").
      return fixtureApproves && confirmed ? 'succeeded' : 'requires_action';
  }
  return 'requires_action';
}

/** Stripe behind the PaymentProvider seam: Payment Intents, refunds, signed webhooks. */
@Injectable()
export class StripePaymentProvider extends PaymentProvider {
  private readonly fixtureApproves: boolean;
  private readonly webhookSecret: string;

  constructor(
    readonly stripe: Stripe,
    @Inject(PICKUP_CONFIG) config: PickupConfig,
  ) {
    super();
    this.fixtureApproves = config.STRIPE_API_URL !== undefined;
    this.webhookSecret = config.STRIPE_WEBHOOK_SECRET ?? DEVELOPMENT_WEBHOOK_SECRET;
  }

  async charge(request: ChargeRequest): Promise<ProviderPayment> {
    return this.call(async () => {
      const card = await this.cardOf(request.paymentMethodId);
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: 'usd',
          payment_method: request.paymentMethodId,
          ...(request.customerId ? { customer: request.customerId } : {}),
          confirm: true,
          // No redirect-based methods: checkout is one server call.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          description: request.description,
          metadata: request.metadata,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return this.toPayment(intent, true, request.amountCents, card);
    });
  }

  async createIntent(request: IntentRequest): Promise<ProviderPayment> {
    return this.call(async () => {
      const card = request.paymentMethodId ? await this.cardOf(request.paymentMethodId) : undefined;
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: 'usd',
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          description: request.description,
          metadata: request.metadata,
          ...(request.paymentMethodId ? { payment_method: request.paymentMethodId, confirm: true } : {}),
          ...(request.customerId ? { customer: request.customerId } : {}),
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return this.toPayment(intent, request.paymentMethodId !== undefined, request.amountCents, card);
    });
  }

  async retrieve(paymentId: string): Promise<ProviderPayment> {
    return this.call(async () => {
      const intent = await this.stripe.paymentIntents.retrieve(paymentId);
      return this.toPayment(intent, intent.payment_method !== null, intent.amount);
    });
  }

  async refund(request: RefundRequest): Promise<{ id: string; status: string }> {
    return this.call(async () => {
      const refund = await this.stripe.refunds.create(
        { payment_intent: request.paymentId, metadata: request.metadata },
        { idempotencyKey: request.idempotencyKey },
      );
      return { id: refund.id, status: refund.status ?? 'pending' };
    });
  }

  async createCustomer(request: { ownerId: string; idempotencyKey: string }): Promise<string> {
    return this.call(async () => {
      const customer = await this.stripe.customers.create(
        { metadata: { ownerId: request.ownerId } },
        { idempotencyKey: request.idempotencyKey },
      );
      return customer.id;
    });
  }

  async createSetupIntent(request: { customerId: string; idempotencyKey: string }): Promise<ProviderSetupIntent> {
    return this.call(async () => {
      const intent = await this.stripe.setupIntents.create(
        {
          customer: request.customerId,
          usage: 'off_session',
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return { id: intent.id, clientSecret: intent.client_secret ?? '' };
    });
  }

  async saveCard(request: {
    customerId: string;
    paymentMethodId?: string;
    setupIntentId?: string;
    idempotencyKey: string;
  }): Promise<SavedCardDetails> {
    return this.call(async () => {
      let intent: Stripe.SetupIntent;
      if (request.setupIntentId) {
        intent = await this.stripe.setupIntents.retrieve(request.setupIntentId);
        // Someone else's setup intent id must not save their card on this account.
        if (intent.customer !== request.customerId) {
          throw new PaymentRequestError('resource_missing', `no such setup intent: ${request.setupIntentId}`);
        }
      } else {
        intent = await this.stripe.setupIntents.create(
          {
            customer: request.customerId,
            payment_method: await this.savableMethod(request.paymentMethodId ?? ''),
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            usage: 'off_session',
            confirm: true,
          },
          { idempotencyKey: request.idempotencyKey },
        );
      }
      const methodId = typeof intent.payment_method === 'string' ? intent.payment_method : intent.payment_method?.id;
      if (!methodId) throw new PaymentRequestError('setup_intent_unexpected_state', 'the setup intent has no card yet');
      const method = await this.stripe.paymentMethods.retrieve(methodId);
      if (!method.card) throw new PaymentRequestError('payment_method_invalid', 'only cards can be saved');
      return {
        paymentMethodId: methodId,
        brand: method.card.brand,
        last4: method.card.last4,
        expMonth: method.card.exp_month,
        expYear: method.card.exp_year,
      };
    });
  }

  /**
   * Stripe turns a test alias (`pm_card_visa`) into a fresh payment method when a setup intent
   * attaches it; stripe-mock echoes the alias, so every account would save the same id. Against the
   * fixture we make the fresh method the way Stripe.js does (from a test token), keeping ids per card.
   */
  private async savableMethod(paymentMethodId: string): Promise<string> {
    if (!this.fixtureApproves || !paymentMethodId.startsWith('pm_card_')) return paymentMethodId;
    const method = await this.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    return method.id;
  }

  async setDefaultCard(customerId: string, paymentMethodId: string): Promise<void> {
    await this.call(() =>
      this.stripe.customers.update(customerId, { invoice_settings: { default_payment_method: paymentMethodId } }),
    );
  }

  async removeCard(paymentMethodId: string): Promise<void> {
    await this.call(() => this.stripe.paymentMethods.detach(paymentMethodId));
  }

  parseWebhook(rawBody: Buffer, signature: string | undefined): ProviderEvent {
    if (!signature) throw new WebhookSignatureError('the Stripe-Signature header is missing');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.webhookSecret, WEBHOOK_TOLERANCE_SECONDS);
    } catch (error) {
      throw new WebhookSignatureError(error instanceof Error ? error.message : String(error));
    }
    return { id: event.id, type: event.type, object: event.data.object as unknown as ProviderEvent['object'] };
  }

  private async cardOf(paymentMethodId: string): Promise<CardSummary | undefined> {
    const method = await this.stripe.paymentMethods.retrieve(paymentMethodId);
    return method.card ? { brand: method.card.brand, last4: method.card.last4 } : undefined;
  }

  private toPayment(
    intent: Stripe.PaymentIntent,
    confirmed: boolean,
    requestedCents: number,
    card?: CardSummary,
  ): ProviderPayment {
    return {
      id: intent.id,
      status: statusOf(intent, this.fixtureApproves, confirmed),
      // stripe-mock echoes the amount asked; Stripe does too. The requested amount is the fallback.
      amountCents: intent.amount ?? requestedCents,
      clientSecret: intent.client_secret ?? undefined,
      card,
    };
  }

  /** Maps Stripe's documented error classes onto the seam's errors. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      // Our own refusals (a setup intent of another customer) are already the seam's errors.
      if (error instanceof PaymentRequestError) throw error;
      throw translateStripeError(error);
    }
  }
}

/** Stripe's errors (by their documented `type`) as the seam's errors; anything else is an outage. */
export function translateStripeError(error: unknown): Error {
  const e = error as { type?: string; code?: string; decline_code?: string; message?: string };
  switch (e.type) {
    case 'StripeCardError':
      return new PaymentDeclinedError(e.code ?? 'card_declined', e.decline_code, e.message ?? 'the card was declined');
    case 'StripeInvalidRequestError':
      return new PaymentRequestError(e.code, e.message ?? 'the payment request was refused');
    case undefined:
    default:
      // 5xx, timeouts, rate limits, and our own key refused (401/403): none is the customer's doing.
      return new PaymentProviderUnavailableError(`payment provider unavailable: ${e.message ?? String(error)}`);
  }
}
