import type { LabelCreatedData } from '@app/contracts';
import { composeMessage, formatCents, trackingLink, type RenderedMessage, type TemplateContext } from './layout';

export function labelCreatedTemplate(data: LabelCreatedData, ctx: TemplateContext): RenderedMessage {
  // A prepaid return label costs nothing yet: it is charged when the postal service first scans it.
  if (data.returnOf) {
    return composeMessage(
      {
        subject: `Your return label ${data.trackingNumber}`,
        lines: [
          `You created a prepaid ${data.service.replace(/_/g, ' ')} return label from ${data.from.city}, ${data.from.state} to ${data.to.city}, ${data.to.state} ${data.to.zip}.`,
          `Nothing is charged now: ${formatCents(data.priceCents)} is charged when the parcel is first scanned by the postal service.`,
          `Tracking number: ${data.trackingNumber}.`,
        ],
        link: { label: 'Track this parcel', url: trackingLink(ctx.publicUrl, data.trackingNumber) },
        sms: `Postal Service: return label ${data.trackingNumber} created; ${formatCents(data.priceCents)} is charged on its first scan.`,
      },
      ctx,
    );
  }
  return composeMessage(
    {
      subject: `Receipt for your shipping label ${data.trackingNumber}`,
      lines: [
        `You bought a ${data.service.replace(/_/g, ' ')} label for ${formatCents(data.priceCents)} (zone ${data.zone}, about ${data.deliveryDays} day(s)).`,
        `It ships from ${data.from.city}, ${data.from.state} to ${data.to.name ?? ''} ${data.to.city}, ${data.to.state} ${data.to.zip}.`.replace(
          /\s+/g,
          ' ',
        ),
        `Tracking number: ${data.trackingNumber}.`,
      ],
      link: { label: 'Track this parcel', url: trackingLink(ctx.publicUrl, data.trackingNumber) },
      sms: `Postal Service: label ${data.trackingNumber} bought for ${formatCents(data.priceCents)}.`,
    },
    ctx,
  );
}
