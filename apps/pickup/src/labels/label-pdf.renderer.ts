import { Injectable } from '@nestjs/common';
import bwipjs from 'bwip-js/node';
import PDFDocument from 'pdfkit';
import type { Language } from '@app/contracts/i18n/languages';
import { documentLanguage } from '@app/platform';
import { formatPicForHumans } from './impb';
import { addressLines, labelBarcodeText, labelHeadline, SERVICE_TITLES } from './label-content';
import type { Label } from './label.schema';

const POINTS_PER_INCH = 72;
const LABEL_WIDTH = 4 * POINTS_PER_INCH;
const LABEL_HEIGHT = 6 * POINTS_PER_INCH;
const MARGIN = 14;

/** `4x6`: the label alone (thermal label stock); `letter`: the label on a US Letter page, to cut out. */
export const LABEL_PDF_FORMATS = ['4x6', 'letter'] as const;
export type LabelPdfFormat = (typeof LABEL_PDF_FORMATS)[number];

/** Page size in points, and where the 4×6 label's top-left corner sits on it. */
const PAGES: Record<LabelPdfFormat, { size: [number, number]; origin: [number, number] }> = {
  '4x6': { size: [LABEL_WIDTH, LABEL_HEIGHT], origin: [0, 0] },
  // Centred across the top half-inch margin of an 8.5×11 in page: printable on any office printer.
  letter: { size: [8.5 * POINTS_PER_INCH, 11 * POINTS_PER_INCH], origin: [(8.5 * 72 - LABEL_WIDTH) / 2, 36] },
};

/**
 * Renders a 4×6 inch shipping label with the IMpb GS1-128 barcode, alone or on a Letter page. The label itself is
 * read by the carrier and sorting machines and stays in English, as every USPS label (see label-content.ts); what is
 * for the customer (the document's title, the instructions around a Letter page's label) is in `language`.
 */
@Injectable()
export class LabelPdfRenderer {
  async render(label: Label, format: LabelPdfFormat = '4x6', language: Language = 'en'): Promise<Buffer> {
    const page = PAGES[format];
    const [ox, oy] = page.origin;
    const barcode = await bwipjs.toBuffer({
      bcid: 'gs1-128',
      text: labelBarcodeText(label),
      scale: 2,
      height: 18,
      includetext: false,
    });

    const doc = new PDFDocument({
      size: page.size,
      // The text flows inside the label's area wherever it sits on the page.
      margins: {
        top: oy + MARGIN,
        left: ox + MARGIN,
        right: page.size[0] - ox - LABEL_WIDTH + MARGIN,
        bottom: page.size[1] - oy - LABEL_HEIGHT + MARGIN,
      },
      info: { Subject: label._id },
    });
    const words = documentLanguage(doc, language);
    doc.info.Title = words.t('documents:label_title', { trackingNumber: label._id });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });

    const width = LABEL_WIDTH - 2 * MARGIN;
    if (format === 'letter') {
      doc.save().dash(4, { space: 4 }).rect(ox, oy, LABEL_WIDTH, LABEL_HEIGHT).stroke().undash().restore();
    }
    doc.font('Helvetica-Bold').fontSize(16).text(SERVICE_TITLES[label.service], { width, align: 'center' });
    doc.font('Helvetica').fontSize(8).text(labelHeadline(label), { width, align: 'center' });
    doc.moveDown(0.6);
    doc.font('Helvetica-Bold').fontSize(7).text('FROM:');
    doc.font('Helvetica').fontSize(8).text(addressLines(label.from).join('\n'));
    doc.moveDown(0.6);
    doc.font('Helvetica-Bold').fontSize(8).text('SHIP TO:');
    doc.font('Helvetica-Bold').fontSize(11).text(addressLines(label.to).join('\n'), { indent: 20 });
    doc.moveDown(0.8);
    doc.font('Helvetica-Bold').fontSize(8).text('USPS TRACKING # ', { width, align: 'center' });
    doc.image(barcode, ox + 24, doc.y + 4, { fit: [width - 20, 70], align: 'center' });
    doc.y += 80;
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .text(formatPicForHumans(label._id), ox + MARGIN, doc.y, { width, align: 'center' });
    if (format === 'letter') {
      // Below the label's area: lift the bottom margin, or pdfkit would start a second page for it.
      doc.page.margins.bottom = 0;
      doc
        .font(words.regular)
        .fontSize(9)
        .text(words.t('documents:label_cut'), ox, oy + LABEL_HEIGHT + 10, { width: LABEL_WIDTH, align: 'center' });
      if (label.returnOf) {
        doc.moveDown(0.5).text(words.t('documents:label_return_note'), { width: LABEL_WIDTH, align: 'center' });
      }
    }
    doc.end();
    return done;
  }
}
