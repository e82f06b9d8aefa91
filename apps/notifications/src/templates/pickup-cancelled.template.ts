import type { PickupCancelledData } from '@app/contracts';
import { composeMessage, formatDay, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function pickupCancelledTemplate(data: PickupCancelledData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const values = { confirmationNumber: data.confirmationNumber, date: formatDay(data.date, ctx) };
  return composeMessage(
    {
      subject: t('notifications:pickup_cancelled_subject', values),
      lines: [t('notifications:pickup_cancelled_line', values)],
      sms: t('notifications:pickup_cancelled_sms', values),
    },
    ctx,
  );
}
