import {
  computeImpbCheckDigit,
  IMPB_CHANNEL_APPLICATION_ID,
  SERVICE_TYPE_CODES,
  type ShippingService,
} from '@app/contracts';

/** With a 9-digit mailer id the PIC keeps 7 digits for the serial (USPS Pub. 199). */
export const IMPB_SERIAL_DIGITS = 7;
export const MAX_IMPB_SERIAL = 10 ** IMPB_SERIAL_DIGITS - 1;

/**
 * The 22-digit IMpb package identification code: channel AI `94`, service type code (3),
 * mailer id (9), serial (7), MOD 10 check digit.
 */
export function buildImpbPic(service: ShippingService, mailerId: string, serial: number): string {
  if (!/^\d{9}$/.test(mailerId)) throw new Error('the mailer id must be 9 digits');
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_IMPB_SERIAL) {
    throw new Error(`IMpb serial ${serial} is outside 1–${MAX_IMPB_SERIAL}`);
  }
  const body = `${IMPB_CHANNEL_APPLICATION_ID}${SERVICE_TYPE_CODES[service]}${mailerId}${String(serial).padStart(IMPB_SERIAL_DIGITS, '0')}`;
  return `${body}${computeImpbCheckDigit(body)}`;
}

/** The GS1-128 data of the IMpb barcode: routing `(420)` + destination ZIP5, then the PIC under AI `(94)`. */
export function impbBarcodeText(destinationZip5: string, pic: string): string {
  return `(420)${destinationZip5}(${pic.slice(0, 2)})${pic.slice(2)}`;
}

/** The PIC in groups of four, as printed under the barcode. */
export function formatPicForHumans(pic: string): string {
  return pic.replace(/(\d{4})(?=\d)/g, '$1 ');
}
