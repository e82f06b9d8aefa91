import { z } from 'zod';
import { identityAddressSchema } from '../../identity/identity-constants';
import { Topics } from '../../topics';
import { defineEvent, type EventData } from '../event-definition';

/** An address entered the address book (unverified until AddressVerified). */
export const AddressAddedV1 = defineEvent({
  type: 'AddressAdded',
  version: 1,
  topic: Topics.Identity,
  schema: z.object({
    userId: z.string().min(1),
    addressId: z.string().min(1),
    label: z.string().min(1).max(100).optional(),
    /** upper case, as normalised by the auth service */
    address: identityAddressSchema,
    isDefault: z.boolean(),
  }),
  example: {
    userId: 'usr_01J9ZQ4W8R6V2K3M5N7P9Q1S3T',
    addressId: 'adr_01J9ZQ6A1B2C3D4E5F6G7H8J9K',
    label: 'home',
    address: { name: 'JANE DOE', line1: '1600 PENNSYLVANIA AVE NW', city: 'WASHINGTON', state: 'DC', zip: '20500' },
    isDefault: true,
  },
});
export type AddressAddedData = EventData<typeof AddressAddedV1>;
