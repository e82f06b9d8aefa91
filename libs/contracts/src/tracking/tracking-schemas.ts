import { z } from 'zod';
import { checkTrackingNumber } from './tracking-number';

/** A valid IMpb or S10 number, transformed to its normalised form. */
export const trackingNumberSchema = z
  .string()
  .max(60)
  .transform((value, ctx) => {
    const result = checkTrackingNumber(value);
    if (!result.valid) {
      ctx.addIssue({ code: 'custom', message: result.reason });
      return z.NEVER;
    }
    return result.trackingNumber;
  });

export const zip5Or9Schema = z.string().regex(/^\d{5}(-?\d{4})?$/, 'a ZIP code is 5 digits or ZIP+4');
export const stateSchema = z.string().regex(/^[A-Z]{2}$/, 'a state is a 2-letter code');

/** Where an event happened. */
export const locationSchema = z.object({
  city: z.string().min(1).max(100),
  state: stateSchema,
  zip: zip5Or9Schema,
});
export type Location = z.infer<typeof locationSchema>;

/** The facility a scan was recorded at. */
export const facilitySchema = locationSchema.extend({ name: z.string().min(1).max(200) });
export type Facility = z.infer<typeof facilitySchema>;

/** Who a parcel event is for: its watchers and the users whose verified address it is sent to. */
export const parcelRecipientSchema = z.object({
  userId: z.string().min(1).max(100),
  reason: z.enum(['watcher', 'addressee']),
});
export type ParcelRecipient = z.infer<typeof parcelRecipientSchema>;
