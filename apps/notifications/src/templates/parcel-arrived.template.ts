import type { ParcelArrivedData } from '@app/contracts';
import { composeMessage, formatDate, trackingLink, type RenderedMessage, type TemplateContext } from './layout';

export function parcelArrivedTemplate(data: ParcelArrivedData, ctx: TemplateContext): RenderedMessage {
  const link = trackingLink(ctx.publicUrl, data.trackingNumber);
  const holdUntil = formatDate(data.holdUntil, ctx.timeZone);
  const { facility } = data;
  return composeMessage(
    {
      subject: `Your parcel ${data.trackingNumber} is available for pickup`,
      lines: [
        `Your parcel ${data.trackingNumber} is available for pickup at ${facility.name}, ${facility.city}, ${facility.state} ${facility.zip}.`,
        `It is held for you until ${holdUntil}. Bring a photo ID and the tracking number.`,
      ],
      link: { label: 'Track this parcel', url: link },
      sms: `Postal Service: parcel ${data.trackingNumber} is available for pickup at ${facility.name}, ${facility.city} until ${holdUntil}. ${link}`,
    },
    ctx,
  );
}
