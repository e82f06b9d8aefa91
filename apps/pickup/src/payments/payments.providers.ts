import type { Provider } from '@nestjs/common';
import Stripe from 'stripe';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { PaymentProvider } from './payment-provider';
import { createStripeClient, StripePaymentProvider } from './stripe-payment.provider';

/** The SDK client and the provider behind the seam; tests override PaymentProvider to inject faults. */
export const paymentProviders: Provider[] = [
  { provide: Stripe, inject: [PICKUP_CONFIG], useFactory: (config: PickupConfig) => createStripeClient(config) },
  { provide: PaymentProvider, useClass: StripePaymentProvider },
];
