import type { LabelRefundedData } from '@app/contracts';
import { composeMessage, formatCents, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function labelRefundedTemplate(data: LabelRefundedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const values = { trackingNumber: data.trackingNumber, price: formatCents(data.priceCents, ctx) };
  return composeMessage(
    {
      subject: t('notifications:label_refunded_subject', values),
      lines: [t('notifications:label_refunded_line', values)],
      sms: t('notifications:label_refunded_sms', values),
    },
    ctx,
  );
}
