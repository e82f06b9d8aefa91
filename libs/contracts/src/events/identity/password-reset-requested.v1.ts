import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

export const PasswordResetRequestedV1 = defineEvent({
  type: 'PasswordResetRequested',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    email: z.string().email(),
    /** E.164; present only when the phone is verified (the code then also goes by SMS) */
    phone: z.string().optional(),
    /** the one-time code; never log it */
    code: z.string().regex(/^\d{6,10}$/),
    expiresAt: z.string().datetime({ offset: true }),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    email: 'jane.doe@example.com',
    phone: '+12025550123',
    code: '55039182',
    expiresAt: '2025-01-15T10:15:00.000Z',
  },
});
export type PasswordResetRequestedData = EventData<typeof PasswordResetRequestedV1>;
