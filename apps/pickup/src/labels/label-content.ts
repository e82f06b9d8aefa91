import type { PostalAddress } from '@app/contracts';
import { impbBarcodeText } from './impb';
import type { Label } from './label.schema';

/** What every label format prints, so the PDF, ZPL and PNG cannot drift apart. */
export const SERVICE_TITLES: Record<Label['service'], string> = {
  priority_express: 'PRIORITY MAIL EXPRESS',
  priority: 'PRIORITY MAIL',
  ground_advantage: 'GROUND ADVANTAGE',
};

export function addressLines(address: PostalAddress): string[] {
  return [address.name, address.line1, address.line2, `${address.city} ${address.state} ${address.zip}`].filter(
    (line): line is string => Boolean(line),
  );
}

/** The line under the service: postage (or, on a return label, that it is paid when first scanned), zone, date. */
export function labelHeadline(label: Label): string {
  const postage = label.returnOf
    ? `RETURN: postage $${(label.priceCents / 100).toFixed(2)} charged on first scan`
    : `Postage $${(label.priceCents / 100).toFixed(2)}`;
  return `${postage}   Zone ${label.zone}   Mailed ${label.createdAt.toISOString().slice(0, 10)}`;
}

/** One GS1 element of a barcode: application identifier and its data. */
export interface Gs1Element {
  ai: string;
  value: string;
}

/** The IMpb barcode's GS1 elements: routing `(420)` + destination ZIP5, then the PIC under its channel AI `(94)`. */
export function labelBarcodeElements(label: Pick<Label, '_id' | 'to'>): Gs1Element[] {
  const pic = label._id;
  return [
    { ai: '420', value: label.to.zip.slice(0, 5) },
    { ai: pic.slice(0, 2), value: pic.slice(2) },
  ];
}

/** The elements in GS1's human-readable form, `(420)80202(94)00…`: what bwip-js encodes for the PDF and PNG. */
export function labelBarcodeText(label: Pick<Label, '_id' | 'to'>): string {
  return impbBarcodeText(label.to.zip.slice(0, 5), label._id);
}
