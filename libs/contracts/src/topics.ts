/** Kafka topics. Every topic has a dead-letter topic `<topic>.dlq`. */
export const Topics = {
  Identity: 'identity.events',
  Tracking: 'tracking.events',
  Pickup: 'pickup.events',
  Notification: 'notification.events',
  PostalScans: 'postal.scans',
  /** Customers' delivery requests (redelivery, hold extension, …) for the postal systems; keyed by parcel or address. */
  PostalRequests: 'postal.requests',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

const DLQ_SUFFIX = '.dlq';

export function dlqTopic(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

export function isDlqTopic(topic: string): boolean {
  return topic.endsWith(DLQ_SUFFIX);
}

/** Kafka's own rule for topic names (and a safe one for group ids). */
const KAFKA_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * The physical name of a topic (or consumer group) under a prefix: `<prefix>.<topic>`, or the
 * topic itself when the prefix is empty. Tests use a unique prefix so runs never see each
 * other's events; a trailing `.` on the prefix is tolerated.
 */
export function topicName(topic: string, prefix = ''): string {
  const base = prefix.replace(/\.+$/, '');
  const name = base === '' ? topic : `${base}.${topic}`;
  if (!KAFKA_NAME.test(name)) {
    throw new Error(`invalid Kafka name "${name}" (allowed: letters, digits, '.', '_', '-'; at most 249)`);
  }
  return name;
}

/** The logical topic of a physical name (the inverse of `topicName`), or the name unchanged. */
export function logicalTopicName(name: string, prefix = ''): string {
  const base = prefix.replace(/\.+$/, '');
  if (base === '') return name;
  return name.startsWith(`${base}.`) ? name.slice(base.length + 1) : name;
}

/** Kafka consumer groups: one per service. */
export const ConsumerGroups = {
  Tracking: 'tracking',
  Pickup: 'pickup',
  Notifications: 'notifications',
  Auth: 'auth',
  /** The postal systems (the scanner principal) reading `postal.requests`. */
  PostalSystems: 'postal-systems',
} as const;

export type ConsumerGroup = (typeof ConsumerGroups)[keyof typeof ConsumerGroups];
