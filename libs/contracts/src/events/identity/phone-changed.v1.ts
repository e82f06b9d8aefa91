import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/**
 * The account's phone number was changed or removed; the notice goes to the account's email address
 * (never to the new number, which may be an attacker's).
 */
export const PhoneChangedV1 = defineEvent({
  type: 'PhoneChanged',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    /** the account's email address, which is told about the change */
    email: z.string().email(),
    /** the last two digits of the new number (E.164), absent when the number was removed */
    phoneLastDigits: z
      .string()
      .regex(/^\d{2}$/)
      .optional(),
    changedAt: z.string().datetime({ offset: true }),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    email: 'jane.doe@example.com',
    phoneLastDigits: '23',
    changedAt: '2025-01-15T10:00:00.000Z',
  },
});
export type PhoneChangedData = EventData<typeof PhoneChangedV1>;
