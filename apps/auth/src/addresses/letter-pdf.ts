import type { IdentityAddress } from '@app/contracts';
import type { Language } from '@app/contracts/i18n/languages';
import { documentLanguage } from '@app/platform';
import PDFDocument from 'pdfkit';

/**
 * Renders the verification letter (US Letter) with the address block and the one-time code, in the account's
 * language (its profile's: the letter is printed and mailed, no request is there to ask). The address block
 * stays as written: the carrier reads it.
 */
export function renderVerificationLetter(
  address: IdentityAddress,
  code: string,
  expiresAt: Date,
  language: Language = 'en',
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'LETTER', margin: 72 });
    const words = documentLanguage(doc, language);
    doc.info.Title = words.t('documents:letter_title');
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const lines = [address.name, address.line1, address.line2, `${address.city} ${address.state} ${address.zip}`];
    doc.font('Helvetica').fontSize(12).text(lines.filter(Boolean).join('\n'));
    doc.moveDown(3).font(words.bold).fontSize(16).text(words.t('documents:letter_heading'), { underline: true });
    doc.moveDown().font(words.regular).fontSize(12).text(words.t('documents:letter_instructions'));
    doc.moveDown().font('Courier-Bold').fontSize(28).text(code, { characterSpacing: 4 });
    doc
      .moveDown()
      .font(words.regular)
      .fontSize(10)
      .text(words.t('documents:letter_expiry', { date: words.date(expiresAt) }));
    doc.end();
  });
}
