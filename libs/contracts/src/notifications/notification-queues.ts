/** BullMQ queues of the notifications service (one processor per queue). */
export const NotificationQueues = {
  Email: 'email',
  Sms: 'sms',
} as const;

export type NotificationQueue = (typeof NotificationQueues)[keyof typeof NotificationQueues];

/** BullMQ job names. */
export const NotificationJobs = {
  SendEmail: 'send-email',
  SendSms: 'send-sms',
} as const;

export type NotificationJob = (typeof NotificationJobs)[keyof typeof NotificationJobs];
