import type { LabelRefundedData } from '@app/contracts';
import { composeMessage, formatCents, type RenderedMessage, type TemplateContext } from './layout';

export function labelRefundedTemplate(data: LabelRefundedData, ctx: TemplateContext): RenderedMessage {
  return composeMessage(
    {
      subject: `Refund for your shipping label ${data.trackingNumber}`,
      lines: [`Your label ${data.trackingNumber} was refunded: ${formatCents(data.priceCents)}.`],
      sms: `Postal Service: label ${data.trackingNumber} refunded (${formatCents(data.priceCents)}).`,
    },
    ctx,
  );
}
