import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

export const PasswordChangedV1 = defineEvent({
  type: 'PasswordChanged',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    email: z.string().email(),
    changedAt: z.string().datetime({ offset: true }),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    email: 'jane.doe@example.com',
    changedAt: '2025-01-15T10:00:00.000Z',
  },
});
export type PasswordChangedData = EventData<typeof PasswordChangedV1>;
