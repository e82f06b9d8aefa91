/**
 * Webhook event types a customer's endpoint can subscribe to (the `type` of every payload, as the
 * Standard Webhooks specification recommends: `<group>.<event>`).
 */
export const WebhookEventTypes = {
  TrackingUpdated: 'tracking.updated',
  ParcelAvailableForPickup: 'parcel.available_for_pickup',
  ParcelDelivered: 'parcel.delivered',
  PickupScheduled: 'pickup.scheduled',
  PickupUpdated: 'pickup.updated',
  PickupCancelled: 'pickup.cancelled',
  PickupCompleted: 'pickup.completed',
  PickupMissed: 'pickup.missed',
  LabelCreated: 'label.created',
  LabelRefunded: 'label.refunded',
} as const;

export type WebhookEventType = (typeof WebhookEventTypes)[keyof typeof WebhookEventTypes];

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = Object.values(WebhookEventTypes);

/**
 * The type of the sample event `POST /webhooks/endpoints/:id/test` sends, whatever the endpoint
 * subscribed to (not subscribable: nothing else sends it).
 */
export const WEBHOOK_TEST_EVENT_TYPE = 'webhook.test';

/** Test events per endpoint per hour (`POST /webhooks/endpoints/:id/test`; 429 with Retry-After past it). */
export const WEBHOOK_TEST_EVENTS_PER_HOUR = 10;

/** Groups an endpoint may subscribe to as a whole (`pickup.*`, `label.*`). */
export const WEBHOOK_EVENT_WILDCARDS = ['pickup.*', 'label.*'] as const;

/** What an endpoint's `eventTypes` may list: a type, or a wildcard of its group. */
export const WEBHOOK_SUBSCRIPTIONS: readonly string[] = [...WEBHOOK_EVENT_TYPES, ...WEBHOOK_EVENT_WILDCARDS];

/** Whether an endpoint subscribed to `subscriptions` receives events of `type`. */
export function webhookSubscribed(subscriptions: readonly string[], type: WebhookEventType): boolean {
  const group = `${type.slice(0, type.indexOf('.'))}.*`;
  return subscriptions.includes(type) || subscriptions.includes(group);
}

/** Standard Webhooks request headers. */
export const WebhookHeaders = {
  Id: 'webhook-id',
  Timestamp: 'webhook-timestamp',
  Signature: 'webhook-signature',
} as const;
