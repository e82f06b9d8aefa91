import { Injectable } from '@nestjs/common';
import PDFDocument from 'pdfkit';
import type { Language } from '@app/contracts/i18n/languages';
import { documentLanguage, type DocumentLanguage } from '@app/platform';
import type { LedgerEntry } from '../account/ledger-entry.schema';
import { ledgerDescription } from '@app/platform';

const KIND_TITLES = {
  top_up: 'documents:kind_top_up',
  label_charge: 'documents:kind_label_charge',
  label_refund: 'documents:kind_label_refund',
  order_charge: 'documents:kind_order_charge',
  order_refund: 'documents:kind_order_refund',
} as const satisfies Record<LedgerEntry['kind'], string>;

/** How a receipt names what paid (or was refunded): never more of a card than brand and last 4. */
export function paidWith(entry: LedgerEntry, { t }: Pick<DocumentLanguage, 't'>): string {
  if (entry.method === 'balance') return t('documents:paid_balance');
  return entry.card
    ? t('documents:paid_card_ending', { brand: entry.card.brand.toUpperCase(), last4: entry.card.last4 })
    : t('documents:paid_card');
}

/**
 * A receipt (invoice) for one ledger entry: its line, tax at 0 % shown as such, the total and how it was paid,
 * in the language the caller asked for (the portal sends its page language as `Accept-Language`).
 */
@Injectable()
export class ReceiptPdfRenderer {
  render(entry: LedgerEntry, language: Language = 'en'): Promise<Buffer> {
    const refund = entry.kind.endsWith('_refund');
    const sign = refund ? -1 : 1;
    const doc = new PDFDocument({ size: 'LETTER', margin: 54 });
    const words = documentLanguage(doc, language);
    const { t } = words;
    doc.info.Title = t('documents:receipt_title', { id: entry._id });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
    const amount = words.dollars(sign * entry.amountCents);
    doc
      .font(words.bold)
      .fontSize(18)
      .text(t(refund ? 'documents:refund_receipt_heading' : 'documents:receipt_heading'));
    doc.moveDown(0.5).font(words.regular).fontSize(10);
    doc.text(t('documents:receipt_number', { id: entry._id }));
    doc.text(t('documents:receipt_date', { date: words.date(entry.createdAt) }));
    doc.moveDown();
    doc.fontSize(11).text(
      t('documents:receipt_line', {
        kind: t(KIND_TITLES[entry.kind]),
        description: ledgerDescription(entry.description, words.language),
      }),
    );
    doc.text(t('documents:receipt_amount', { amount }));
    doc.moveDown(0.5);
    doc.text(t('documents:receipt_subtotal', { amount }));
    // Postage and stamps carry no sales tax here; the line says so rather than leaving it out.
    doc.text(
      t('documents:receipt_tax', {
        rate: new Intl.NumberFormat(words.language, { style: 'percent' }).format(0),
        amount: words.dollars(0),
      }),
    );
    doc.text(t('documents:receipt_total', { amount }));
    doc.moveDown(0.5);
    doc.text(
      t(refund ? 'documents:receipt_refunded_to' : 'documents:receipt_paid_with', { method: paidWith(entry, words) }),
    );
    doc.end();
    return done;
  }
}
