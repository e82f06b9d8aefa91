import type { ParcelArrivedData } from '@app/contracts';
import {
  composeMessage,
  formatDate,
  textsFor,
  trackingLink,
  type RenderedMessage,
  type TemplateContext,
} from './layout';

export function parcelArrivedTemplate(data: ParcelArrivedData, ctx: TemplateContext): RenderedMessage {
  const t = textsFor(ctx);
  const link = trackingLink(ctx.publicUrl, data.trackingNumber);
  const until = formatDate(data.holdUntil, ctx.timeZone, ctx);
  const { facility } = data;
  const trackingNumber = data.trackingNumber;
  return composeMessage(
    {
      subject: t('notifications:parcel_arrived_subject', { trackingNumber }),
      lines: [
        t('notifications:parcel_arrived_line', {
          trackingNumber,
          facility: `${facility.name}, ${facility.city}, ${facility.state} ${facility.zip}`,
        }),
        t('notifications:parcel_arrived_hold', { until }),
      ],
      link: { label: t('notifications:track_parcel'), url: link },
      sms: t('notifications:parcel_arrived_sms', {
        trackingNumber,
        facility: facility.name,
        city: facility.city,
        until,
        link,
      }),
    },
    ctx,
  );
}
