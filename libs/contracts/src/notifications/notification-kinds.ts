import { z } from 'zod';

/** What a message is about; each user chooses channels per kind. */
export const NotificationKinds = {
  TrackingUpdates: 'tracking_updates',
  AvailableForPickup: 'available_for_pickup',
  Delivered: 'delivered',
  PickupConfirmations: 'pickup_confirmations',
  LabelReceipts: 'label_receipts',
  OrderReceipts: 'order_receipts',
  /** The receipt of every payment, top-up and refund (with its amounts and the card's last 4). */
  PaymentReceipts: 'payment_receipts',
  SupportReplies: 'support_replies',
  Security: 'security',
  /** Confirmations of redeliveries, hold extensions, intercepts, instructions and Hold Mail. */
  DeliveryRequests: 'delivery_requests',
} as const;

export type NotificationKind = (typeof NotificationKinds)[keyof typeof NotificationKinds];

export const NOTIFICATION_KINDS: readonly NotificationKind[] = Object.values(NotificationKinds);

export const notificationKindSchema = z.enum(NOTIFICATION_KINDS as [NotificationKind, ...NotificationKind[]]);

/** Where a message goes. */
export const NotificationChannels = {
  Email: 'email',
  Sms: 'sms',
  InApp: 'in_app',
} as const;

export type NotificationChannel = (typeof NotificationChannels)[keyof typeof NotificationChannels];

export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] = Object.values(NotificationChannels);

export const notificationChannelSchema = z.enum(
  NOTIFICATION_CHANNELS as [NotificationChannel, ...NotificationChannel[]],
);

/** A user's choice of channels for every kind. */
export type NotificationPreferences = Record<NotificationKind, NotificationChannel[]>;

/** Channels a kind can never lose (security mail cannot be turned off). */
export const MANDATORY_CHANNELS: Readonly<Partial<Record<NotificationKind, readonly NotificationChannel[]>>> = {
  security: ['email'],
  delivery_requests: ['email', 'in_app'],
};

/** Defaults before a user changes anything: SMS is opt-in everywhere. */
export const DEFAULT_NOTIFICATION_PREFERENCES: Readonly<NotificationPreferences> = {
  tracking_updates: ['in_app'],
  available_for_pickup: ['email', 'in_app'],
  delivered: ['email', 'in_app'],
  pickup_confirmations: ['email', 'in_app'],
  label_receipts: ['email', 'in_app'],
  order_receipts: ['email', 'in_app'],
  payment_receipts: ['email', 'in_app'],
  support_replies: ['email', 'in_app'],
  security: ['email'],
  delivery_requests: ['email', 'in_app'],
};
