import { z } from 'zod';
import { identityAddressSchema } from '../../identity/identity-constants';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/** An address in the book was edited; a moved address is unverified again (and AddressRemoved came first if it was verified). */
export const AddressUpdatedV1 = defineEvent({
  type: 'AddressUpdated',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    addressId: z.string().min(1),
    label: z.string().min(1).max(100).optional(),
    /** upper case, as normalised by the auth service */
    address: identityAddressSchema,
    verified: z.boolean(),
    isDefault: z.boolean(),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    addressId: 'adr_01J9ZQ6A1B2C3D4E5F6G7H8J9K',
    label: 'office',
    address: { name: 'JANE DOE', line1: '3 OAK AVE', city: 'ARLINGTON', state: 'VA', zip: '22201' },
    verified: false,
    isDefault: false,
  },
});
export type AddressUpdatedData = EventData<typeof AddressUpdatedV1>;
