import { impbElementString, readBarcode } from '@app/testing/barcodes';
import { PNG } from 'pngjs';
import { labelBarcodeText } from './label-content';
import { LabelPngRenderer } from './label-png.renderer';
import type { Label } from './label.schema';

const label = {
  _id: '9405511234567001234568',
  labelId: 'l1',
  userId: 'u1',
  service: 'priority',
  priceCents: 1065,
  zone: 5,
  deliveryDays: 2,
  weightOz: 20,
  status: 'active',
  createdAt: new Date('2026-12-06T10:00:00Z'),
  from: { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' },
  to: { name: 'ALAN <TURING> & CO', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202-1234' },
  appliedEventIds: [],
  outbox: [],
} as Label;

describe('LabelPngRenderer', () => {
  it('draws a 4×6 label at 203 dpi whose barcode reads back as the IMpb data of the PDF', () => {
    const png = new LabelPngRenderer().render(label);
    const image = PNG.sync.read(png);
    expect([image.width, image.height]).toEqual([812, 1218]);
    const read = readBarcode(png, 'code128');
    expect(impbElementString(read)).toBe(labelBarcodeText(label));
    expect(impbElementString(read)).toBe('(420)80202(94)05511234567001234568');
  });
});
