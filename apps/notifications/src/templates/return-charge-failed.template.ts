import type { ReturnChargeFailedData } from '@app/contracts';
import { composeMessage, formatCents, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function returnChargeFailedTemplate(data: ReturnChargeFailedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const values = { trackingNumber: data.trackingNumber, price: formatCents(data.priceCents, ctx), reason: data.reason };
  return composeMessage(
    {
      subject: t('notifications:return_charge_failed_subject', values),
      lines: [
        t('notifications:return_charge_failed_line', values),
        t('notifications:return_charge_failed_action', values),
      ],
      sms: t('notifications:return_charge_failed_sms', values),
    },
    ctx,
  );
}
