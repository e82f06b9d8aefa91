import type { ParcelArrivedData } from '@app/contracts';
import { formatDate, parcelMessage, type RenderedMessage, type TemplateContext } from './layout';

export function parcelArrivedTemplate(data: ParcelArrivedData, ctx: TemplateContext): RenderedMessage {
  const until = formatDate(data.holdUntil, ctx.timeZone, ctx);
  const { facility, trackingNumber } = data;
  return parcelMessage(trackingNumber, ctx, (t, link) => ({
    subject: t('notifications:parcel_arrived_subject', { trackingNumber }),
    lines: [
      t('notifications:parcel_arrived_line', {
        trackingNumber,
        facility: `${facility.name}, ${facility.city}, ${facility.state} ${facility.zip}`,
      }),
      t('notifications:parcel_arrived_hold', { until }),
    ],
    sms: t('notifications:parcel_arrived_sms', {
      trackingNumber,
      facility: facility.name,
      city: facility.city,
      until,
      link,
    }),
  }));
}
