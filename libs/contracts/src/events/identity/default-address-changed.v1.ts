import { z } from 'zod';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/** Another address became the default one (set by the user, or promoted when the default was deleted). */
export const DefaultAddressChangedV1 = defineEvent({
  type: 'DefaultAddressChanged',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    addressId: z.string().min(1),
  }),
  example: { userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T', addressId: 'adr_01J9ZQ6A1B2C3D4E5F6G7H8J9K' },
});
export type DefaultAddressChangedData = EventData<typeof DefaultAddressChangedV1>;
