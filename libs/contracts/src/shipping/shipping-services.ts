import { z } from 'zod';

/** Mail classes the portal sells labels for. */
export const ShippingServices = {
  PriorityExpress: 'priority_express',
  Priority: 'priority',
  GroundAdvantage: 'ground_advantage',
} as const;

export type ShippingService = (typeof ShippingServices)[keyof typeof ShippingServices];

export const SHIPPING_SERVICES: readonly ShippingService[] = Object.values(ShippingServices);

export const shippingServiceSchema = z.enum(['priority_express', 'priority', 'ground_advantage']);

/**
 * IMpb service type codes (USPS Pub. 199, Appendix B): the 3 digits after the channel
 * application identifier in a tracking number. Basic codes, no extra services.
 */
export const SERVICE_TYPE_CODES: Readonly<Record<ShippingService, string>> = {
  priority_express: '701',
  priority: '001',
  ground_advantage: '421',
};

/** IMpb channel application identifier used for every label the portal prints. */
export const IMPB_CHANNEL_APPLICATION_ID = '94';
