import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

export const AccountLockedV1 = defineEvent({
  type: 'AccountLocked',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    email: z.string().email(),
    lockedUntil: z.string().datetime({ offset: true }),
    /** failed logins counted in the window that caused the lock */
    failures: z.number().int().nonnegative(),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    email: 'jane.doe@example.com',
    lockedUntil: '2025-01-15T10:15:00.000Z',
    failures: 10,
  },
});
export type AccountLockedData = EventData<typeof AccountLockedV1>;
