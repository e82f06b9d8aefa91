import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

export const PhoneVerificationRequestedV1 = defineEvent({
  type: 'PhoneVerificationRequested',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    /** E.164 */
    phone: z.string().min(1),
    /** the one-time code to text; never log it */
    code: z.string().regex(/^\d{6,10}$/),
    expiresAt: z.string().datetime({ offset: true }),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    phone: '+12025550123',
    code: '739204',
    expiresAt: '2025-01-15T10:15:00.000Z',
  },
});
export type PhoneVerificationRequestedData = EventData<typeof PhoneVerificationRequestedV1>;
