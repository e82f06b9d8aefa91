import { z } from 'zod';
import { LANGUAGES } from '../../i18n/languages';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

export const ProfileUpdatedV1 = defineEvent({
  type: 'ProfileUpdated',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    email: z.string().email(),
    emailVerified: z.boolean(),
    /** E.164 */
    phone: z.string().optional(),
    phoneVerified: z.boolean(),
    firstName: z.string(),
    lastName: z.string(),
    companyName: z.string().optional(),
    /** IANA time zone */
    timeZone: z.string(),
    /** the language notices go out in (`en`, `es`, `zh-Hans`); absent from events before it existed: English */
    language: z.enum(LANGUAGES).optional(),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    email: 'jane.doe@example.com',
    emailVerified: true,
    phone: '+12025550123',
    phoneVerified: false,
    firstName: 'Jane',
    lastName: 'Doe',
    timeZone: 'America/New_York',
    language: 'en',
  },
});
export type ProfileUpdatedData = EventData<typeof ProfileUpdatedV1>;
