import type { ReceiptIssuedData } from '@app/contracts';
import { ledgerDescription } from '@app/platform';
import { composeMessage, formatCents, textsFor, type RenderedMessage, type TemplateContext } from './layout';

const REFUNDS: ReadonlySet<ReceiptIssuedData['kind']> = new Set(['label_refund', 'order_refund']);

/** The wallet page lists every receipt with its PDF (the PDF itself needs the signed-in session). */
function walletLink(publicUrl: string, receiptId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/wallet?receipt=${encodeURIComponent(receiptId)}`;
}

export function receiptIssuedTemplate(data: ReceiptIssuedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const refund = REFUNDS.has(data.kind);
  const means =
    data.method === 'card' && data.card
      ? t('notifications:receipt_card', { brand: data.card.brand.toUpperCase(), last4: data.card.last4 })
      : t('notifications:receipt_balance');
  const total = formatCents(data.totalCents, ctx);
  // The description is the ledger's, written in English: read back into the recipient's language.
  const description = ledgerDescription(data.description, ctx.language ?? 'en');
  return composeMessage(
    {
      subject: t(refund ? 'notifications:receipt_refund_subject' : 'notifications:receipt_payment_subject', { total }),
      lines: [
        t('notifications:receipt_item', { description, amount: formatCents(data.subtotalCents, ctx) }),
        t('notifications:receipt_tax', { amount: formatCents(data.taxCents, ctx) }),
        t(refund ? 'notifications:receipt_total_refunded' : 'notifications:receipt_total_paid', { total }),
        t(refund ? 'notifications:receipt_refunded_to' : 'notifications:receipt_paid_with', { means }),
        t('notifications:receipt_number', { receiptId: data.receiptId }),
      ],
      link: { label: t('notifications:receipt_link'), url: walletLink(ctx.publicUrl, data.receiptId) },
      sms: t(refund ? 'notifications:receipt_refund_sms' : 'notifications:receipt_payment_sms', { total, description }),
    },
    ctx,
  );
}
