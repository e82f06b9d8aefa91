/** A card as receipts show it: never more than the brand and the last four digits. */
export interface CardSummary {
  brand: string;
  last4: string;
}

export type PaymentStatus = 'succeeded' | 'processing' | 'requires_action' | 'failed';

/** A charge (or an intent to be confirmed in the browser) as the provider reports it. */
export interface ProviderPayment {
  /** The provider's id (Stripe: the PaymentIntent `pi_…`). */
  id: string;
  status: PaymentStatus;
  amountCents: number;
  /** For an intent the browser confirms (top-ups): the secret Stripe.js takes. */
  clientSecret?: string;
  card?: CardSummary;
}

export interface ChargeRequest {
  amountCents: number;
  /** A saved or test payment method (`pm_…`); the card number never reaches us. */
  paymentMethodId: string;
  /** Sent to the provider as its idempotency key: a retried call never charges twice. */
  idempotencyKey: string;
  description: string;
  metadata: Record<string, string>;
  /** The caller's provider customer when the method is one of their saved cards (Stripe requires it then). */
  customerId?: string;
}

export interface IntentRequest {
  amountCents: number;
  idempotencyKey: string;
  description: string;
  metadata: Record<string, string>;
  /** Confirm at once with this method (local mode: Stripe's test methods such as `pm_card_visa`). */
  paymentMethodId?: string;
  /** The caller's provider customer when the method is one of their saved cards. */
  customerId?: string;
}

/** A saved card as the portal shows it: brand, last 4 and expiry, nothing more. */
export interface SavedCardDetails {
  /** The provider's payment method id (`pm_…`), attached to the customer. */
  paymentMethodId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

/** A setup intent for the browser (Stripe.js confirms it with the card element). */
export interface ProviderSetupIntent {
  id: string;
  clientSecret: string;
}

export interface RefundRequest {
  paymentId: string;
  idempotencyKey: string;
  metadata: Record<string, string>;
}

/** A webhook event whose signature was checked. */
export interface ProviderEvent {
  id: string;
  type: string;
  /** The object the event is about (Stripe: `data.object`). */
  object: { id?: string; object?: string; metadata?: Record<string, string>; [key: string]: unknown };
}

/** The card was refused: 402 with the provider's code, nothing charged. */
export class PaymentDeclinedError extends Error {
  constructor(
    /** Stripe's error code, e.g. `card_declined`, `expired_card`, `incorrect_cvc`. */
    readonly code: string,
    /** Stripe's decline code when the issuer gave one, e.g. `insufficient_funds`. */
    readonly declineCode: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentDeclinedError';
  }
}

/** The request named something the provider does not know (a bad payment method id): 400. */
export class PaymentRequestError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentRequestError';
  }
}

/**
 * The provider could not be reached, answered 5xx, or took too long: 503. Whether it charged is
 * unknown, so a retry must reuse the idempotency key (the provider then answers the first outcome).
 */
export class PaymentProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentProviderUnavailableError';
  }
}

/** A webhook whose signature or timestamp does not check out: 400. */
export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/**
 * The payment provider seam (Stripe today). Every call that moves money takes an idempotency key;
 * implementations throw only the errors above.
 */
export abstract class PaymentProvider {
  /** Charges a payment method now (checkout by card). */
  abstract charge(request: ChargeRequest): Promise<ProviderPayment>;
  /** Creates an intent (a top-up), confirmed now when it names a payment method, else by the browser. */
  abstract createIntent(request: IntentRequest): Promise<ProviderPayment>;
  /** The current state of a payment (recovery after a crash, webhooks). */
  abstract retrieve(paymentId: string): Promise<ProviderPayment>;
  /** Refunds a whole payment (partial refunds are not offered). */
  abstract refund(request: RefundRequest): Promise<{ id: string; status: string }>;
  /** Creates the provider's customer for an account (saved cards hang off it); the key makes a retry create none. */
  abstract createCustomer(request: { ownerId: string; idempotencyKey: string }): Promise<string>;
  /** A setup intent the browser confirms with the card element; the card is then saved by its id. */
  abstract createSetupIntent(request: { customerId: string; idempotencyKey: string }): Promise<ProviderSetupIntent>;
  /**
   * Saves a card on the customer: a payment method made in the browser (or a Stripe test method) is
   * confirmed by a setup intent for off-session use; or a setup intent the browser confirmed is read.
   * A setup intent of another customer is refused (PaymentRequestError).
   */
  abstract saveCard(request: {
    customerId: string;
    paymentMethodId?: string;
    setupIntentId?: string;
    idempotencyKey: string;
  }): Promise<SavedCardDetails>;
  /** Makes a saved card the customer's default. */
  abstract setDefaultCard(customerId: string, paymentMethodId: string): Promise<void>;
  /** Detaches a saved card from its customer (it can no longer be charged through the customer). */
  abstract removeCard(paymentMethodId: string): Promise<void>;
  /** Checks a webhook's signature (5-minute tolerance) and returns its event. */
  abstract parseWebhook(rawBody: Buffer, signature: string | undefined): ProviderEvent;
}
