import { z } from 'zod';
import { notificationChannelSchema, notificationKindSchema } from '../../notifications/notification-kinds';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

const schema = z.object({
  /** the message record id (also its BullMQ job id) */
  notificationId: z.string().min(1).max(200),
  userId: z.string().min(1).max(200),
  kind: notificationKindSchema,
  channel: notificationChannelSchema,
  /** the id of the event that caused the message */
  sourceEventId: z.string().min(1).max(200),
});

export const NotificationSentV1 = defineEvent({
  type: 'NotificationSent',
  version: 1,
  topic: Topics.Notification,
  schema,
  example: {
    notificationId: 'b7d4c1e0a9f8e7d6c5b4a3928170f6e5d4c3b2a1',
    userId: '0b9e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4',
    kind: 'available_for_pickup',
    channel: 'email',
    sourceEventId: '5a7c9e1b-2d4f-4a6b-8c0d-1e2f3a4b5c6d',
  },
});

export type NotificationSentData = EventData<typeof NotificationSentV1>;
