import type { PickupCompletedData } from '@app/contracts';
import {
  composeMessage,
  formatDay,
  textsFor,
  trackingLink,
  type RenderedMessage,
  type TemplateContext,
} from './layout';

export function pickupCompletedTemplate(data: PickupCompletedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const values = { confirmationNumber: data.confirmationNumber, date: formatDay(data.date, ctx) };
  return composeMessage(
    {
      subject: t('notifications:pickup_completed_subject', values),
      lines: [t('notifications:pickup_completed_line', values)],
      link: { label: t('notifications:track_your_parcel'), url: trackingLink(ctx.publicUrl, data.trackingNumber) },
      sms: t('notifications:pickup_completed_sms', values),
    },
    ctx,
  );
}
