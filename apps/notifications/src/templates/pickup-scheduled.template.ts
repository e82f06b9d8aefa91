import type { PickupScheduledData } from '@app/contracts';
import { composeMessage, formatDay, textsFor, type RenderedMessage, type TemplateContext } from './layout';

export function pickupScheduledTemplate(data: PickupScheduledData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const { address: a } = data;
  const values = {
    confirmationNumber: data.confirmationNumber,
    date: formatDay(data.date, ctx),
    address: `${a.line1}, ${a.city}, ${a.state} ${a.zip}`,
  };
  return composeMessage(
    {
      subject: t('notifications:pickup_scheduled_subject', values),
      lines: [
        t('notifications:pickup_scheduled_line', values),
        t('notifications:pickup_location', { location: t(`notifications:${data.packageLocation}_location`) }),
      ],
      sms: t('notifications:pickup_scheduled_sms', values),
    },
    ctx,
  );
}
