import { inflateSync } from 'node:zlib';
import bwipjs from 'bwip-js/node';
import { checkTrackingNumber } from '@app/contracts';
import { buildImpbPic } from './impb';
import type { Label } from './label.schema';
import { LabelPdfRenderer } from './label-pdf.renderer';

const PIC = buildImpbPic('priority', '900000001', 4711);

function label(toZip: string): Label {
  return {
    _id: PIC,
    labelId: 'label-1',
    userId: 'user-1',
    service: 'priority',
    priceCents: 1234,
    zone: 5,
    deliveryDays: 2,
    weightOz: 20,
    from: { name: 'ADA LOVELACE', line1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60601' },
    to: { name: 'ALAN TURING', line1: '2 ELM ST', city: 'DENVER', state: 'CO', zip: toZip },
    status: 'active',
    createdAt: new Date('2025-05-07T15:00:00Z'),
    appliedEventIds: [],
    outbox: [],
  };
}

describe('label PDF renderer', () => {
  afterEach(() => jest.restoreAllMocks());

  it('draws a GS1-128 barcode of (420) and the destination ZIP5, then (94) and the rest of the PIC', async () => {
    const toBuffer = jest.spyOn(bwipjs, 'toBuffer');
    const pdf = await new LabelPdfRenderer().render(label('80202-1234'));

    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(toBuffer).toHaveBeenCalledTimes(1);
    const options = toBuffer.mock.calls[0][0] as { bcid: string; text: string };
    expect(options.bcid).toBe('gs1-128');
    expect(options.text).toBe(`(420)80202(94)${PIC.slice(2)}`);
    const [, zip, rest] = /^\(420\)(\d{5})\(94\)(\d{20})$/.exec(options.text) ?? [];
    expect(zip).toBe('80202');
    expect(`94${rest}`).toBe(PIC);
    expect(checkTrackingNumber(`94${rest}`).valid).toBe(true);
  });

  it('embeds the barcode bwip-js drew as the image on the page', async () => {
    const toBuffer = jest.spyOn(bwipjs, 'toBuffer');
    const pdf = (await new LabelPdfRenderer().render(label('80202'))).toString('latin1');
    const png = (await toBuffer.mock.results[0].value) as Buffer;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(pdf).toMatch(/\/Subtype \/Image/);
  });
  it("writes the customer's instructions in Spanish and keeps the carrier's captions in English", async () => {
    const pdf = await new LabelPdfRenderer().render(label('80202'), 'letter', 'es');
    const text = drawnText(pdf);
    expect(text).toContain('Recorte por la línea discontinua y pegue la etiqueta en el paquete.');
    expect(text).toContain('SHIP TO:');
    expect(text).not.toContain('Cut along');
  });
});

/** The text pdfkit drew with its built-in fonts (hex strings in `TJ` arrays of the deflated content streams). */
function drawnText(pdf: Buffer): string {
  const lines: string[] = [];
  for (const [, raw] of pdf.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(raw, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const [, array] of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      lines.push(
        Buffer.from([...array.matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join(''), 'hex').toString('latin1'),
      );
    }
  }
  return lines.join('\n');
}
