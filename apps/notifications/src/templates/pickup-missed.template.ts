import type { PickupMissedData } from '@app/contracts';
import { composeMessage, formatDay, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function pickupMissedTemplate(data: PickupMissedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const values = { confirmationNumber: data.confirmationNumber, date: formatDay(data.date, ctx) };
  return composeMessage(
    {
      subject: t('notifications:pickup_missed_subject', values),
      lines: [t('notifications:pickup_missed_line', values), t('notifications:pickup_missed_advice')],
      sms: t('notifications:pickup_missed_sms', values),
    },
    ctx,
  );
}
