import type { ParcelDeliveredData } from '@app/contracts';
import { formatDateTime, parcelMessage, type RenderedMessage, type TemplateContext } from './layout';

export function parcelDeliveredTemplate(data: ParcelDeliveredData, ctx: TemplateContext): RenderedMessage {
  const { trackingNumber } = data;
  return parcelMessage(trackingNumber, ctx, (t, link) => ({
    subject: t('notifications:parcel_delivered_subject', { trackingNumber }),
    lines: [
      t('notifications:parcel_delivered_line', {
        trackingNumber,
        city: data.location.city,
        state: data.location.state,
        when: formatDateTime(data.occurredAt, ctx.timeZone, ctx),
      }),
    ],
    sms: t('notifications:parcel_delivered_sms', { trackingNumber, link }),
  }));
}
