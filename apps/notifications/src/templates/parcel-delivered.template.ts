import type { ParcelDeliveredData } from '@app/contracts';
import {
  composeMessage,
  formatDateTime,
  textsFor,
  trackingLink,
  type RenderedMessage,
  type TemplateContext,
} from './layout';

export function parcelDeliveredTemplate(data: ParcelDeliveredData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const link = trackingLink(ctx.publicUrl, data.trackingNumber);
  const trackingNumber = data.trackingNumber;
  return composeMessage(
    {
      subject: t('notifications:parcel_delivered_subject', { trackingNumber }),
      lines: [
        t('notifications:parcel_delivered_line', {
          trackingNumber,
          city: data.location.city,
          state: data.location.state,
          when: formatDateTime(data.occurredAt, ctx.timeZone, ctx),
        }),
      ],
      link: { label: t('notifications:track_parcel'), url: link },
      sms: t('notifications:parcel_delivered_sms', { trackingNumber, link }),
    },
    ctx,
  );
}
