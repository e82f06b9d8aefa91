import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/** The account's email address was changed; the notice goes to the previous address. */
export const EmailChangedV1 = defineEvent({
  type: 'EmailChanged',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    /** the address the account had before, which is told about the change */
    previousEmail: z.string().email(),
    changedAt: z.string().datetime({ offset: true }),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    previousEmail: 'jane.doe@example.com',
    changedAt: '2025-01-15T10:00:00.000Z',
  },
});
export type EmailChangedData = EventData<typeof EmailChangedV1>;
