import { Inject, Injectable } from '@nestjs/common';
import bwipjs from 'bwip-js/node';
import PDFDocument from 'pdfkit';
import { PICKUP_CONFIG, type PickupConfig } from '../config';
import { formatPicForHumans } from '../labels/impb';
import type { Label } from '../labels/label.schema';
import type { Manifest } from './manifest.schema';

const POINTS_PER_INCH = 72;
const ROWS_PER_PAGE = 40;

/** The GS1-128 data of a manifest's barcode: the channel as the AI, then the rest of the number. */
export function manifestBarcodeText(number: string): string {
  return `(${number.slice(0, 2)})${number.slice(2)}`;
}

/**
 * A Letter-size SCAN form in the manner of USPS PS Form 5630: the manifest's one barcode, the mailer,
 * the date, the count per service, then every tracking number it stands for.
 */
@Injectable()
export class ManifestPdfRenderer {
  constructor(@Inject(PICKUP_CONFIG) private readonly config: PickupConfig) {}

  async render(manifest: Manifest, labels: Label[]): Promise<Buffer> {
    const barcode = await bwipjs.toBuffer({
      bcid: 'gs1-128',
      text: manifestBarcodeText(manifest._id),
      scale: 3,
      height: 20,
      includetext: false,
    });
    const doc = new PDFDocument({
      size: 'LETTER',
      margin: 0.6 * POINTS_PER_INCH,
      info: { Title: `SCAN form ${manifest._id}`, Subject: manifest._id },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    doc.font('Helvetica-Bold').fontSize(16).text('SHIPMENT CONFIRMATION ACCEPTANCE NOTICE', { width, align: 'center' });
    doc
      .font('Helvetica')
      .fontSize(9)
      .text('SCAN form (in the manner of USPS PS Form 5630)', { width, align: 'center' });
    doc.moveDown(1);
    doc.image(barcode, doc.page.margins.left + width / 6, doc.y, { fit: [(width * 2) / 3, 80], align: 'center' });
    doc.y += 90;
    doc.font('Helvetica-Bold').fontSize(12).text(formatPicForHumans(manifest._id), doc.page.margins.left, doc.y, {
      width,
      align: 'center',
    });
    doc.moveDown(1);
    const byService = new Map<string, number>();
    for (const label of labels) byService.set(label.service, (byService.get(label.service) ?? 0) + 1);
    doc.font('Helvetica').fontSize(10);
    doc.text(`Mailer ID: ${this.config.IMPB_MAILER_ID}`);
    doc.text(`Mailing date: ${manifest.date}`);
    doc.text(`Total pieces: ${manifest.trackingNumbers.length}`);
    for (const [service, count] of byService) doc.text(`  ${service}: ${count}`);
    doc.moveDown(0.5);
    doc.text('One acceptance scan of the barcode above accepts every piece listed below.');
    doc.moveDown(1);
    doc.font('Helvetica-Bold').text('Tracking numbers');
    doc.font('Helvetica').fontSize(9);
    manifest.trackingNumbers.forEach((number, i) => {
      if (i > 0 && i % ROWS_PER_PAGE === 0) doc.addPage();
      doc.text(`${String(i + 1).padStart(4, ' ')}.  ${formatPicForHumans(number)}`);
    });
    doc.end();
    return done;
  }
}
