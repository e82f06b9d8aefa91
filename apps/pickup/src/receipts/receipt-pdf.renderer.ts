import { Injectable } from '@nestjs/common';
import PDFDocument from 'pdfkit';
import type { LedgerEntry } from '../account/ledger-entry.schema';

const KIND_TITLES: Record<LedgerEntry['kind'], string> = {
  top_up: 'Postage balance top-up',
  label_charge: 'Shipping label',
  label_refund: 'Refund: shipping label',
  order_charge: 'Stamps order',
  order_refund: 'Refund: stamps order',
};

export const dollars = (cents: number) => `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toFixed(2)}`;

/** How a receipt names what paid (or was refunded): never more of a card than brand and last 4. */
export function paidWith(entry: LedgerEntry): string {
  if (entry.method === 'balance') return 'Postage balance';
  return entry.card ? `${entry.card.brand.toUpperCase()} ending ${entry.card.last4}` : 'Card';
}

/** A receipt (invoice) for one ledger entry: its line, tax at 0 % shown as such, the total and how it was paid. */
@Injectable()
export class ReceiptPdfRenderer {
  render(entry: LedgerEntry): Promise<Buffer> {
    const refund = entry.kind.endsWith('_refund');
    const sign = refund ? -1 : 1;
    const doc = new PDFDocument({ size: 'LETTER', margin: 54, info: { Title: `Receipt ${entry._id}` } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
    doc.fontSize(18).text(refund ? 'Refund receipt' : 'Receipt');
    doc.moveDown(0.5).fontSize(10);
    doc.text(`Receipt number: ${entry._id}`);
    doc.text(`Date: ${entry.createdAt.toISOString().slice(0, 10)}`);
    doc.moveDown();
    doc.fontSize(11).text(`${KIND_TITLES[entry.kind]}: ${entry.description}`);
    doc.text(`Amount: ${dollars(sign * entry.amountCents)}`);
    doc.moveDown(0.5);
    doc.text(`Subtotal: ${dollars(sign * entry.amountCents)}`);
    // Postage and stamps carry no sales tax here; the line says so rather than leaving it out.
    doc.text(`Tax (0%): ${dollars(0)}`);
    doc.text(`Total: ${dollars(sign * entry.amountCents)}`);
    doc.moveDown(0.5);
    doc.text(`${refund ? 'Refunded to' : 'Paid with'}: ${paidWith(entry)}`);
    doc.end();
    return done;
  }
}
