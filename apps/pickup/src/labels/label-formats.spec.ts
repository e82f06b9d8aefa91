import { impbElementString, pdfImages, readBarcode, zplGs1ElementString } from '@app/testing/barcodes';
import { buildImpbPic } from './impb';
import { labelBarcodeText } from './label-content';
import { LabelPdfRenderer } from './label-pdf.renderer';
import { LabelQrRenderer } from './label-qr.renderer';
import { LabelZplRenderer } from './label-zpl.renderer';
import type { Label } from './label.schema';

const PIC = buildImpbPic('ground_advantage', '900000001', 4711);

function label(overrides: Partial<Label> = {}): Label {
  return {
    _id: PIC,
    labelId: 'label-1',
    userId: 'user-1',
    service: 'ground_advantage',
    priceCents: 1234,
    zone: 5,
    deliveryDays: 2,
    weightOz: 20,
    from: { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' },
    to: { name: 'ALAN TURING', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: '80202-1234' },
    status: 'active',
    createdAt: new Date('2025-05-07T15:00:00Z'),
    appliedEventIds: [],
    outbox: [],
    ...overrides,
  };
}

/** The `^FD` data of every `^BC` (Code 128) field in a ZPL label. */
function zplCode128Fields(zpl: string): string[] {
  return [...zpl.matchAll(/\^BC[^^]*\^FD([^^]*)\^FS/g)].map((m) => m[1]);
}

/** Each page's MediaBox in a PDF, in points. */
function mediaBoxes(pdf: Buffer): number[][] {
  return [...pdf.toString('latin1').matchAll(/\/MediaBox \[([\d. ]+)\]/g)].map((m) =>
    m[1].trim().split(/\s+/).map(Number),
  );
}

describe('label formats', () => {
  it('ZPL: one ^BC whose field data is the GS1-128 data the PDF barcode encodes', async () => {
    const l = label();
    const zpl = new LabelZplRenderer().render(l);
    expect(zpl.startsWith('^XA')).toBe(true);
    expect(zpl.trimEnd().endsWith('^XZ')).toBe(true);
    expect(zpl).toContain('^PW812');
    expect(zpl).toContain('^LL1218');
    const fields = zplCode128Fields(zpl);
    expect(fields).toHaveLength(1);
    expect(zplGs1ElementString(fields[0])).toBe(labelBarcodeText(l));
    // And what the PDF prints, read back from its embedded barcode image.
    const [barcode] = pdfImages(await new LabelPdfRenderer().render(l));
    expect(impbElementString(readBarcode(barcode, 'code128'))).toBe(zplGs1ElementString(fields[0]));
  });

  it('ZPL: an address cannot inject printer commands (^ and ~ are hex-escaped under ^FH)', () => {
    const zpl = new LabelZplRenderer().render(
      label({ to: { name: 'EVIL^XZ^XA~JR', line1: 'A_B \\& C', city: 'DENVER', state: 'CO', zip: '80202' } }),
    );
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
    expect(zpl.match(/\^XZ/g)).toHaveLength(1);
    expect(zpl).not.toContain('~JR');
    expect(zpl).toContain('EVIL_5EXZ_5EXA_7EJR');
    expect(zpl).toContain('A_5FB _5C& C');
  });

  it('PDF: 4x6 is a 288 × 432 pt page, letter one 612 × 792 pt page holding the same barcode', async () => {
    const renderer = new LabelPdfRenderer();
    const l = label();
    const small = await renderer.render(l, '4x6');
    const letter = await renderer.render(l, 'letter');
    expect(mediaBoxes(small)).toEqual([[0, 0, 288, 432]]);
    expect(mediaBoxes(letter)).toEqual([[0, 0, 612, 792]]);
    expect(mediaBoxes(await renderer.render(l))).toEqual([[0, 0, 288, 432]]);
    const [barcode] = pdfImages(letter);
    expect(impbElementString(readBarcode(barcode, 'code128'))).toBe(labelBarcodeText(l));
  });

  it('QR: the PNG and the SVG carry the tracking number', async () => {
    const qr = new LabelQrRenderer();
    expect(readBarcode(await qr.png(label()), 'qr')).toBe(PIC);
    expect(qr.svg(label())).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
  });
});
