import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

export const UsernameReminderRequestedV1 = defineEvent({
  type: 'UsernameReminderRequested',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    email: z.string().email(),
    username: z.string().min(1),
  }),
  example: { userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T', email: 'jane.doe@example.com', username: 'jane.doe' },
});
export type UsernameReminderRequestedData = EventData<typeof UsernameReminderRequestedV1>;
