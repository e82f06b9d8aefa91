import { inflateSync } from 'node:zlib';
import type { LedgerEntry } from '../account/ledger-entry.schema';
import { ReceiptPdfRenderer } from './receipt-pdf.renderer';

/** The text pdfkit drew with its built-in fonts (hex strings in `TJ` arrays of the deflated content streams). */
function pdfText(pdf: Buffer): string {
  const latin1 = pdf.toString('latin1');
  const lines: string[] = [];
  for (const [, raw] of latin1.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
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

const entry = {
  _id: 'label_charge:lbl_1',
  ownerId: 'user-1',
  kind: 'label_charge',
  amountCents: 1234,
  balanceChangeCents: 0,
  description: 'Shipping label 9205590000000000000001 (priority)',
  method: 'card',
  card: { brand: 'visa', last4: '4242' },
  createdAt: new Date('2026-12-06T15:00:00Z'),
} as unknown as LedgerEntry;

describe('receipt PDF renderer', () => {
  it('writes the receipt in English by default', async () => {
    const text = pdfText(await new ReceiptPdfRenderer().render(entry));
    expect(text).toContain('Receipt number: label_charge:lbl_1');
    expect(text).toContain('Date: December 6, 2026');
    expect(text).toContain('Shipping label: Shipping label 9205590000000000000001 (priority)');
    expect(text).toContain('Total: $12.34');
    expect(text).toContain('Paid with: VISA ending 4242');
  });

  it('writes the receipt, its date and the ledger description in Spanish', async () => {
    const text = pdfText(await new ReceiptPdfRenderer().render(entry, 'es'));
    expect(text).toContain('Recibo');
    expect(text).toContain('Número de recibo: label_charge:lbl_1');
    expect(text).toContain('Fecha: 6 de diciembre de 2026');
    expect(text).toContain('Etiqueta de envío: Etiqueta de envío 9205590000000000000001 (Priority Mail)');
    expect(text).toContain('Pagado con: VISA terminada en 4242');
    expect(text).not.toContain('Paid with');
  });

  it('embeds a CJK font for a Chinese receipt', async () => {
    const pdf = (await new ReceiptPdfRenderer().render(entry, 'zh-Hans')).toString('latin1');
    expect(pdf).toContain('WenQuanYiMicroHei');
  });
});
