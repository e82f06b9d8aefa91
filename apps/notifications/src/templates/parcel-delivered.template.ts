import type { ParcelDeliveredData } from '@app/contracts';
import { composeMessage, formatDateTime, trackingLink, type RenderedMessage, type TemplateContext } from './layout';

export function parcelDeliveredTemplate(data: ParcelDeliveredData, ctx: TemplateContext): RenderedMessage {
  const link = trackingLink(ctx.publicUrl, data.trackingNumber);
  return composeMessage(
    {
      subject: `Your parcel ${data.trackingNumber} was delivered`,
      lines: [
        `Your parcel ${data.trackingNumber} was delivered in ${data.location.city}, ${data.location.state} on ${formatDateTime(data.occurredAt, ctx.timeZone)}.`,
      ],
      link: { label: 'Track this parcel', url: link },
      sms: `Postal Service: parcel ${data.trackingNumber} was delivered. ${link}`,
    },
    ctx,
  );
}
