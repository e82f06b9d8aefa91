import type { ParcelAlertData } from '@app/contracts';
import { composeMessage, formatDateTime, trackingLink, type RenderedMessage, type TemplateContext } from './layout';

export function parcelAlertTemplate(data: ParcelAlertData, ctx: TemplateContext): RenderedMessage {
  const link = trackingLink(ctx.publicUrl, data.trackingNumber);
  return composeMessage(
    {
      subject: `Alert for parcel ${data.trackingNumber}: ${data.description}`,
      lines: [
        `${data.description} in ${data.location.city}, ${data.location.state} on ${formatDateTime(data.occurredAt, ctx.timeZone)}.`,
      ],
      link: { label: 'Track this parcel', url: link },
      sms: `Postal Service: ${data.trackingNumber} ${data.description}. ${link}`,
    },
    ctx,
  );
}
