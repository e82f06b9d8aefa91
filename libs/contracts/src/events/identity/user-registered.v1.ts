import { z } from 'zod';
import { ACCOUNT_TYPES } from '../../identity/identity-constants';
import { LANGUAGES } from '../../i18n/languages';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

export const UserRegisteredV1 = defineEvent({
  type: 'UserRegistered',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    username: z.string().min(1),
    email: z.string().email(),
    /** E.164 */
    phone: z.string().optional(),
    firstName: z.string(),
    lastName: z.string(),
    accountType: z.enum(ACCOUNT_TYPES),
    companyName: z.string().optional(),
    /** IANA time zone, e.g. `America/New_York` */
    timeZone: z.string(),
    /** the language notices go out in (`en`, `es`, `zh-Hans`); absent from events before it existed: English */
    language: z.enum(LANGUAGES).optional(),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    username: 'jane.doe',
    email: 'jane.doe@example.com',
    phone: '+12025550123',
    firstName: 'Jane',
    lastName: 'Doe',
    accountType: 'personal',
    timeZone: 'America/New_York',
    language: 'en',
  },
});
export type UserRegisteredData = EventData<typeof UserRegisteredV1>;
