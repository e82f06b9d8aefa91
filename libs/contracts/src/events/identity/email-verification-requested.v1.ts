import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

export const EmailVerificationRequestedV1 = defineEvent({
  type: 'EmailVerificationRequested',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    email: z.string().email(),
    firstName: z.string(),
    /** the one-time code to email; never log it */
    code: z.string().regex(/^\d{6,10}$/),
    expiresAt: z.string().datetime({ offset: true }),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    email: 'jane.doe@example.com',
    firstName: 'Jane',
    code: '482913',
    expiresAt: '2025-01-15T10:15:00.000Z',
  },
});
export type EmailVerificationRequestedData = EventData<typeof EmailVerificationRequestedV1>;
