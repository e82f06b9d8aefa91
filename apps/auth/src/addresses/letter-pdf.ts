import type { IdentityAddress } from '@app/contracts';
import PDFDocument from 'pdfkit';

/** Renders the verification letter (US Letter) with the address block and the one-time code. */
export function renderVerificationLetter(address: IdentityAddress, code: string, expiresAt: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'LETTER', margin: 72, info: { Title: 'Address verification' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const lines = [address.name, address.line1, address.line2, `${address.city} ${address.state} ${address.zip}`];
    doc.font('Helvetica').fontSize(12).text(lines.filter(Boolean).join('\n'));
    doc.moveDown(3).fontSize(16).text('Confirm your address', { underline: true });
    doc.moveDown().fontSize(12).text('Enter this code in the portal to confirm that you receive mail at this address:');
    doc.moveDown().font('Courier-Bold').fontSize(28).text(code, { characterSpacing: 4 });
    doc
      .moveDown()
      .font('Helvetica')
      .fontSize(10)
      .text(`The code works until ${expiresAt.toISOString().slice(0, 10)}.`);
    doc.end();
  });
}
