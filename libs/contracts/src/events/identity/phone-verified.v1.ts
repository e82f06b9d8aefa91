import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

export const PhoneVerifiedV1 = defineEvent({
  type: 'PhoneVerified',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    /** E.164 */
    phone: z.string().min(1),
  }),
  example: { userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T', phone: '+12025550123' },
});
export type PhoneVerifiedData = EventData<typeof PhoneVerifiedV1>;
