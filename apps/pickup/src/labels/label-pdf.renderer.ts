import { Injectable } from '@nestjs/common';
import bwipjs from 'bwip-js/node';
import PDFDocument from 'pdfkit';
import type { PostalAddress } from '@app/contracts';
import { formatPicForHumans, impbBarcodeText } from './impb';
import type { Label } from './label.schema';

const POINTS_PER_INCH = 72;
const SERVICE_TITLES: Record<Label['service'], string> = {
  priority_express: 'PRIORITY MAIL EXPRESS',
  priority: 'PRIORITY MAIL',
  ground_advantage: 'GROUND ADVANTAGE',
};

function addressLines(address: PostalAddress): string[] {
  return [address.name, address.line1, address.line2, `${address.city} ${address.state} ${address.zip}`].filter(
    (line): line is string => Boolean(line),
  );
}

/** Renders a 4×6 inch shipping label with the IMpb GS1-128 barcode. */
@Injectable()
export class LabelPdfRenderer {
  async render(label: Label): Promise<Buffer> {
    const zip5 = label.to.zip.slice(0, 5);
    const barcode = await bwipjs.toBuffer({
      bcid: 'gs1-128',
      text: impbBarcodeText(zip5, label._id),
      scale: 2,
      height: 18,
      includetext: false,
    });

    const doc = new PDFDocument({
      size: [4 * POINTS_PER_INCH, 6 * POINTS_PER_INCH],
      margin: 14,
      info: { Title: `Shipping label ${label._id}`, Subject: label._id },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });

    const width = 4 * POINTS_PER_INCH - 28;
    doc.font('Helvetica-Bold').fontSize(16).text(SERVICE_TITLES[label.service], { width, align: 'center' });
    doc
      .font('Helvetica')
      .fontSize(8)
      .text(
        `Postage $${(label.priceCents / 100).toFixed(2)}   Zone ${label.zone}   Mailed ${label.createdAt.toISOString().slice(0, 10)}`,
        { width, align: 'center' },
      );
    doc.moveDown(0.6);
    doc.font('Helvetica-Bold').fontSize(7).text('FROM:');
    doc.font('Helvetica').fontSize(8).text(addressLines(label.from).join('\n'));
    doc.moveDown(0.6);
    doc.font('Helvetica-Bold').fontSize(8).text('SHIP TO:');
    doc.font('Helvetica-Bold').fontSize(11).text(addressLines(label.to).join('\n'), { indent: 20 });
    doc.moveDown(0.8);
    doc.font('Helvetica-Bold').fontSize(8).text('USPS TRACKING # ', { width, align: 'center' });
    doc.image(barcode, 24, doc.y + 4, { fit: [width - 20, 70], align: 'center' });
    doc.y += 80;
    doc.font('Helvetica-Bold').fontSize(10).text(formatPicForHumans(label._id), 14, doc.y, { width, align: 'center' });
    doc.end();
    return done;
  }
}
