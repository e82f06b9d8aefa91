/** Kafka topics. Every topic has a dead-letter topic `<topic>.dlq`. */
export const Topics = {
  Identity: 'identity.events',
  Tracking: 'tracking.events',
  Pickup: 'pickup.events',
  Notification: 'notification.events',
  PostalScans: 'postal.scans',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Kafka consumer groups: one per service. */
export const ConsumerGroups = {
  Tracking: 'tracking',
  Pickup: 'pickup',
  Notifications: 'notifications',
  Auth: 'auth',
} as const;
