import type { ReceiptIssuedData } from '@app/contracts';
import { composeMessage, formatCents, type RenderedMessage, type TemplateContext } from './layout';

const REFUNDS: ReadonlySet<ReceiptIssuedData['kind']> = new Set(['label_refund', 'order_refund']);

/** The wallet page lists every receipt with its PDF (the PDF itself needs the signed-in session). */
function walletLink(publicUrl: string, receiptId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/wallet?receipt=${encodeURIComponent(receiptId)}`;
}

export function receiptIssuedTemplate(data: ReceiptIssuedData, ctx: TemplateContext): RenderedMessage {
  const refund = REFUNDS.has(data.kind);
  const means =
    data.method === 'card' && data.card
      ? `${data.card.brand.toUpperCase()} ending ${data.card.last4}`
      : 'your postage balance';
  const total = formatCents(data.totalCents);
  return composeMessage(
    {
      subject: refund ? `Refund receipt: ${total}` : `Payment receipt: ${total}`,
      lines: [
        `${data.description}: ${formatCents(data.subtotalCents)}`,
        `Tax (0%): ${formatCents(data.taxCents)}`,
        `Total ${refund ? 'refunded' : 'paid'}: ${total}`,
        `${refund ? 'Refunded to' : 'Paid with'}: ${means}`,
        `Receipt ${data.receiptId}`,
      ],
      link: { label: 'Your receipts (PDF)', url: walletLink(ctx.publicUrl, data.receiptId) },
      sms: `Postal Service: ${refund ? 'refund' : 'payment'} of ${total} (${data.description}).`,
    },
    ctx,
  );
}
