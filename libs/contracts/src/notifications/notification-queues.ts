/** BullMQ queues of the notifications service (one processor per queue). */
export const NotificationQueues = {
  Email: 'email',
  Sms: 'sms',
  /** Signed HTTP deliveries to customers' webhook endpoints (Standard Webhooks). */
  Webhook: 'webhook',
} as const;

export type NotificationQueue = (typeof NotificationQueues)[keyof typeof NotificationQueues];

/** BullMQ job names. */
export const NotificationJobs = {
  SendEmail: 'send-email',
  SendSms: 'send-sms',
  SendWebhook: 'send-webhook',
} as const;

export type NotificationJob = (typeof NotificationJobs)[keyof typeof NotificationJobs];
