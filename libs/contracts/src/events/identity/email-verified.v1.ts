import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

export const EmailVerifiedV1 = defineEvent({
  type: 'EmailVerified',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    email: z.string().email(),
  }),
  example: { userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T', email: 'jane.doe@example.com' },
});
export type EmailVerifiedData = EventData<typeof EmailVerifiedV1>;
