import { z } from 'zod';

/** A postal address as carried in pickup events: `{ name?, line1, line2?, city, state, zip }`. */
export const postalAddressSchema = z.object({
  name: z.string().optional(),
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
});

export type PostalAddress = z.infer<typeof postalAddressSchema>;
